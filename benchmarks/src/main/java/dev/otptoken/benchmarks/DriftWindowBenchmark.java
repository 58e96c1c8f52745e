package dev.otptoken.benchmarks;

import dev.otptoken.host.drift.TotpWindowSearch;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.protocol.oath.Totp;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The relying party's window search ({@code otptoken drift observe --window N}): the worst
 * case, a code found in no step, so all 2N + 1 steps are computed. The same secret and window
 * as {@code benchmarks/drift-vs-oathtool.sh} gives oathtool.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DriftWindowBenchmark {
    private static final int PERIOD = 30;
    private static final int DIGITS = 6;
    private static final long NOW = 1_900_000_000L;

    @Param({"10", "100", "1000"})
    public int window;

    private TotpWindowSearch search;
    private String absent;
    private long ownStep;

    @Setup
    public void setUp() {
        byte[] key = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        search = new TotpWindowSearch(HashAlgorithm.SHA1, SecretBytes.copyOf(key), DIGITS, PERIOD);
        ownStep = NOW / PERIOD;
        // a code from far outside the window; checked absent so every step is tried
        for (long far = ownStep + 10L * window + 7; ; far++) {
            String c = Totp.code(HashAlgorithm.SHA1, key, Instant.ofEpochSecond(far * PERIOD), PERIOD, DIGITS);
            if (search.find(c, ownStep, window).isEmpty()) {
                absent = c;
                break;
            }
        }
    }

    @TearDown
    public void tearDown() {
        search.close();
    }

    @Benchmark
    public OptionalLong searchWholeWindow() {
        return search.find(absent, ownStep, window);
    }
}
