package dev.otptoken.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The simulated token in its own process, headless, on a fresh pseudo-terminal and as the
 * card in reader {@value Commands#READER} of the tests' own PC/SC stack. Only one may hold
 * that reader at a time, so the tests using it run one after the other.
 */
final class VpcdSim implements AutoCloseable {
    /** pcscd polls for a new card about every 400 ms; a few seconds is ample. */
    private static final int CARD_WAIT_ATTEMPTS = 40;
    private static final long CARD_WAIT_PAUSE_MILLIS = 250;
    private static final long QUIT_WAIT_SECONDS = 10;
    static final String TOUCH_WAITING = "touch: waiting";

    private final Process process;
    private final String port;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private VpcdSim(Process process, String port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the simulator and returns once ykman sees the OATH applet in the reader. */
    static VpcdSim start(Path state) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Commands.java(), "-cp", Commands.classPath(),
                "dev.otptoken.firmware.sim.SimMain", "--headless", "--pty",
                "--vpcd", Commands.requireReader().vpcdAddress()));
        if (state != null) {
            cmd.addAll(List.of("--state", state.toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as("simulator's first line").isNotNull().startsWith("attached: ");
            VpcdSim sim = new VpcdSim(p, first.substring("attached: ".length()).strip());
            Thread drain = new Thread(() -> sim.drain(out), "vpcd-sim-stdout");
            drain.setDaemon(true);
            drain.start();
            sim.awaitCard();
            return sim;
        } catch (Exception | AssertionError e) {
            Commands.stop(p);
            throw e;
        }
    }

    private void drain(BufferedReader out) {
        try {
            for (String l = out.readLine(); l != null; l = out.readLine()) {
                lines.add(l);
            }
        } catch (IOException closed) {
            // The simulator stopped.
        }
    }

    private void awaitCard() throws Exception {
        Commands.Result last = null;
        for (int i = 0; i < CARD_WAIT_ATTEMPTS; i++) {
            assertThat(process.isAlive()).as("simulator running").isTrue();
            last = Commands.ykman("oath", "info");
            if (last.status() == 0) {
                return;
            }
            Thread.sleep(CARD_WAIT_PAUSE_MILLIS);
        }
        throw new AssertionError("ykman never saw the card in " + Commands.READER + ": " + last.err());
    }

    /** The pseudo-terminal of the serial interface. */
    String port() {
        return port;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits for a line of standard output starting with {@code prefix}; false on time-out. */
    boolean awaitLine(String prefix, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            String l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null) {
                return false;
            }
            if (l.startsWith(prefix)) {
                return true;
            }
        }
    }

    /**
     * Asks the simulator for its {@code status} line and returns the output lines that came
     * before it: every line the token printed for commands that have already been answered.
     */
    List<String> linesBeforeStatus(long timeoutMillis) throws IOException, InterruptedException {
        process.getOutputStream().write("status\n".getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().flush();
        List<String> before = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            String l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null) {
                throw new AssertionError("no status line from the simulator in " + timeoutMillis + " ms");
            }
            if (l.startsWith("status:")) {
                return before;
            }
            before.add(l);
        }
    }

    /** Forgets the output lines seen so far, so that {@link #awaitLine} sees only new ones. */
    void clearLines() {
        lines.clear();
    }

    /** Presses the token's button (headless protocol). */
    void press() throws IOException {
        process.getOutputStream().write("press\n".getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().flush();
    }

    /** Quits the simulator (saving its state file) and waits until the process is gone. */
    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().write("quit\n".getBytes(StandardCharsets.US_ASCII));
            process.getOutputStream().flush();
        } catch (IOException gone) {
            // Already stopped.
        }
        if (!process.waitFor(QUIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
            Commands.stop(process);
        }
    }
}
