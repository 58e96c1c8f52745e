package dev.otptoken.benchmarks;

import dev.otptoken.firmware.device.ClockCompensation;
import dev.otptoken.firmware.device.CompensationRecord;
import dev.otptoken.firmware.device.DeviceApplet;
import dev.otptoken.firmware.device.DeviceCommands;
import dev.otptoken.firmware.device.DeviceState;
import dev.otptoken.firmware.device.CapacityReport;
import dev.otptoken.firmware.runtime.CardRuntime;
import dev.otptoken.hardware.clock.CrystalModel;
import dev.otptoken.hardware.clock.DriftingRtc;
import dev.otptoken.hardware.clock.PiecewiseLinearTemperature;
import dev.otptoken.hardware.clock.TemperatureSensor;
import dev.otptoken.hardware.clock.TrimRegister;
import dev.otptoken.hardware.clock.VirtualTimeSource;
import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.host.calibrate.ClockSample;
import dev.otptoken.host.calibrate.DriftEstimate;
import dev.otptoken.host.calibrate.TemperatureFit;
import dev.otptoken.host.calibrate.TrimPlan;
import dev.otptoken.host.calibrate.YearProfile;
import dev.otptoken.host.session.ClockReading;
import dev.otptoken.host.session.CompensationCurve;
import dev.otptoken.host.session.DeviceSession;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.device.Device;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A year of a token's clock under three calibration policies, side by side
 * (docs/calibration.md, "A year with compensation"; run by {@code benchmarks/clock-year.sh}).
 *
 * <p>The crystal, the year and the counting are {@link DriftYearBenchmark}'s (18 ppm at
 * 25 °C, k = 0.034, T0 = 25 °C, 3 ppm of first-year aging, the monthly profile from 12 to
 * 29 °C) with a daily swing of ±5 °C on top (coldest at 03:00, warmest at 15:00), sampled
 * hourly: the host's representative year, {@link YearProfile}. Every policy gets its own token: the hardware RTC ({@link DriftingRtc}) and
 * temperature sensor, the firmware's device applet on the card runtime (its compensation,
 * {@link ClockCompensation}, woken by the RTC's alarm every 64 s of the token's clock), and
 * the host's {@link DeviceSession} talking APDUs to it. Calibrations are the host's fitting
 * code ({@link DriftEstimate}, {@link TemperatureFit}, {@link AgingFit}) on simulated 60-second
 * runs of GET CLOCK exchanges: 1,000 exchanges a second, each way 60 µs plus an exponential
 * delay of mean 15 µs, and an asymmetry that drifts over the run by a normal amount of σ 4 µs
 * (half the 8 µs calibrate allows for; docs/calibration.md, "Accuracy"). Nothing reads the
 * crystal's parameters.
 *
 * <ul>
 *   <li>{@code trim}: one calibration at 25 °C, the trim set (what {@code calibrate --apply} does).
 *   <li>{@code trim+temperature}: calibrations at 10 and 35 °C, the curve written (no aging term).
 *   <li>{@code trim+temperature+aging}: the same, and a calibration where the token is one month
 *       later; the aging term fitted from the two and the curve written again.
 * </ul>
 *
 * <p>Every 30-second step of the year the token's clock is read at the step's middle. Printed
 * per policy: the worst offset; the share of steps shown wrong, the chance that a press at a
 * random moment of the step shows another step's code, {@code min(1, |offset|/30 s)}; and, as
 * {@code DriftYearBenchmark} counts it, the steps whose middle falls in another step.
 */
