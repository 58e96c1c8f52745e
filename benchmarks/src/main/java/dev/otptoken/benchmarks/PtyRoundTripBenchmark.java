package dev.otptoken.benchmarks;

import dev.otptoken.hardware.link.PseudoTerminal;
import dev.otptoken.jssc.JsscLibrary;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jssc.SerialPort;
import jssc.SerialPortException;
import jssc.SerialPortTimeoutException;
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
 * Round trip of one frame over the token's pseudo-terminal: the host (jssc, as the host
 * CLI uses it) writes a frame, a token-side thread echoes it back through
 * {@link PseudoTerminal}, the host reads it all. The floor under every APDU exchange on
 * the serial path.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar PtyRoundTrip -f 1 -wi 1 -i 3 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PtyRoundTripBenchmark {
    private static final int HOST_READ_TIMEOUT_MILLIS = 5_000;
    private static final long ECHO_READ_TIMEOUT_MILLIS = 100;
    private static final int ECHO_BUFFER_BYTES = 4096;

    @Param({"64"})
    public int frameBytes;

    private PseudoTerminal token;
    private SerialPort host;
    private Thread echo;
    private volatile boolean running;
    private byte[] frame;

    @Setup(Level.Trial)
    public void setUp() throws IOException, SerialPortException {
        token = PseudoTerminal.open(Optional.empty());
        JsscLibrary.prepare();
        host = new SerialPort(token.slavePath().toString());
        if (!host.openPort()) {
            throw new IOException("cannot open " + token.slavePath());
        }
        // False on a pseudo-terminal although applied (docs/serial.md).
        host.setParams(SerialPort.BAUDRATE_115200, SerialPort.DATABITS_8, SerialPort.STOPBITS_1,
                SerialPort.PARITY_NONE);
        host.purgePort(SerialPort.PURGE_RXCLEAR | SerialPort.PURGE_TXCLEAR);
        frame = new byte[frameBytes];
        for (int i = 0; i < frameBytes; i++) {
            frame[i] = (byte) (i * 37);
        }
        running = true;
        echo = new Thread(this::echoLoop, "token-echo");
        echo.setDaemon(true);
        echo.start();
    }

    private void echoLoop() {
        byte[] buf = new byte[ECHO_BUFFER_BYTES];
        try {
            while (running) {
                int n = token.read(buf, 0, buf.length, ECHO_READ_TIMEOUT_MILLIS);
                if (n > 0) {
                    token.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            if (running) {
                throw new IllegalStateException("echo failed", e);
            }
        }
    }

    @Benchmark
    public byte[] roundTrip() throws SerialPortException, SerialPortTimeoutException {
        host.writeBytes(frame);
        return host.readBytes(frameBytes, HOST_READ_TIMEOUT_MILLIS);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, SerialPortException, InterruptedException {
        running = false;
        host.closePort();
        token.close();
        echo.join(TimeUnit.SECONDS.toMillis(5));
    }
}
