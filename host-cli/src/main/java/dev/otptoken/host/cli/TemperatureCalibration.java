package dev.otptoken.host.cli;

import static dev.otptoken.host.cli.CalibrateCommand.f;

import dev.otptoken.host.calibrate.CalibrationHistory;
import dev.otptoken.host.calibrate.Calibration;
import dev.otptoken.host.calibrate.Calibrator;
import dev.otptoken.host.calibrate.ClockDevice;
import dev.otptoken.host.calibrate.HostClock;
import dev.otptoken.host.calibrate.Pacer;
import dev.otptoken.host.calibrate.Progress;
import dev.otptoken.host.calibrate.TemperatureFit;
import dev.otptoken.host.session.ClockReading;
import dev.otptoken.host.session.CompensationCurve;
import dev.otptoken.host.session.DeviceSession;
import dev.otptoken.host.simulator.SimControl;
import dev.otptoken.protocol.apdu.ApduException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code calibrate --temperatures} (docs/calibration.md, "Temperature compensation"): a run at
 * each temperature with the trim held, the crystal's rate and the sensor's reading of each,
 * appended to the token's calibration history; the curve fitted to the whole history (the
 * aging term too once it spans 14 days); with {@code --apply} the clock set and the curve
 * written. Without {@code --apply} a curve the token had is written back.
 */
final class TemperatureCalibration {
    /** The prediction table: 0 to 40 °C. */
    static final int[] PREDICTION_CELSIUS = {0, 5, 10, 15, 20, 25, 30, 35, 40};
    /** The lowest and highest temperature asked for, °C (the sensor's range). */
    static final double MIN_CELSIUS = -40;
    static final double MAX_CELSIUS = 85;
    /** How long the command waits for the sensor to reach a temperature the simulator was given. */
    static final Duration SENSOR_WAIT = Duration.ofSeconds(10);
    /** The sensor is within this of a temperature asked for once it got there (offset ≤ 1 °C, steps of 0.25). */
    static final double SENSOR_TOLERANCE = 1.25;
    private static final double SECONDS_PER_DAY = 86_400;
    private static final long POLL_MILLIS = 100;

    /** What the run found. */
    record Result(long serial, Path historyFile, int historyPoints, List<TemperatureFit.Point> measured,
                  TemperatureFit fit, Optional<Applied> applied, boolean previousRestored) {
        /** The time the prediction is for: the token's clock at the last run (the fit's origin without runs). */
        long predictionMicros() {
            return measured.isEmpty() ? fit.originMicros() : measured.get(measured.size() - 1).tokenMicros();
        }
    }

    /**
     * The curve written, the clock set and the check after them ({@link Calibrator#setClockAndVerify},
     * as the single-temperature {@code --apply} does).
     *
     * @param verification         the clock set and the residual measured at the last temperature
     * @param predictedResidualPpm what the curve leaves there: the last run's crystal rate less the curve's
     * @param stepPpm              one trim step, ppm
     */
    record Applied(Calibrator.Verification verification, double predictedResidualPpm, double stepPpm) {
    }

    private final DeviceSession device;
    private final HostClock clock;
    private final Progress progress;
    private final PrintStream err;
    private final InputStream in;
    private final Map<String, String> env;

    TemperatureCalibration(DeviceSession device, HostClock clock, Progress progress, PrintStream err, InputStream in,
                           Map<String, String> env) {
        this.device = device;
        this.clock = clock;
        this.progress = progress;
        this.err = err;
        this.in = in;
        this.env = env;
    }