public final class ClockYear {
    static final long S = 1_000_000_000L;
    static final long HOUR = 3600 * S;
    static final long DAY = 24 * HOUR;
    static final long START = DriftYearBenchmark.START.getEpochSecond() * S;
    /** The token is made two days before the year, calibrated in the lab the day before it. */
    static final long MADE = START - 2 * DAY;
    static final long STEP = 30 * S;
    static final int STEPS = DriftYearBenchmark.STEPS;
    static final int STEPS_PER_DAY = (int) (DAY / STEP);
    static final int SAMPLES_PER_SECOND = 1000;
    /** Each calibration run: 10 minutes (calibrate --duration 10m), unless the second argument says otherwise. */
    static final long DEFAULT_RUN_SECONDS = 600;
    static long run = DEFAULT_RUN_SECONDS * S;
    static final double LINK_MIN_MICROS = 60;
    static final double LINK_MEAN_EXTRA_MICROS = 15;
    static final double ASYMMETRY_DRIFT_SIGMA_MICROS = 4;
    /** Lab: 25 °C on the first day, 10 °C and 35 °C on the second. */
    static final long LAB_25 = MADE + 12 * HOUR;
    static final long LAB_10 = START - 16 * HOUR;
    static final long LAB_35 = START - 10 * HOUR;
    /** A month later the lab again: 10 °C for 5 h, then 35 °C for 5 h. */
    static final long SECOND_LAB = START + 30 * DAY;
    static final long SECOND_10 = SECOND_LAB + 2 * HOUR;
    static final long SECOND_35 = SECOND_LAB + 8 * HOUR;
    static final long SERIAL = 12_345_678;

    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        run = (args.length > 1 ? Long.parseLong(args[1]) : DEFAULT_RUN_SECONDS) * S;
        java.nio.file.Path plot = args.length > 2 ? java.nio.file.Path.of(args[2]) : null;
        org.jfree.data.xy.XYSeriesCollection days = new org.jfree.data.xy.XYSeriesCollection();
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "clock-year: crystal +%.0f ppm at 25 °C, k 0.034 ppm/°C², T0 25 °C, %.0f ppm aging in"
                        + " the first year; 12–29 °C monthly, ±%.0f °C daily; sensor offset %+.2f °C; calibration runs of %d s;"
                        + " seed %d%n",
                DriftYearBenchmark.TOLERANCE_PPM, DriftYearBenchmark.AGING_PPM_FIRST_YEAR, YearProfile.DAILY_SWING,
                TemperatureSensor.offsetForSerial(SERIAL), run / S, seed);
        List<String> results = new ArrayList<>();
        for (Policy p : Policy.values()) {
            long t0 = System.nanoTime();
            Year y = new Token(seed).run(p, out);
            org.jfree.data.xy.XYSeries daily = new org.jfree.data.xy.XYSeries(p.label);
            for (int d = 0; d < y.dailyOffsets().length; d++) {
                daily.add(d, y.dailyOffsets()[d]);
            }
            days.addSeries(daily);
            results.add(String.format(Locale.ROOT, "policy %s: worst %.1f s, wrong steps %.1f %%", p.label,
                    y.worstSeconds, 100 * y.wrongShare));
            out.printf(Locale.ROOT, "  %s: end %+.1f s, worst %.1f s, wrong at a random moment %.1f %%, mid-step"
                            + " wrong %d of %d steps (%.1f %%); simulated in %.1f s%n",
                    p.label, y.endSeconds, y.worstSeconds, 100 * y.wrongShare, y.midStepWrong, STEPS,
                    100.0 * y.midStepWrong / STEPS, (System.nanoTime() - t0) / 1e9);
        }
        if (plot != null) {
            System.setProperty("java.awt.headless", "true");
            org.jfree.chart.JFreeChart chart = org.jfree.chart.ChartFactory.createXYLineChart(
                    "A year of the token's clock: three calibration policies", "day of the year",
                    "clock offset at noon (s)", days);
            chart.addSubtitle(new org.jfree.chart.title.TextTitle(String.join("   ", results)));
            chart.getXYPlot().setBackgroundPaint(java.awt.Color.WHITE);
            chart.getXYPlot().setDomainGridlinePaint(java.awt.Color.LIGHT_GRAY);
            chart.getXYPlot().setRangeGridlinePaint(java.awt.Color.LIGHT_GRAY);
            dev.otptoken.host.plot.PlotFile.write(chart, plot);
            out.println("clock-year: plot written to " + plot);
        }
        results.forEach(out::println);
    }

    enum Policy {
        TRIM("trim"), TEMPERATURE("trim+temperature"), AGING("trim+temperature+aging");

        final String label;

        Policy(String label) {
            this.label = label;
        }
    }

    record Year(double worstSeconds, double wrongShare, long midStepWrong, double endSeconds, double[] dailyOffsets) {
    }

    /** The year's temperature: the lab days, then the monthly profile plus the daily swing, hourly. */
    static PiecewiseLinearTemperature temperature() {
        List<long[]> times = new ArrayList<>();
        List<Double> temps = new ArrayList<>();
        long[] at = {MADE, START - 20 * HOUR, START - 19 * HOUR, START - 14 * HOUR, START - 13 * HOUR,
            START - 8 * HOUR};
        double[] c = {25, 25, 10, 10, 35, 35};
        for (int i = 0; i < at.length; i++) {
            times.add(new long[] {at[i]});
            temps.add(c[i]);
        }
        int hours = (int) ((STEPS * STEP + 2 * DAY) / HOUR);
        for (int h = 0; h <= hours; h++) {
            long t = START + h * HOUR;
            times.add(new long[] {t});
            long lab = t - SECOND_LAB;
            temps.add(lab >= 0 && lab <= 5 * HOUR ? 10 : lab >= 6 * HOUR && lab <= 10 * HOUR ? 35 : yearCelsius(t));
        }
        return new PiecewiseLinearTemperature(times.stream().mapToLong(a -> a[0]).toArray(),
                temps.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The host's representative year ({@link YearProfile}), the year starting on 1 January at {@link #START}. */
    static double yearCelsius(long t) {
        return YearProfile.celsius((t - START) / (double) DAY);
    }

    /** One token: hardware, firmware and the host's session to it. */
    static final class Token {
        final VirtualTimeSource time = new VirtualTimeSource(java.time.Instant.EPOCH);
        final DriftingRtc rtc;
        final ClockCompensation compensation;
        final DeviceSession host;
        final SplittableRandom random;

        Token(long seed) throws IOException, ApduException {
            random = new SplittableRandom(seed);
            time.setNanos(MADE);
            PiecewiseLinearTemperature profile = temperature();
            CrystalModel crystal = new CrystalModel(DriftYearBenchmark.TOLERANCE_PPM,
                    CrystalModel.DEFAULT_TURNOVER_CELSIUS, CrystalModel.DEFAULT_K,
                    DriftYearBenchmark.AGING_PPM_FIRST_YEAR, profile);
            rtc = new DriftingRtc(time, crystal, TrimRegister.STM32_CALR, MADE, MADE, 0);
            TemperatureSensor sensor = new TemperatureSensor(time, profile, TemperatureSensor.offsetForSerial(SERIAL));
            TransactionalMemory memory = TransactionalMemory.fresh(512, TransactionalMemory.MIN_JOURNAL_SIZE, null);
            DeviceState state = new DeviceState(memory, 0);
            state.format(SERIAL, MADE / 1000, MADE / 1000, 0);
            CompensationRecord curve = new CompensationRecord(memory, DeviceState.SIZE);
            compensation = new ClockCompensation(rtc, sensor::readQuarterCelsius, curve.curve());
            CardRuntime runtime = new CardRuntime(memory);
            runtime.install(Device.aid(), new DeviceApplet(new DeviceCommands(state, curve, compensation, rtc,
                    () -> Math.floorDiv(time.epochNanos(), 1000L), NO_ACCOUNTS, 0)));
            host = new DeviceSession(runtime::transmit);
            host.select();
        }

        /** A calibration run of 60 s from true time {@code at}: the crystal's rate, trim removed, and the sensor. */
        TemperatureFit.Point measure(long at) throws IOException, ApduException {
            time.setNanos(at);
            ClockReading before = host.clock();
            double celsius = host.temperature();
            double drift = random.nextGaussian() * ASYMMETRY_DRIFT_SIGMA_MICROS;
            List<ClockSample> samples = new ArrayList<>();
            long step = S / SAMPLES_PER_SECOND;
            for (long sent = at; sent < at + run; sent += step) {
                double along = (sent - at) / (double) run;
                long forward = Math.round((LINK_MIN_MICROS + exp() + drift * along) * 1000);
                long back = Math.round((LINK_MIN_MICROS + exp()) * 1000);
                long reading = Math.floorDiv(rtc.readingNanosAt(sent + forward), 1000L);
                samples.add(new ClockSample(sent, sent + forward + back, reading));
            }
            time.setNanos(at + run);
            celsius = (celsius + host.temperature()) / 2;
            DriftEstimate e = DriftEstimate.fit(samples);
            return new TemperatureFit.Point(before.tokenMicros(), celsius, TrimPlan.untrimmedPpm(e.ratePpm(), before.trim(), stepPpm(before)),
                    e.rate95Ppm());
        }

        private double exp() {
            return -LINK_MEAN_EXTRA_MICROS * Math.log(1 - random.nextDouble());
        }

        Year run(Policy policy, PrintStream out) throws IOException, ApduException {
            List<TemperatureFit.Point> history = new ArrayList<>();
            if (policy == Policy.TRIM) {
                TemperatureFit.Point p = measure(LAB_25);
                ClockReading c = host.clock();
                TrimPlan plan = TrimPlan.of(p.ratePpm() + c.trim() * stepPpm(c), c.trim(), stepPpm(c), c.trimMin(),
                        c.trimMax());
                host.setTrim(plan.newTrim());
                out.printf(Locale.ROOT, "  trim: at %.2f °C %+.3f ± %.3f ppm, trim %d%n", p.celsius(), p.ratePpm(),
                        p.rate95Ppm(), plan.newTrim());
            } else {
                TemperatureFit.Point cold = measure(LAB_10);
                TemperatureFit.Point warm = measure(LAB_35);
                history.add(cold);
                history.add(warm);
                TemperatureFit fit = TemperatureFit.fit(history);
                host.setCompensation(Optional.of(fit.curve()));
                out.printf(Locale.ROOT, "  %s: %+.3f ppm at %.2f °C, %+.3f ppm at %.2f °C; fit offset %+.3f ± %.3f ppm,"
                                + " T0 %.2f ± %.2f °C, k %.4f ± %.4f%n", policy.label, cold.ratePpm(), cold.celsius(),
                        warm.ratePpm(), warm.celsius(), fit.offsetPpm(), fit.offset95(), fit.turnoverCelsius(),
                        fit.turnover95(), fit.kPpmPerCelsius2(), fit.k95());
            }
            // the year: steps read at their middle, the compensation's alarm in between
            time.setNanos(START);
            host.setClock(java.time.Instant.ofEpochSecond(0, START), true);
            double worst = 0;
            double wrong = 0;
            long midWrong = 0;
            double end = 0;
            double[] daily = new double[STEPS / STEPS_PER_DAY];
            boolean recalibrated = policy != Policy.AGING;
            long secondAt = SECOND_10 - HOUR;
            long alarm = nextAlarm();
            for (int i = 0; i < STEPS; i++) {
                long mid = START + i * STEP + STEP / 2;
                if (!recalibrated && mid >= secondAt) {
                    runTo(secondAt, alarm);
                    secondCalibration(history, out);
                    recalibrated = true;
                    alarm = nextAlarm();
                }
                alarm = runTo(mid, alarm);
                time.setNanos(mid);
                long reading = rtc.readingNanosAt(mid);
                double off = (reading - mid) / 1e9;
                worst = Math.max(worst, Math.abs(off));
                wrong += Math.min(1, Math.abs(off) / 30);
                if (Math.floorDiv(reading, STEP) != Math.floorDiv(mid, STEP)) {
                    midWrong++;
                }
                end = off;
                if (i % STEPS_PER_DAY == STEPS_PER_DAY / 2) {
                    daily[i / STEPS_PER_DAY] = off;
                }
            }
            return new Year(worst, wrong / STEPS, midWrong, end, daily);
        }

        /** Lets the compensation's alarms before {@code until} go off; returns the next one's true time. */
        private long runTo(long until, long alarm) {
            while (alarm <= until) {
                time.setNanos(alarm);
                compensation.update();
                alarm = nextAlarm();
            }
            return alarm;
        }

        private long nextAlarm() {
            long next = compensation.nextUpdateMicros();
            return next == Long.MAX_VALUE ? Long.MAX_VALUE : rtc.trueNanosWhenReading(Math.multiplyExact(next, 1000L));
        }

        /**
         * A month later in the lab at 10 and 35 °C again: the trim held (which ends the
         * compensation), two runs, all four fitted together, the curve with aging written.
         */
        private void secondCalibration(List<TemperatureFit.Point> history, PrintStream out)
                throws IOException, ApduException {
            time.setNanos(SECOND_10 - HOUR);
            host.setTrim(host.clock().trim());
            history.add(measure(SECOND_10));
            history.add(measure(SECOND_35));
            TemperatureFit fit = TemperatureFit.fit(history);
            host.setCompensation(Optional.of(fit.curve()));
            out.printf(Locale.ROOT, "  %s: day 30 %+.3f ppm at %.2f °C, %+.3f ppm at %.2f °C; fit offset %+.3f ppm,"
                            + " T0 %.2f °C, k %.4f, aging α %+.3f ± %.3f ppm, %+.2f ppm at one year%n",
                    Policy.AGING.label, history.get(2).ratePpm(), history.get(2).celsius(), history.get(3).ratePpm(),
                    history.get(3).celsius(), fit.offsetPpm(), fit.turnoverCelsius(), fit.kPpmPerCelsius2(),
                    fit.agingPpm(), fit.aging95(), fit.ratePpm(25 + 0.0, fit.originMicros() + 365L * 86_400_000_000L)
                            - fit.ratePpm(25));
        }
    }

    static double stepPpm(ClockReading c) {
        return c.trimStepPpt() / 1e6;
    }

    private static final CapacityReport NO_ACCOUNTS = new CapacityReport() {
        @Override
        public int accountsUsed() {
            return 0;
        }

        @Override
        public int accountsCapacity() {
            return 0;
        }

        @Override
        public long bytesUsed() {
            return 0;
        }

        @Override
        public long bytesTotal() {
            return 0;
        }
    };

    private ClockYear() {
    }
}
