package dev.otptoken.host.calibrate;

import java.time.Instant;
import java.util.Optional;

/**
 * What {@code otptoken calibrate} found, and what it changed when asked to apply.
 *
 * @param estimate the offset and rate at the trim the token had
 * @param line     the measurement's points and the line fitted to them ({@code calibrate --plot})
 * @param trim     the trim register when measured
 * @param stepPpm  one trim step, ppm
 * @param trimMin  lowest register value
 * @param trimMax  highest register value
 * @param applied  present after {@code --apply}
 */
public record Calibration(DriftEstimate estimate, DriftEstimate.Line line, int trim, double stepPpm, int trimMin, int trimMax,
                          Optional<Applied> applied) {

    /**
     * The writes and the verification after them.
     *
     * @param plan       the trim chosen
     * @param clockSetTo the time written into the token clock
     * @param residual   the rate and offset measured again after the writes
     */
    public record Applied(TrimPlan plan, Instant clockSetTo, DriftEstimate residual) {
    }

    /** The crystal's own error at the temperature of the run, trim removed. */
    public double untrimmedPpm() {
        return TrimPlan.untrimmedPpm(estimate.ratePpm(), trim, stepPpm);
    }
}
