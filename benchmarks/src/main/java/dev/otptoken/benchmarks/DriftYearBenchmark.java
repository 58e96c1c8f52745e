package dev.otptoken.benchmarks;

import dev.otptoken.firmware.oath.OathApplet;
import dev.otptoken.firmware.runtime.CardRuntime;
import dev.otptoken.hardware.clock.CrystalModel;
import dev.otptoken.hardware.clock.DriftingRtc;
import dev.otptoken.hardware.clock.PiecewiseLinearTemperature;
import dev.otptoken.hardware.clock.TrimRegister;
import dev.otptoken.hardware.clock.VirtualTimeSource;
import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.host.calibrate.YearProfile;
import dev.otptoken.protocol.oath.Oath;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A simulated year on the token: every 30 s of true time the token reads its drifting RTC
 * (crystal tolerance, a seasonal temperature profile, aging, the trim register) and computes
 * the TOTP code it would display for the step it believes it is in, with the applet's own
 * HMAC ({@link dev.otptoken.firmware.oath.AccountDisplay#totp}). One operation is the whole year: 1,051,200 steps.
 *
 * <p>The peer in {@code benchmarks/compare.sh} is {@code oathtool --totp -w 1051199}, which
 * prints the same number of HMAC-SHA1 TOTP codes of the same year from true time: the same
 * cryptographic work, without a clock model. At tear-down the benchmark prints where the clock
 * stands after the year ({@value #RESULT_PREFIX} line), so the time taken can be shown next to
 * the drift it simulated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DriftYearBenchmark {
    /** The prefix of the line compare.sh reads the drift result from. */
    public static final String RESULT_PREFIX = "drift-year:";
    /** 365 days of 30-second steps. */
    public static final int STEPS = 365 * 24 * 60 * 2;
    private static final int PERIOD_SECONDS = 30;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long STEP_NANOS = PERIOD_SECONDS * NANOS_PER_SECOND;
    private static final long NANOS_PER_MICRO = 1_000L;
    private static final double MICROS_PER_SECOND = 1e6;
    private static final long HALF_STEP_NANOS = STEP_NANOS / 2;
    private static final long MICROS_PER_STEP = PERIOD_SECONDS * 1_000_000L;
    private static final long DAY_NANOS = 86_400L * NANOS_PER_SECOND;
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    /** A crystal 18 ppm fast at 25 °C, the datasheet's parabola, 3 ppm of first-year aging. */
    static final double TOLERANCE_PPM = 18;
    static final double AGING_PPM_FIRST_YEAR = 3;
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final String NAME = "Bench:year";
    private static final int DIGITS = 6;
    private static final int TLV_HEADER = 2;
    private static final int TYPE_ALG_TOTP_SHA1 = 0x21;

    /** STM32 CALR steps: 0 is an untrimmed token, -19 (−18.1 ppm) one trimmed by calibration. */
    @Param({"0", "-19"})
    public int trim;

    private VirtualTimeSource time;
    private DriftingRtc rtc;
    private OathApplet applet;
    private long startNanos;
    private long lastReadingMicros;
    private long stepsOff;
    private long worstMicros;

    @Setup(Level.Trial)
    public void setUp() {
        time = new VirtualTimeSource(START);
        startNanos = START.getEpochSecond() * NANOS_PER_SECOND;
        // the seasonal means of the host's representative year (no daily swing here)
        double[] monthly = YearProfile.monthlyCelsius();
        long[] at = new long[monthly.length];
        for (int i = 0; i < at.length; i++) {
            at[i] = startNanos + i * YearProfile.DAYS_PER_POINT * DAY_NANOS;
        }
        CrystalModel crystal = new CrystalModel(TOLERANCE_PPM, CrystalModel.DEFAULT_TURNOVER_CELSIUS,
                CrystalModel.DEFAULT_K, AGING_PPM_FIRST_YEAR, new PiecewiseLinearTemperature(at, monthly));
        rtc = new DriftingRtc(time, crystal, TrimRegister.STM32_CALR, startNanos, startNanos, trim);
        TransactionalMemory memory = TransactionalMemory.fresh();
        CardRuntime runtime = new CardRuntime(memory);
        applet = new OathApplet(memory, rtc, t -> true, new SecureRandom());
        runtime.install(Oath.aid(), applet);
        requireOk(runtime.transmit(HEX.parseHex("00a4040007" + HEX.formatHex(Oath.aid()))));
        requireOk(runtime.transmit(put()));
    }

    private static byte[] put() {
        byte[] name = NAME.getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[TLV_HEADER + name.length + TLV_HEADER + 2 + KEY.length];
        int o = 0;
        data[o++] = (byte) Oath.TAG_NAME;
        data[o++] = (byte) name.length;
        System.arraycopy(name, 0, data, o, name.length);
        o += name.length;
        data[o++] = (byte) Oath.TAG_KEY;
        data[o++] = (byte) (2 + KEY.length);
        data[o++] = (byte) TYPE_ALG_TOTP_SHA1;
        data[o++] = (byte) DIGITS;
        System.arraycopy(KEY, 0, data, o, KEY.length);
        String header = String.format(Locale.ROOT, "%02x%02x0000%02x", Oath.CLA, Oath.INS_PUT, data.length);
        return HEX.parseHex(header + HEX.formatHex(data));
    }

    private static void requireOk(byte[] response) {
        int n = response.length;
        if (n < 2 || response[n - 2] != (byte) 0x90 || response[n - 1] != 0) {
            throw new IllegalStateException("benchmark setup APDU refused: " + HEX.formatHex(response, n - 2, n));
        }
    }

    /**
     * One year, step by step; returns a sum of the codes so that none of the work can be
     * dropped. The token reads its clock at the middle of each true step, so a step counts as
     * shown wrong only when the clock is more than half a period off. True time is set
     * absolutely, so every operation simulates the same year.
     */
    @Benchmark
    public long year() {
        long sum = 0;
        long off = 0;
        long worst = 0;
        long reading = 0;
        for (int i = 0; i < STEPS; i++) {
            long trueNanos = startNanos + i * STEP_NANOS + HALF_STEP_NANOS;
            time.setNanos(trueNanos);
            reading = rtc.readMicros();
            long error = Math.abs(reading - trueNanos / NANOS_PER_MICRO);
            if (error > worst) {
                worst = error;
            }
            long tokenStep = Math.floorDiv(reading, MICROS_PER_STEP);
            if (tokenStep != Math.floorDiv(trueNanos, STEP_NANOS)) {
                off++;
            }
            sum += applet.display().totp(0, tokenStep);
        }
        lastReadingMicros = reading;
        stepsOff = off;
        worstMicros = worst;
        return sum;
    }

    @TearDown(Level.Trial)
    public void report() {
        long lastTrueMicros = (startNanos + (STEPS - 1) * STEP_NANOS + HALF_STEP_NANOS) / NANOS_PER_MICRO;
        System.out.printf(Locale.ROOT, "%n%s trim=%d seconds_off=%.1f worst_seconds_off=%.1f steps_off=%d of %d%n",
                RESULT_PREFIX, trim, (lastReadingMicros - lastTrueMicros) / MICROS_PER_SECOND,
                worstMicros / MICROS_PER_SECOND, stepsOff, STEPS);
    }
}
