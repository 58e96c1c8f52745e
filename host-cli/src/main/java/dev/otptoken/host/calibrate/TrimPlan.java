package dev.otptoken.host.calibrate;

/**
 * The trim register value that best cancels a measured rate. The RTC's rate error with trim
 * T is {@code crystal + T·step}; a measured rate r was taken at the current trim, so the
 * register must move by {@code −r/step} steps, rounded to the nearest (the residual is then at
 * most half a step) and clamped to the register's range.
 *
 * @param currentTrim   the trim when the rate was measured
 * @param newTrim       the trim to write
 * @param stepPpm       one register step, ppm
 * @param predictedResidualPpm the rate expected after writing {@code newTrim}
 * @param clamped       whether the range stopped the correction short
 */
public record TrimPlan(int currentTrim, int newTrim, double stepPpm, double predictedResidualPpm, boolean clamped) {

    /** Plans the trim for a rate {@code ratePpm} measured at {@code currentTrim}. */
    public static TrimPlan of(double ratePpm, int currentTrim, double stepPpm, int min, int max) {
        if (!(stepPpm > 0) || min > max) {
            throw new IllegalArgumentException("bad trim register: step " + stepPpm + ", range " + min + ".." + max);
        }
        if (!Double.isFinite(ratePpm)) {
            throw new IllegalArgumentException("rate is not finite");
        }
        double ideal = currentTrim - ratePpm / stepPpm;
        long rounded = Math.round(ideal);
        int target = (int) Math.max(min, Math.min(max, rounded));
        double residual = ratePpm + (target - currentTrim) * stepPpm;
        return new TrimPlan(currentTrim, target, stepPpm, residual, target != rounded);
    }

    /** The crystal's own error, trim removed: {@code rate − trim·step}. */
    public static double untrimmedPpm(double ratePpm, int trim, double stepPpm) {
        return ratePpm - trim * stepPpm;
    }
}
