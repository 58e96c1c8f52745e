package dev.otptoken.host.simulator;

import dev.otptoken.log.Log;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A simulated token in its own process, {@code otptoken-sim --pty --headless}
 * (docs/otptoken-sim.md): started and waited for until it prints {@code attached: PORT},
 * pressed through its standard input and read through its display lines, and stopped with
 * bounded waits. The host meets it only as a process and a serial port; it never loads
 * firmware classes.
 */
public final class SimulatorProcess {
    /**
     * Set by {@code bin/otptoken} to the repository, and by the Debian package's launcher to
     * {@code /opt/otptoken}: where {@code bin/otptoken-sim} lives.
     */
    public static final String HOME_PROPERTY = "otptoken.home";
    static final String LAUNCHER = "bin/otptoken-sim";
    static final String JAR = "firmware-sim/target/otptoken-sim.jar";
    /** The simulator's first line on standard output once its pseudo-terminal exists (docs/otptoken-sim.md). */
    static final String ATTACHED = "attached: ";
    /** Headless display lines (docs/otptoken-sim.md): {@code display: CODE Ns} or {@code display: off}. */
    static final String DISPLAY = "display: ";
    static final String DISPLAY_OFF = "display: off";
    /** Bound on the simulator's start (a JVM start, a pseudo-terminal). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Bound on the display's answer to a press. */
    static final Duration DISPLAY_TIMEOUT = Duration.ofSeconds(5);
    /** Bound on the simulator's exit after {@code quit}, and again after a plain destroy. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** Marks the end of the simulator's standard output in the line queue. */
    private static final String EOF = new String("end of output");

    private final Process process;
    private final String port;
    private final BlockingQueue<String> lines;
    private final Path log;
    private final Thread killer;

    private SimulatorProcess(Process process, String port, BlockingQueue<String> lines, Path log, Thread killer) {
        this.process = process;
        this.port = port;
        this.lines = lines;
        this.log = log;
        this.killer = killer;
    }

    /** What the display showed after a press: the code and how long it stays, as shown ({@code 17s}). */
    public record Display(String code, String remaining) {
        public Display {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(remaining, "remaining");
        }
    }

    /** {@code otptoken.home}, else the repository the running jar (or classes folder) was built in. */
    public static Path home() throws IOException {
        String property = System.getProperty(HOME_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        try {
            // <home>/host-cli/target/otptoken.jar or <home>/host-cli/target/classes
            Path code = Path.of(SimulatorProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = code.getParent();
            if (target != null && target.getParent() != null && target.getParent().getParent() != null) {
                return target.getParent().getParent();
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            Log.debug("cannot locate the running jar: {}", e.getMessage());
        }
        throw new IOException("no simulated token: cannot tell where otptoken is installed (run bin/otptoken demo,"
                + " or set -D" + HOME_PROPERTY + "=REPOSITORY)");
    }

    /**
     * How a user runs the two programs of {@code home}: {@code bin/} before their names in a
     * repository (a {@code pom.xml} at its top), nothing when installed (the Debian package links
     * {@code /usr/bin/otptoken-sim} to {@code HOME/bin/otptoken-sim}; docs/otptoken-cli.md).
     */
    public static String commandPrefix(Path home) {
        return Files.isRegularFile(home.resolve("pom.xml")) ? "bin/" : "";
    }

    /**
     * The launcher when it is there (in a repository it builds on first use; in the Debian
     * package, {@code /opt/otptoken/bin/otptoken-sim}, it is jpackage's), else the simulator's jar.
     */
    public static List<String> command(Path home) throws IOException {
        Path launcher = home.resolve(LAUNCHER);
        if (Files.isExecutable(launcher)) {
            return List.of(launcher.toString(), "--pty", "--headless");
        }
        Path jar = home.resolve(JAR);
        if (Files.isRegularFile(jar)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            return List.of(java, "-jar", jar.toString(), "--pty", "--headless");
        }
        throw new IOException("no simulated token: neither " + launcher + " nor " + jar + " exists");
    }

    /**
     * Starts {@code command}, its standard error going to {@code log}, and waits for its
     * {@code attached:} line. A shutdown hook stops it if this JVM ends first (its standard
     * input closing does not).
     */
    public static SimulatorProcess start(List<String> command, Path log) throws IOException, InterruptedException {
        Log.info("starting {}", String.join(" ", command));
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        Thread killer = new Thread(p::destroy, "otptoken-demo-stop-token");
        Runtime.getRuntime().addShutdownHook(killer);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                }
            } catch (IOException closed) {
                Log.debug("simulator output closed: {}", closed.getMessage());
            } finally {
                lines.add(EOF);
            }
        }, "otptoken-demo-token-output");
        reader.setDaemon(true);
        reader.start();
        SimulatorProcess sim = null;
        try {
            String line = lines.poll(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null || line == EOF || !line.startsWith(ATTACHED)) {
                throw new IOException("no token: the simulated token did not start" + lastLine(log, line));
            }
            sim = new SimulatorProcess(p, line.substring(ATTACHED.length()).trim(), lines, log, killer);
            Log.info("simulated token attached at {}", sim.port);
            return sim;
        } finally {
            if (sim == null) {
                p.destroyForcibly();
                Runtime.getRuntime().removeShutdownHook(killer);
            }
        }
    }

    /** The serial port the simulated token appeared as. */
    public String port() {
        return port;
    }

    private static String lastLine(Path log, String line) {
        try {
            List<String> logged = Files.readAllLines(log, StandardCharsets.UTF_8);
            if (!logged.isEmpty()) {
                return ": " + logged.get(logged.size() - 1);
            }
        } catch (IOException e) {
            Log.debug("no simulator log: {}", e.getMessage());
        }
        return line == null ? ": no answer within " + START_TIMEOUT.toSeconds() + " s" : "";
    }

    /** Presses the button; returns the code and its remaining time from the first display line. */
    public Display press() throws IOException, InterruptedException {
        lines.clear();
        command("press");
        long deadline = System.nanoTime() + DISPLAY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null || line == EOF) {
                break;
            }
            if (line.startsWith(DISPLAY) && !line.equals(DISPLAY_OFF)) {
                String[] parts = line.substring(DISPLAY.length()).trim().split(" ");
                if (parts.length == 2) {
                    return new Display(parts[0], parts[1]);
                }
            }
        }
        throw new IOException("the simulated token showed no code within " + DISPLAY_TIMEOUT.toSeconds()
                + " s of the press" + lastLine(log, ""));
    }

    private void command(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((text + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }

    /** {@code quit}, then bounded waits: a polite destroy, then a forced one. */
    public void stop() throws InterruptedException {
        try {
            command("quit");
            process.getOutputStream().close();
        } catch (IOException gone) {
            Log.debug("simulator already gone: {}", gone.getMessage());
        }
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            Log.debug("shutting down: the hook stops the token");
        }
    }

    /** Whether the process is still running (it should not be after {@link #stop}). */
    public boolean isAlive() {
        return process.isAlive();
    }
}
