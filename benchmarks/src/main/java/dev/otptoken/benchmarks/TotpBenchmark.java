package dev.otptoken.benchmarks;

import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Totp;
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

/**
 * Throughput of the TOTP reference, which the host runs for every account it verifies
 * and the simulated token for every button press and CALCULATE ALL entry. The time
 * advances one step per call so the HMAC input is never constant.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TotpBenchmark {
    private static final int PERIOD = 30;
    private static final int DIGITS = 6;
    private static final long START = 1_700_000_000L;

    @Param({"SHA1", "SHA256", "SHA512"})
    public HashAlgorithm algorithm;

    private byte[] key;
    private long seconds;

    @Setup
    public void setUp() {
        key = new byte[algorithm.digestLength];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 31 + 7);
        }
        seconds = START;
    }

    @Benchmark
    public String code() {
        seconds += PERIOD;
        return Totp.code(algorithm, key, Instant.ofEpochSecond(seconds), PERIOD, DIGITS);
    }
}