    Result run(List<Double> temperatures, Calibrator.Schedule schedule, Optional<Path> simControl,
               ClockDevice clockDevice) throws IOException, ApduException, InterruptedException, BadInputException {
        long serial = device.info().serial();
        Path file = CalibrationHistory.file(env, serial);
        CalibrationHistory history;
        try {
            history = CalibrationHistory.load(file, serial);
        } catch (CalibrationHistory.BadHistoryException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        Optional<CompensationCurve> previous = device.compensation();
        // Hold the trim: the compensation would move it during the runs (SET TRIM ends it).
        device.setTrim(device.clock().trim());
        List<TemperatureFit.Point> measured = new ArrayList<>();
        boolean restored = false;
        Calibrator last = null;
        double stepPpm = 0;
        try (SimControl control = simControl.isPresent() ? SimControl.connect(simControl.get()) : null) {
            for (double target : temperatures) {
                double sensor = reach(target, control);
                last = new Calibrator(clockDevice, clock, Pacer.sleeping(), progress);
                Calibration c = last.measure(schedule);
                stepPpm = c.stepPpm();
                ClockReading after = device.clock();
                double celsius = (sensor + device.temperature()) / 2;
                TemperatureFit.Point p = new TemperatureFit.Point(after.tokenMicros(), celsius, c.untrimmedPpm(),
                        c.estimate().rate95Ppm());
                measured.add(p);
                err.println(String.format(Locale.ROOT, "otptoken: at %.2f °C the crystal runs %+.3f ppm ± %.3f ppm",
                        celsius, p.ratePpm(), p.rate95Ppm()));
            }
        } finally {
            if (measured.size() < temperatures.size() && previous.isPresent()) {
                device.setCompensation(previous);
                restored = true;
            }
        }
        CalibrationHistory updated = history.with(measured);
        updated.save(file);
        TemperatureFit fit = TemperatureFit.fit(updated.points());
        Optional<Applied> applied = Optional.empty();
        if (schedule.apply()) {
            // the curve first: SET CLOCK keeps the compensation running from the new reading
            device.setCompensation(Optional.of(fit.curve()));
            TemperatureFit.Point there = measured.get(measured.size() - 1);
            double predicted = there.ratePpm() - fit.ratePpm(there.celsius(), there.tokenMicros());
            applied = Optional.of(new Applied(last.setClockAndVerify(schedule), predicted, stepPpm));
        } else if (previous.isPresent()) {
            device.setCompensation(previous);
            restored = true;
        }
        return new Result(serial, file, updated.points().size(), measured, fit, applied, restored);
    }

    /** Brings the token to {@code target}: through the simulator's control socket, or by the operator. */
    private double reach(double target, SimControl control) throws IOException, ApduException, InterruptedException,
            BadInputException {
        if (control != null) {
            control.temperature(target);
            long deadline = System.nanoTime() + SENSOR_WAIT.toNanos();
            double t = device.temperature();
            while (Math.abs(t - target) > SENSOR_TOLERANCE && System.nanoTime() < deadline) {
                Thread.sleep(POLL_MILLIS);
                t = device.temperature();
            }
            if (Math.abs(t - target) > SENSOR_TOLERANCE) {
                throw new IOException(String.format(Locale.ROOT,
                        "the token's sensor reads %.2f °C, not near the %.2f °C the simulator was given", t, target));
            }
            return t;
        }
        err.println(String.format(Locale.ROOT, "otptoken: bring the token to %.1f °C, let it settle (some 20 minutes"
                + " for a token in a climate chamber), then press Enter", target));
        err.flush();
        int b;
        do {
            b = in.read();
        } while (b != -1 && b != '\n');
        if (b == -1) {
            throw new BadInputException("standard input ended before the token reached " + target + " °C");
        }
        double t = device.temperature();
        err.println(String.format(Locale.ROOT, "otptoken: the token's sensor reads %.2f °C", t));
        return t;
    }

    static List<String> lines(Result r) {
        List<String> l = new ArrayList<>();
        for (TemperatureFit.Point p : r.measured()) {
            l.add(f("measured: %.2f °C: crystal %+.3f ppm ± %.3f ppm", p.celsius(), p.ratePpm(), p.rate95Ppm()));
        }
        TemperatureFit fit = r.fit();
        l.add(f("curve: turnover %.2f °C ± %.2f °C (on the token's sensor), k %.4f ± %.4f ppm/°C², offset %+.3f ppm"
                        + " ± %.3f ppm", fit.turnoverCelsius(), fit.turnover95(), fit.kPpmPerCelsius2(), fit.k95(),
                fit.offsetPpm(), fit.offset95()));
        if (fit.agingFitted()) {
            long year = fit.originMicros() + Math.round(365.25 * SECONDS_PER_DAY * 1e6);
            l.add(f("aging: %+.3f ppm ± %.3f ppm per ln(1 + age/30 d) since %s: %+.2f ppm at one year",
                    fit.agingPpm(), fit.aging95(), Instant.EPOCH.plusNanos(fit.originMicros() * 1000),
                    fit.ratePpm(fit.turnoverCelsius(), year) - fit.ratePpm(fit.turnoverCelsius())));
        } else {
            l.add("aging: not fitted (the history spans less than 14 days; calibrate again in a few weeks)");
        }
        l.add(f("history: %d calibration runs in %s", r.historyPoints(), r.historyFile()));
        l.add("prediction (the crystal alone, 95 %; a compensated token is off by the ± only):");
        long now = r.predictionMicros();
        for (int c : PREDICTION_CELSIUS) {
            double rate = fit.ratePpm(c, now);
            double band = fit.rate95Ppm(c, now);
            l.add(f("  %2d °C: %+8.3f ppm ± %.3f ppm (± %.3f s/day)", c, rate, band, band * SECONDS_PER_DAY / 1e6));
        }
        if (r.applied().isPresent()) {
            Applied a = r.applied().get();
            l.add(f("applied: curve written (the token sets its trim every 64 s from its sensor); clock set to %s",
                    a.verification().clockSetTo()));
            l.addAll(CalibrateCommand.verificationLines(a.verification().residual(), a.predictedResidualPpm(),
                    a.stepPpm()));
        } else {
            l.add(r.previousRestored() ? "not applied: the token's previous curve was written back"
                    : "not applied (use --apply to write the curve)");
        }
        return l;
    }

    static Map<String, Object> json(Result r) {
        TemperatureFit fit = r.fit();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("serial", r.serial());
        List<Object> m = new ArrayList<>();
        for (TemperatureFit.Point p : r.measured()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("celsius", Json.round(p.celsius(), 2));
            o.put("crystal_ppm", Json.round(p.ratePpm(), 3));
            o.put("crystal_95_ppm", Json.round(p.rate95Ppm(), 3));
            m.add(o);
        }
        j.put("measured", m);
        j.put("turnover_celsius", Json.round(fit.turnoverCelsius(), 3));
        j.put("turnover_95_celsius", Json.round(fit.turnover95(), 3));
        j.put("k_ppm_per_celsius2", Json.round(fit.kPpmPerCelsius2(), 6));
        j.put("k_95_ppm_per_celsius2", Json.round(fit.k95(), 6));
        j.put("offset_ppm", Json.round(fit.offsetPpm(), 3));
        j.put("offset_95_ppm", Json.round(fit.offset95(), 3));
        j.put("aging_fitted", fit.agingFitted());
        j.put("aging_ppm", Json.round(fit.agingPpm(), 3));
        j.put("aging_95_ppm", Json.round(fit.aging95(), 3));
        j.put("history_file", r.historyFile().toString());
        List<Object> pred = new ArrayList<>();
        long now = r.predictionMicros();
        for (int c : PREDICTION_CELSIUS) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("celsius", c);
            o.put("crystal_ppm", Json.round(fit.ratePpm(c, now), 3));
            o.put("crystal_95_ppm", Json.round(fit.rate95Ppm(c, now), 3));
            pred.add(o);
        }
        j.put("prediction", pred);
        j.put("applied", r.applied().map(a -> CalibrateCommand.appliedJson(a.verification().clockSetTo(),
                Map.of("curve_written", true), a.predictedResidualPpm(), a.verification().residual())).orElse(null));
        return j;
    }
}
