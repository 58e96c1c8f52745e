package dev.otptoken.benchmarks;

import dev.otptoken.hardware.clock.CrystalModel;
import dev.otptoken.hardware.clock.DriftingRtc;
import dev.otptoken.hardware.clock.PiecewiseLinearTemperature;
import dev.otptoken.hardware.clock.TrimRegister;
import dev.otptoken.hardware.clock.VirtualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** readMicros() must cost the same right after start and 30 simulated years later. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtcBenchmark {
    @Param({"0", "30"})
    public int yearsLater;

    private DriftingRtc rtc;

    @Setup
    public void setUp() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        VirtualTimeSource t = new VirtualTimeSource(start);
        long s = start.getEpochSecond() * 1_000_000_000L;
        long day = 86_400_000_000_000L;
        PiecewiseLinearTemperature p = new PiecewiseLinearTemperature(
                new long[] {s, s + day, s + 100 * day, s + 1000 * day}, new double[] {20, 35, 5, 25});
        rtc = new DriftingRtc(t, new CrystalModel(18, 25, 0.034, 3, p), TrimRegister.STM32_CALR);
        rtc.setTrim(-19);
        t.advance(Duration.ofDays(Math.round(yearsLater * 365.25)).plusSeconds(1));
    }

    @Benchmark
    public long readMicros() {
        return rtc.readMicros();
    }
}
