package dev.otptoken.host.cli;

import dev.otptoken.files.FileReason;
import dev.otptoken.host.calibrate.Calibration;
import dev.otptoken.host.calibrate.Calibrator;
import dev.otptoken.host.calibrate.ClockDevice;
import dev.otptoken.host.calibrate.DriftEstimate;
import dev.otptoken.host.calibrate.DurationText;
import dev.otptoken.host.calibrate.HostClock;
import dev.otptoken.host.calibrate.Pacer;
import dev.otptoken.host.calibrate.Progress;
import dev.otptoken.host.calibrate.SampleCsv;
import dev.otptoken.host.calibrate.SampleLog;
import dev.otptoken.host.calibrate.TemperatureFit;
import dev.otptoken.host.calibrate.TrimPlan;
import dev.otptoken.host.plot.CalibrationPlot;
import dev.otptoken.host.plot.CurvePlot;
import dev.otptoken.host.plot.PlotFile;
import dev.otptoken.host.session.ClockReading;
import dev.otptoken.host.session.DeviceSession;
import dev.otptoken.host.session.Token;
import dev.otptoken.protocol.apdu.ApduException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Measure the token clock against the host's: offset (s) and rate (ppm) with 95 %% intervals.",
            "With --apply, set the token clock to the host's time (backwards too), trim the rate, and measure again."},
        footer = {"", "Examples:", "  otptoken calibrate                           measure for 60 s",
            "  otptoken calibrate --duration 10m --apply    then set clock and trim, measure",
            "  otptoken calibrate --json --samples s.csv    JSON; every exchange in s.csv",
            "  otptoken calibrate --plot run.svg            and draw the offset and the fit",
            "", "Exit status: 0 measured (and applied); 2 usage error (--duration outside 5 s..24 h, --plot not"
                    + " .svg or .png); 3 --samples, --plot or the calibration history cannot be written (or the"
                    + " history read); 4 no token or the line failed;"
                    + " 5 the token refused."})
final class CalibrateCommand extends TokenCommand implements JsonOutput {
    /** Default measuring time: long enough for ±0.3 ppm over a pseudo-terminal. */
    static final String DEFAULT_DURATION = "60s";
    static final Duration MIN_DURATION = Duration.ofSeconds(5);
    static final Duration MAX_DURATION = Duration.ofHours(24);
    /** The verifier window the "days until" line is about: ±1 step, the usual server default. */
    static final int WINDOW_STEPS = 1;
    static final int PERIOD_SECONDS = 30;
    static final String TEMPERATURE_NOTE = "valid at the temperature it was measured at"
            + " (a tuning-fork crystal loses about 0.034 ppm/°C² away from its turnover near 25 °C)";

    @Option(names = "--duration", paramLabel = "D", defaultValue = DEFAULT_DURATION, converter = DurationConverter.class,
            description = "how long to measure: 60, 60s, 2m, 1h (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--apply", description = "write the clock and the trim, then measure again and report the residual")
    boolean apply;

    @Option(names = "--samples", paramLabel = "FILE.csv",
            description = "also write every exchange (phase, host send and receive ns, token µs) to FILE.csv:"
                    + " about 65 bytes each, 0.3 to 1 MB per second of the run over a pseudo-terminal")
    Path samples;

    @Option(names = "--temperatures", paramLabel = "C,C[,...]", split = ",",
            description = "measure at each of these temperatures (°C), fit the crystal's curve and, with --apply,"
                    + " write it: the token then retrims itself every 64 s from its temperature sensor")
    List<Double> temperatures;

    @Option(names = "--sim-control", paramLabel = "SOCKET",
            description = "with --temperatures: set each temperature through the simulator's control socket"
                    + " (otptoken-sim --control SOCKET) instead of asking the operator")
    Path simControl;

    @Option(names = "--plot", paramLabel = "FILE.svg|FILE.png",
            description = "also draw the measurement (SVG or PNG): the offset over time with the fitted line, its"
                    + " 95 %% band and the residuals; with --temperatures the fitted curve, its band, the runs and"
                    + " their residuals, and the predicted year")
    Path plot;

