package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.testing.Hex;
import dev.otptoken.hardware.link.TtyLink;
import dev.otptoken.protocol.t1.T1HostChannel;
import dev.otptoken.protocol.t1.T1Timing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A running otptoken-sim for tests, in this JVM ({@link SimMain#run}) or as a child
 * process, with a T=1 host on its pseudo-terminal and its headless standard input/output.
 */
final class TokenHarness implements AutoCloseable {
    static final long LINE_WAIT_SECONDS = 20;
    static final String OATH_SELECT = "00A4040007A0000005272101";
    static final String DEVICE_SELECT = "00A4040008F04F5450544B4E01";

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final OutputStream stdin;
    private final CompletableFuture<Integer> exit;
    private final Process process;
    private TtyLink link;
    private T1HostChannel host;
    final String port;

    private TokenHarness(InputStream stdout, OutputStream stdin, CompletableFuture<Integer> exit, Process process)
            throws IOException, InterruptedException {
        this.stdin = stdin;
        this.exit = exit;
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                }
            } catch (IOException e) {
                lines.add("eof: " + e.getMessage());
            }
            lines.add("eof");
        }, "harness-stdout");
        reader.setDaemon(true);
        reader.start();
        String first = nextLine();
        if (first == null || !first.startsWith("attached: ")) {
            port = null;
            return;
        }
        port = first.substring("attached: ".length());
    }

    /** SimMain in this JVM; {@code exitStatus()} is its return value. */
    static TokenHarness inProcess(Path state, String... extra) throws IOException, InterruptedException {
        PipedInputStream simIn = new PipedInputStream();
        PipedOutputStream toSim = new PipedOutputStream(simIn);
        PipedInputStream fromSim = new PipedInputStream(1 << 16);
        PrintStream simOut = new PrintStream(new PipedOutputStream(fromSim), true, StandardCharsets.UTF_8);
        List<String> args = args(state, extra);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                exit.complete(SimMain.run(args.toArray(String[]::new), simIn, simOut, System.err, false,
                        java.time.InstantSource.system()));
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            } finally {
                simOut.close();
            }
        }, "sim-in-process");
        t.setDaemon(true);
        t.start();
        return new TokenHarness(fromSim, toSim, exit, null);
    }

    /** {@code java -cp <test classpath> SimMain ...} as a child process. */
    static TokenHarness process(Path state, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SimMain.class.getName()));
        cmd.addAll(args(state, extra));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new TokenHarness(p.getInputStream(), p.getOutputStream(), p.onExit().thenApply(Process::exitValue), p);
    }

    private static List<String> args(Path state, String... extra) {
        List<String> args = new ArrayList<>(List.of("--headless", "--pty"));
        if (state != null) {
            args.add("--state");
            args.add(state.toString());
        }
        args.addAll(List.of(extra));
        return args;
    }

    /** Whether the token is still running (it has not exited). */
    boolean running() {
        return !exit.isDone();
    }

    boolean attached() {
        return port != null;
    }

    /**
     * Host timing for these tests: a token just started in a loaded JVM (the whole suite on two
     * cores) can take longer than the default block waiting time to answer its first RESYNCH.
     */
    static final T1Timing PATIENT = new T1Timing(T1Timing.DEFAULT.cwt(), java.time.Duration.ofMillis(3000),
            T1Timing.DEFAULT.maxRetransmissions(), T1Timing.DEFAULT.maxResynchs(),
            T1Timing.DEFAULT.wtxInterval(), T1Timing.DEFAULT.wtxMultiplier(), T1Timing.DEFAULT.maxExchange());

    /** Opens the host side: jssc on the pty, T=1 RESYNCH. */
    void connect() throws IOException {
        // Through libc with poll(2), not jssc: jssc's native read spins forever when a token
        // that lost power vanishes in the middle of it (it hung the tearing tests).
        link = TtyLink.open(java.nio.file.Path.of(port));
        host = new T1HostChannel(link, PATIENT);
        host.open();
    }

    /** The host side as a plain APDU transport (T=1 over jssc on the pty). */
    dev.otptoken.protocol.apdu.ApduTransport transport() {
        return host::transceive;
    }

    /** One APDU in hex, the response (data and SW) in hex. */
    String send(String apdu) throws IOException {
        return Hex.of(host.transceive(Hex.bytes(apdu)));
    }

    /** Like {@link #send} but requires 9000 and returns the data. */
    String ok(String apdu) throws IOException {
        String r = send(apdu);
        assertThat(r).as(apdu).endsWith("9000");
        return r.substring(0, r.length() - 4);
    }

    void command(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        stdin.flush();
    }

    String nextLine() throws InterruptedException {
        return lines.poll(LINE_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Drops the lines read so far (countdown updates of an earlier press). */
    void drainLines() {
        lines.clear();
    }

    /**
     * The next line that starts with one of {@code prefixes}, skipping up to 1000 others; null
     * at the end of the output or when no line comes within {@link #LINE_WAIT_SECONDS}.
     */
    String nextLineStartingWith(String... prefixes) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            String l = nextLine();
            if (l == null || l.startsWith("eof")) {
                return null;
            }
            for (String p : prefixes) {
                if (l.startsWith(p)) {
                    return l;
                }
            }
        }
        return null;
    }

    /** The next {@code display:} line. */
    String nextDisplay() throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            String l = nextLine();
            if (l == null || l.startsWith("eof")) {
                return null;
            }
            if (l.startsWith("display: ")) {
                return l.substring("display: ".length());
            }
        }
        return null;
    }

    /** Waits for the token to stop; its exit status. */
    int exitStatus() throws Exception {
        return exit.get(LINE_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    int quit() throws Exception {
        closeHost();
        command("quit");
        return exitStatus();
    }

    private void closeHost() {
        try {
            if (host != null) {
                host.close();
            } else if (link != null) {
                link.close();
            }
        } catch (IOException e) {
            // The token may be gone (power cut).
        }
        host = null;
        link = null;
    }

    @Override
    public void close() {
        closeHost();
        if (!exit.isDone()) {
            try {
                command("quit");
            } catch (IOException e) {
                // already gone
            }
            try {
                exit.get(LINE_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                if (process != null) {
                    process.destroyForcibly();
                }
            }
        }
    }
}
