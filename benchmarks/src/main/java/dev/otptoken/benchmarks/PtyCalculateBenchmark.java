package dev.otptoken.benchmarks;

import dev.otptoken.firmware.sim.SimMain;
import dev.otptoken.host.transport.SerialByteLink;
import dev.otptoken.protocol.apdu.CommandApdu;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.t1.ByteLink;
import dev.otptoken.protocol.t1.T1HostChannel;
import dev.otptoken.protocol.t1.T1Timing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One real CALCULATE over a pseudo-terminal, every layer of the serial path: the host's T=1
 * initiator on jssc ({@link SerialByteLink}, as {@code bin/otptoken} uses it), the pty, and
 * the simulated token ({@link SimMain} with {@code --pty --headless}, in this JVM) with its
 * T=1 responder, card runtime and OATH applet computing an HMAC-SHA1 TOTP code.
 *
 * <p>The name is short enough that command and response each fit one block at the default
 * IFS of 32: one round trip. At set-up the bytes of one exchange are counted on the host's
 * link and printed on a {@value #RESULT_PREFIX} line, from which {@code benchmarks/compare.sh}
 * computes the wire time of the same bytes at 115200 baud 8N1.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PtyCalculateBenchmark {
    /** The prefix of the line compare.sh reads the byte counts from. */
    public static final String RESULT_PREFIX = "pty-calculate:";
    private static final HexFormat HEX = HexFormat.of();
    private static final long ATTACH_SECONDS = 30;
    private static final long STOP_SECONDS = 10;
    private static final String ATTACHED = "attached: ";
    /** A token just started in a busy JVM may answer the first RESYNCH late. */
    private static final T1Timing TIMING = new T1Timing(T1Timing.DEFAULT.cwt(), java.time.Duration.ofSeconds(3),
            T1Timing.DEFAULT.maxRetransmissions(), T1Timing.DEFAULT.maxResynchs(), T1Timing.DEFAULT.wtxInterval(),
            T1Timing.DEFAULT.wtxMultiplier(), T1Timing.DEFAULT.maxExchange());
    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NAME = "Bench:pty".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGITS = 6;
    private static final int TYPE_ALG_TOTP_SHA1 = 0x21;
    private static final int TLV_HEADER = 2;
    private static final int APDU_HEADER = 5;
    private static final long CHALLENGE_STEP = 63_000_000L;

    private PipedOutputStream simInput;
    private Thread sim;
    private CountingLink link;
    private T1HostChannel host;
    private byte[] calculate;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        PipedInputStream in = new PipedInputStream();
        simInput = new PipedOutputStream(in);
        FirstLine firstLine = new FirstLine();
        PrintStream out = new PrintStream(firstLine, true, StandardCharsets.UTF_8);
        sim = new Thread(() -> SimMain.run(new String[] {"--pty", "--headless"}, in, out, System.err, false,
                InstantSource.system()), "otptoken-sim");
        sim.setDaemon(true);
        sim.start();
        String attached = firstLine.line.get(ATTACH_SECONDS, TimeUnit.SECONDS);
        if (!attached.startsWith(ATTACHED)) {
            throw new IllegalStateException("the simulator did not attach: " + attached);
        }
        link = new CountingLink(SerialByteLink.open(attached.substring(ATTACHED.length())));
        host = new T1HostChannel(link, TIMING);
        host.open();
        requireOk(host.transceive(CommandApdu.select(Oath.aid()).encode()));
        byte[] keyValue = new byte[2 + KEY.length];
        keyValue[0] = (byte) TYPE_ALG_TOTP_SHA1;
        keyValue[1] = (byte) DIGITS;
        System.arraycopy(KEY, 0, keyValue, 2, KEY.length);
        requireOk(host.transceive(apdu(Oath.INS_PUT, 0, 0, concat(tlv(Oath.TAG_NAME, NAME),
                tlv(Oath.TAG_KEY, keyValue)))));
        byte[] challenge = new byte[Oath.CHALLENGE_LENGTH];
        for (int i = 0; i < challenge.length; i++) {
            challenge[challenge.length - 1 - i] = (byte) (CHALLENGE_STEP >>> (8 * i));
        }
        calculate = apdu(Oath.INS_CALCULATE, 0, Oath.P2_TRUNCATED,
                concat(tlv(Oath.TAG_NAME, NAME), tlv(Oath.TAG_CHALLENGE, challenge)));
        link.reset();
        byte[] response = calculate();
        requireOk(response);
        System.out.printf(Locale.ROOT, "%n%s apdu_command_bytes=%d apdu_response_bytes=%d"
                        + " host_to_token_bytes=%d token_to_host_bytes=%d host_writes=%d%n",
                RESULT_PREFIX, calculate.length, response.length, link.written, link.read, link.writes);
    }

    @Benchmark
    public byte[] calculate() throws IOException {
        return host.transceive(calculate);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        try {
            host.close();
        } finally {
            simInput.write("quit\n".getBytes(StandardCharsets.US_ASCII));
            simInput.close();
            sim.join(TimeUnit.SECONDS.toMillis(STOP_SECONDS));
        }
    }

    private static byte[] apdu(int ins, int p1, int p2, byte[] data) {
        byte[] a = new byte[APDU_HEADER + data.length];
        a[0] = (byte) Oath.CLA;
        a[1] = (byte) ins;
        a[2] = (byte) p1;
        a[3] = (byte) p2;
        a[4] = (byte) data.length;
        System.arraycopy(data, 0, a, APDU_HEADER, data.length);
        return a;
    }

    private static byte[] tlv(int tag, byte[] value) {
        byte[] t = new byte[TLV_HEADER + value.length];
        t[0] = (byte) tag;
        t[1] = (byte) value.length;
        System.arraycopy(value, 0, t, TLV_HEADER, value.length);
        return t;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static void requireOk(byte[] response) {
        int n = response.length;
        if (n < 2 || response[n - 2] != (byte) 0x90 || response[n - 1] != 0) {
            throw new IllegalStateException("benchmark APDU refused: "
                    + (n < 2 ? "no status word" : HEX.formatHex(response, n - 2, n)));
        }
    }

    /** Counts the bytes of the host's side of the line, each way. */
    static final class CountingLink implements ByteLink {
        private final ByteLink inner;
        long written;
        long read;
        long writes;

        CountingLink(ByteLink inner) {
            this.inner = inner;
        }

        void reset() {
            written = 0;
            read = 0;
            writes = 0;
        }

        @Override
        public void write(byte[] data, int off, int len) throws IOException {
            inner.write(data, off, len);
            written += len;
            writes++;
        }

        @Override
        public int read(byte[] buf, int off, int len, long timeoutMillis) throws IOException {
            int n = inner.read(buf, off, len, timeoutMillis);
            read += Math.max(n, 0);
            return n;
        }

        @Override
        public void discardInput() throws IOException {
            inner.discardInput();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }

    /** The simulator's standard output: completes with its first line, drops the rest. */
    static final class FirstLine extends OutputStream {
        final CompletableFuture<String> line = new CompletableFuture<>();
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (line.isDone()) {
                return;
            }
            if (b == '\n') {
                line.complete(pending.toString(StandardCharsets.UTF_8));
            } else {
                pending.write(b);
            }
        }
    }
}
