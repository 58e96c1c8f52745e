package dev.otptoken.benchmarks;

import dev.otptoken.firmware.oath.OathApplet;
import dev.otptoken.firmware.runtime.CardRuntime;
import dev.otptoken.hardware.clock.RealTimeClock;
import dev.otptoken.hardware.clock.TrimRegister;
import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.protocol.oath.Oath;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The OATH hot path through the allocation-free {@code CardRuntime.transmit(byte[], int,
 * byte[])}; run with {@code -prof gc} to see that it allocates nothing once warm.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ApduBenchmark {
    private static final HexFormat HEX = HexFormat.of();
    private static final int ACCOUNTS = 10;

    private CardRuntime runtime;
    private final byte[] response = new byte[258];
    private byte[] calculate;
    private byte[] calculateAll;
    private byte[] list;
    private byte[] sendRemaining;
    private byte[] putFirst;

    @Setup
    public void setUp() {
        TransactionalMemory memory = TransactionalMemory.fresh();
        runtime = new CardRuntime(memory);
        runtime.install(Oath.aid(), new OathApplet(memory, new StillClock(), t -> true, new SecureRandom()));
        runtime.transmit(HEX.parseHex("00a4040007a0000005272101"));
        byte[] key = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < ACCOUNTS; i++) {
            byte[] name = ("Issuer" + i + ":user@example.com").getBytes(StandardCharsets.UTF_8);
            byte[] put = new byte[5 + 2 + name.length + 4 + key.length];
            int o = 0;
            put[o++] = 0;
            put[o++] = (byte) Oath.INS_PUT;
            o += 2;
            put[o++] = (byte) (put.length - 5);
            put[o++] = (byte) Oath.TAG_NAME;
            put[o++] = (byte) name.length;
            System.arraycopy(name, 0, put, o, name.length);
            o += name.length;
            put[o++] = (byte) Oath.TAG_KEY;
            put[o++] = (byte) (2 + key.length);
            put[o++] = 0x21;
            put[o++] = 6;
            System.arraycopy(key, 0, put, o, key.length);
            runtime.transmit(put);
            if (i == 0) {
                putFirst = put;
            }
        }
        byte[] first = "Issuer0:user@example.com".getBytes(StandardCharsets.UTF_8);
        calculate = HEX.parseHex("00a2000100" + "71" + String.format(java.util.Locale.ROOT, "%02x", first.length)
                + HEX.formatHex(first) + "74080000000000000001");
        calculate[4] = (byte) (calculate.length - 5);
        calculateAll = HEX.parseHex("00a400010a74080000000000000001");
        list = HEX.parseHex("00a1000000");
        sendRemaining = HEX.parseHex("00a5000000");
        requireOk(calculateTotpSha1());
        requireOk(calculateAll10());
        requireOk(list10());
        requireOk(putOverwrite());
    }

    private void requireOk(int n) {
        if (n < 2 || response[n - 2] != (byte) 0x90 || response[n - 1] != 0) {
            throw new IllegalStateException("benchmark APDU refused");
        }
    }

    @Benchmark
    public int calculateTotpSha1() {
        return runtime.transmit(calculate, calculate.length, response);
    }

    @Benchmark
    public int calculateAll10() {
        return drain(runtime.transmit(calculateAll, calculateAll.length, response));
    }

    @Benchmark
    public int list10() {
        return drain(runtime.transmit(list, list.length, response));
    }

    /**
     * PUT of an account that exists: the slot is rewritten in one transaction through the
     * journal, the persistent write every provisioning does.
     */
    @Benchmark
    public int putOverwrite() {
        return runtime.transmit(putFirst, putFirst.length, response);
    }

    /** Follows 61xx with SEND REMAINING (bounded), as a host would. */
    private int drain(int n) {
        for (int i = 0; i < 64 && response[n - 2] == 0x61; i++) {
            n = runtime.transmit(sendRemaining, sendRemaining.length, response);
        }
        return n;
    }

    /** A clock that reads a fixed instant. */
    static final class StillClock implements RealTimeClock {
        private long micros = 1_700_000_000_000_000L;
        private int trim;

        @Override
        public long readMicros() {
            return micros;
        }

        @Override
        public void set(long value) {
            micros = value;
        }

        @Override
        public int trim() {
            return trim;
        }

        @Override
        public void setTrim(int steps) {
            trim = steps;
        }

        @Override
        public TrimRegister trimRegister() {
            return TrimRegister.STM32_CALR;
        }
    }

}