    @Override
    public Integer call() throws UsageException, BadInputException, IOException, ApduException, InterruptedException,
            RefusedException {
        if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(MAX_DURATION) > 0) {
            throw new UsageException("--duration must be between 5 s and 24 h");
        }
        if (plot != null && !PlotFile.supported(plot)) {
            throw new UsageException("--plot: the file must end in .svg or .png");
        }
        if (temperatures != null) {
            return callTemperatures();
        }
        if (simControl != null) {
            throw new UsageException("--sim-control goes with --temperatures");
        }
        Progress progress = root().env.console() && !json() ? new ProgressBar(err()) : Progress.NONE;
        // Monotonic ticks anchored once to the injected wall clock: a wall-clock step mid-run
        // would otherwise read as a jump of the token's offset.
        HostClock clock = new HostClock(root().env.clock(), System::nanoTime);
        Calibrator.Schedule schedule = Calibrator.Schedule.of(duration, apply);
        Calibration c;
        try (SampleCsv csv = samples == null ? null : createCsv(samples); Token token = openToken()) {
            DeviceSession device = clockDevice(token);
            err().println(announcement(schedule));
            c = new Calibrator(adapt(device), clock, Pacer.sleeping(), progress)
                    .recordingTo(csv == null ? SampleLog.NONE : csv)
                    .run(schedule);
        }
        if (json()) {
            out().println(Json.write(json(c)));
        } else {
            lines(c).forEach(out()::println);
        }
        // after the report: a plot that cannot be written loses no measurement
        if (plot != null) {
            writePlot(List.of(CalibrationPlot.chart(c,
                    "otptoken calibrate: the token's clock during the measurement")));
        }
        return ExitStatus.OK;
    }

    private int callTemperatures() throws UsageException, BadInputException, IOException, ApduException,
            InterruptedException, RefusedException {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double t : temperatures) {
            if (!Double.isFinite(t) || t < TemperatureCalibration.MIN_CELSIUS || t > TemperatureCalibration.MAX_CELSIUS) {
                throw new UsageException("--temperatures: each must be between -40 and 85 °C");
            }
            lo = Math.min(lo, t);
            hi = Math.max(hi, t);
        }
        if (temperatures.size() < 2 || hi - lo < TemperatureFit.MIN_TEMPERATURE_SPREAD) {
            throw new UsageException("--temperatures: two or more, at least 5 °C apart (such as 10,25,40)");
        }
        if (samples != null) {
            throw new UsageException("--samples cannot be combined with --temperatures");
        }
        Progress progress = root().env.console() && !json() ? new ProgressBar(err()) : Progress.NONE;
        HostClock clock = new HostClock(root().env.clock(), System::nanoTime);
        TemperatureCalibration.Result r;
        try (Token token = openToken()) {
            DeviceSession device = clockDevice(token);
            Calibrator.Schedule schedule = Calibrator.Schedule.of(duration, apply);
            err().println(temperatureAnnouncement(temperatures.size(), schedule));
            r = new TemperatureCalibration(device, clock, progress, err(), root().env.in(), root().env.environment())
                    .run(temperatures, schedule, java.util.Optional.ofNullable(simControl), adapt(device));
        }
        if (json()) {
            out().println(Json.write(TemperatureCalibration.json(r)));
        } else {
            TemperatureCalibration.lines(r).forEach(out()::println);
        }
        if (plot != null) {
            writePlot(CurvePlot.charts(r.fit(), r.measured(), r.predictionMicros(), r.serial()));
        }
        return ExitStatus.OK;
    }

    private void writePlot(List<JFreeChart> charts) throws BadInputException {
        try {
            PlotFile.write(charts, plot);
        } catch (IOException e) {
            throw new BadInputException("cannot write " + plot + ": " + FileReason.writing(e), e);
        }
        err().println("otptoken: plot written to " + plot);
    }

    /**
     * The line said before the run starts: how long it takes in all and in which parts, from
     * the schedule the run follows ({@code otptoken: calibrating for about 1 min 12 s: 12 s
     * warm-up, 1 min measurement}).
     */
    static String announcement(Calibrator.Schedule schedule) {
        return "otptoken: calibrating for about " + DurationText.format(schedule.total()) + ": "
                + partsText(schedule.parts());
    }

    /**
     * The line said before {@code --temperatures} starts: the runs at each temperature and, with
     * {@code --apply}, the settling and verification after the curve is written ({@code otptoken:
     * calibrating at 3 temperatures, about 1 min 12 s at each once the token is there (12 s
     * warm-up, 1 min measurement), then 3 s settling, 30 s verification}).
     */
    static String temperatureAnnouncement(int temperatures, Calibrator.Schedule schedule) {
        List<Calibrator.Schedule.Part> each = schedule.measuring();
        Duration atEach = each.stream().map(Calibrator.Schedule.Part::duration).reduce(Duration.ZERO, Duration::plus);
        String line = "otptoken: calibrating at " + temperatures + " temperatures, about " + DurationText.format(atEach)
                + " at each once the token is there (" + partsText(each) + ")";
        List<Calibrator.Schedule.Part> after = schedule.verifying();
        return after.isEmpty() ? line : line + ", then " + partsText(after);
    }

    private static String partsText(List<Calibrator.Schedule.Part> parts) {
        StringBuilder sb = new StringBuilder();
        for (Calibrator.Schedule.Part part : parts) {
            sb.append(sb.isEmpty() ? "" : ", ").append(DurationText.format(part.duration())).append(' ')
                    .append(part.name());
        }
        return sb.toString();
    }

    private static SampleCsv createCsv(Path file) throws BadInputException {
        try {
            return SampleCsv.create(file);
        } catch (IOException e) {
            throw new BadInputException("cannot write " + file + ": " + FileReason.writing(e), e);
        }
    }

    /**
     * The device applet as calibration uses it. Calibration retries a failed GET CLOCK
     * (docs/calibration.md); a failed exchange may have ended in, or leaves the line needing,
     * S(RESYNCH), a warm reset that drops the token's selection. So after one, the applet is
     * selected again before the next exchange, as it was at the start.
     */
    static ClockDevice adapt(DeviceSession device) {
        return new ClockDevice() {
            private boolean reselect;

            @Override
            public ClockReading clock() throws IOException, ApduException {
                return exchange(device::clock);
            }

            @Override
            public void setClock(Instant time, boolean force) throws IOException, ApduException {
                exchange(() -> {
                    device.setClock(time, force);
                    return null;
                });
            }

            @Override
            public void setTrim(int steps) throws IOException, ApduException {
                exchange(() -> {
                    device.setTrim(steps);
                    return null;
                });
            }

            private <T> T exchange(Exchange<T> e) throws IOException, ApduException {
                try {
                    if (reselect) {
                        device.select();
                        reselect = false;
                    }
                    return e.run();
                } catch (IOException failed) {
                    reselect = true;
                    throw failed;
                }
            }
        };
    }

    /** One exchange with the device applet. */
    private interface Exchange<T> {
        T run() throws IOException, ApduException;
    }

    /** The human report. */
    static List<String> lines(Calibration c) {
        List<String> l = new ArrayList<>();
        DriftEstimate e = c.estimate();
        l.add(f("offset: %+.4f s ± %.4f s", e.offsetSeconds(), e.offset95()));
        l.add(f("rate: %+.2f ppm ± %.2f ppm (%+.3f s/day, %+.1f s/year)", e.ratePpm(), e.rate95Ppm(),
                e.secondsPerDay(), e.secondsPerYear()));
        l.add(f("trim: %d steps of %.4f ppm (%+.3f ppm); crystal alone: %+.2f ppm", c.trim(), c.stepPpm(),
                c.trim() * c.stepPpm(), c.untrimmedPpm()));
        l.add("window: " + windowText(e));
        l.add(f("samples: %d of %d exchanges used (the fastest tenth of each second), over %.1f s (residual σ %.0f µs)",
                e.samplesUsed(), e.samplesUsed() + e.samplesDiscarded(), e.spanSeconds(), e.residualMicros()));
        c.applied().ifPresent(a -> {
            TrimPlan p = a.plan();
            l.add(f("applied: clock set to %s; trim %d -> %d (%+.3f ppm)%s", a.clockSetTo(), p.currentTrim(),
                    p.newTrim(), p.newTrim() * p.stepPpm(), p.clamped() ? ", clamped to the register's range" : ""));
            l.addAll(verificationLines(a.residual(), p.predictedResidualPpm(), p.stepPpm()));
        });
        l.add("note: " + TEMPERATURE_NOTE);
        return l;
    }

    /**
     * What the verification after {@code --apply} found, said the same after a trim and after a
     * curve: the residual against the one expected, and how long the token now stays in the window.
     */
    static List<String> verificationLines(DriftEstimate r, double expectedPpm, double stepPpm) {
        return List.of(f("residual: offset %+.4f s ± %.4f s, rate %+.2f ppm ± %.2f ppm (expected %+.2f ppm;"
                        + " trim resolution ±%.2f ppm)", r.offsetSeconds(), r.offset95(), r.ratePpm(), r.rate95Ppm(),
                        expectedPpm, stepPpm / 2),
                "window: after trimming, " + windowText(r));
    }

    private static String windowText(DriftEstimate e) {
        double days = e.daysUntilOutsideWindow(PERIOD_SECONDS, WINDOW_STEPS);
        String within = f("leaves ±%d step (%d s) ", WINDOW_STEPS, PERIOD_SECONDS * WINDOW_STEPS);
        if (Double.isInfinite(days)) {
            return within + "never at this rate";
        }
        if (days == 0) {
            return f("already outside ±%d step (%d s): offset %+.1f s", WINDOW_STEPS,
                    PERIOD_SECONDS * WINDOW_STEPS, e.offsetSeconds());
        }
        return within + f("in %.0f days", days);
    }

    /** The {@code --json} document: seconds to the microsecond, ppm to the ppb, the rest to what it means. */
    static Map<String, Object> json(Calibration c) {
        Map<String, Object> j = estimateJson(c.estimate());
        j.put("trim", c.trim());
        j.put("trim_step_ppm", Json.round(c.stepPpm(), 6));
        j.put("trim_min", c.trimMin());
        j.put("trim_max", c.trimMax());
        j.put("untrimmed_ppm", Json.round(c.untrimmedPpm(), 3));
        j.put("temperature_note", TEMPERATURE_NOTE);
        Map<String, Object> applied = null;
        if (c.applied().isPresent()) {
            Calibration.Applied a = c.applied().get();
            Map<String, Object> trim = new LinkedHashMap<>();
            trim.put("trim_before", a.plan().currentTrim());
            trim.put("trim_after", a.plan().newTrim());
            trim.put("trim_clamped", a.plan().clamped());
            applied = appliedJson(a.clockSetTo(), trim, a.plan().predictedResidualPpm(), a.residual());
        }
        j.put("applied", applied);
        return j;
    }

    /**
     * The {@code applied} object of {@code --json}, the same after a trim and after a curve:
     * {@code clock_set_to}, what else was written ({@code writes}), {@code predicted_residual_ppm}
     * and the verification's {@code residual}.
     */
    static Map<String, Object> appliedJson(Instant clockSetTo, Map<String, Object> writes, double predictedResidualPpm,
                                           DriftEstimate residual) {
        Map<String, Object> applied = new LinkedHashMap<>();
        applied.put("clock_set_to", clockSetTo.toString());
        applied.putAll(writes);
        applied.put("predicted_residual_ppm", Json.round(predictedResidualPpm, 3));
        applied.put("residual", estimateJson(residual));
        return applied;
    }

    private static Map<String, Object> estimateJson(DriftEstimate e) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("at", HostClock.instant(e.atHostNanos()).toString());
        j.put("offset_seconds", Json.round(e.offsetSeconds(), 6));
        j.put("offset_95_seconds", Json.round(e.offset95(), 6));
        j.put("rate_ppm", Json.round(e.ratePpm(), 3));
        j.put("rate_95_ppm", Json.round(e.rate95Ppm(), 3));
        j.put("seconds_per_day", Json.round(e.secondsPerDay(), 4));
        j.put("seconds_per_year", Json.round(e.secondsPerYear(), 2));
        j.put("window_steps", WINDOW_STEPS);
        j.put("period_seconds", PERIOD_SECONDS);
        j.put("days_until_outside_window", Json.round(e.daysUntilOutsideWindow(PERIOD_SECONDS, WINDOW_STEPS), 1));
        j.put("samples_used", e.samplesUsed());
        j.put("samples_discarded", e.samplesDiscarded());
        j.put("span_seconds", Json.round(e.spanSeconds(), 3));
        j.put("residual_sigma_us", Json.round(e.residualMicros(), 1));
        return j;
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** {@code --duration} values. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return DurationText.parse(value);
            } catch (DurationText.InvalidDurationException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A one-line bar on standard error, redrawn at most a few times a second. */
    static final class ProgressBar implements Progress {
        private static final int WIDTH = 30;
        private static final long REDRAW_NANOS = 200_000_000L;
        private final PrintStream err;
        private long lastDrawn = Long.MIN_VALUE;
        private boolean drawn;

        ProgressBar(PrintStream err) {
            this.err = err;
        }

        @Override
        public void update(String phase, long elapsedNanos, long totalNanos, int samples) {
            if (drawn && elapsedNanos - lastDrawn < REDRAW_NANOS && elapsedNanos < totalNanos) {
                return;
            }
            lastDrawn = elapsedNanos;
            drawn = true;
            err.print("\r" + render(phase, elapsedNanos, totalNanos, samples));
            err.flush();
        }

        static String render(String phase, long elapsedNanos, long totalNanos, int samples) {
            double fraction = totalNanos <= 0 ? 1 : Math.min(1, Math.max(0, (double) elapsedNanos / totalNanos));
            int full = (int) Math.round(fraction * WIDTH);
            return f("%-9s [%s%s] %3.0f%%  %.0f/%.0f s  %d readings", phase, "#".repeat(full),
                    " ".repeat(WIDTH - full), fraction * 100, elapsedNanos / 1e9, totalNanos / 1e9, samples);
        }

        @Override
        public void done() {
            if (drawn) {
                err.println();
            }
            drawn = false;
            lastDrawn = Long.MIN_VALUE;
        }
    }
}
