package dev.otptoken.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A PC/SC stack of the tests' own: a {@code pcscd} with the vsmartcard-vpcd driver on a port
 * nobody else uses, answering on a socket nobody else uses, so that a test never talks to,
 * resets or locks a card that is not its own, and a user's own pcscd or simulator cannot
 * break a test (docs/contactless.md, "The tests' own PC/SC stack").
 *
 * <p>pcscd 1.9 has its socket directory ({@code /run/pcscd}) built in; clients (libpcsclite,
 * so javax.smartcardio and ykman's pyscard) read the socket's path from
 * {@value #SOCKET_VARIABLE}. The parent POM sets that variable for every test JVM to a path
 * under the module's {@code target/} ({@code target/pcsc/run/pcscd.comm}); every child process
 * inherits it. This class starts pcscd in a mount namespace of its own where that directory is
 * bind-mounted on {@code /run/pcscd}, {@code /run} is otherwise empty (no udev: no hot-plugged
 * USB readers) and the USB driver directory is hidden, so the private pcscd sees only its two
 * vpcd readers. One stack per JVM, started on first use, stopped when the JVM exits.
 */
public final class PrivatePcsc {
    /** The environment variable libpcsclite reads the daemon's socket path from. */
    public static final String SOCKET_VARIABLE = "PCSCLITE_CSOCK_NAME";
    /** The first vpcd reader; a simulator started with {@code --vpcd 127.0.0.1:}{@link #port()} sits in it. */
    public static final String READER = "Virtual PCD 00 00";
    /** The second vpcd reader, at {@link #port()} + 1. */
    public static final String SECOND_READER = "Virtual PCD 00 01";
    /** The vpcd driver as Debian's vsmartcard-vpcd installs it. */
    public static final Path VPCD_DRIVER = Path.of("/usr/lib/pcsc/drivers/serial/libifdvpcd.so");
    private static final Path DRIVER_DIR = Path.of("/usr/lib/pcsc/drivers");
    private static final String SOCKET_NAME = "pcscd.comm";
    private static final Path SYSTEM_SOCKET = Path.of("/run/pcscd", SOCKET_NAME);
    private static final long START_TIMEOUT_MILLIS = 15_000;
    private static final long POLL_MILLIS = 20;
    private static final long STOP_TIMEOUT_SECONDS = 10;
    private static final int PORT_TRIES = 50;
    /**
     * Run inside the new mount namespace with {@code $1} the stack's directory and {@code $2}
     * the mode: keep the vpcd driver reachable and hide the USB drivers ({@code full} only),
     * replace {@code /run} with an empty tmpfs (no udev), put the private directory where
     * pcscd looks, and become pcscd. In mode {@code run-only} (a chroot whose root is not a
     * mount point, so the namespace's mounts cannot all be made private) only the
     * {@code /run} mount, made private first, is touched: nothing can propagate back.
     */
    private static final String NAMESPACE_SCRIPT = String.join("\n",
            "set -e",
            "if [ \"$2\" = full ]; then",
            "  mount --bind " + VPCD_DRIVER.getParent() + " \"$1/drv\"",
            "  mount -t tmpfs -o size=64k tmpfs " + DRIVER_DIR,
            "else",
            "  mount --make-private /run",
            "fi",
            "mount -t tmpfs -o size=64k tmpfs /run",
            "mkdir /run/pcscd",
            "mount --bind \"$1/run\" /run/pcscd",
            "exec pcscd --foreground --error -c \"$1/conf\"");

    private static PrivatePcsc shared;

    private final Process pcscd;
    private final int port;
    private final Path socket;
    private final Path log;

    private PrivatePcsc(Process pcscd, int port, Path socket, Path log) {
        this.pcscd = pcscd;
        this.port = port;
        this.socket = socket;
        this.log = log;
    }

    /**
     * The JVM's private stack, started on first call. Skips the test on a developer machine
     * without pcscd, vpcd or {@code unshare}, or when run outside Maven (no
     * {@value #SOCKET_VARIABLE}); under CI those fail it.
     */
    public static synchronized PrivatePcsc shared() {
        if (shared != null && shared.pcscd.isAlive()) {
            return shared;
        }
        Ci.require(Ci.installed("pcscd") && Files.exists(VPCD_DRIVER),
                "pcscd and vsmartcard-vpcd are not installed (apt-get install pcscd vsmartcard-vpcd)");
        Ci.require(Ci.installed("unshare") && Ci.installed("mount"), "unshare and mount (util-linux) are not installed");
        String variable = System.getenv(SOCKET_VARIABLE);
        Ci.require(variable != null && !variable.isBlank(), SOCKET_VARIABLE
                + " is not set: run the contactless tests through Maven, whose POM gives each test JVM a PC/SC socket of its own");
        Path socketPath = Path.of(variable).toAbsolutePath();
        assertThat(socketPath).as("the tests' PC/SC socket must not be the system's").isNotEqualTo(SYSTEM_SOCKET);
        assertThat(socketPath.getFileName().toString()).as("pcscd names its socket " + SOCKET_NAME).isEqualTo(SOCKET_NAME);
        try {
            shared = start(socketPath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the tests' own pcscd", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the tests' own pcscd", e);
        }
        PrivatePcsc started = shared;
        Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "private-pcscd-stop"));
        return started;
    }

    private static PrivatePcsc start(Path socket) throws IOException, InterruptedException {
        Path run = socket.getParent();
        Path base = run.getParent();
        Files.createDirectories(run);
        Files.createDirectories(base.resolve("drv"));
        Files.createDirectories(base.resolve("conf"));
        stopStale(run.resolve("pcscd.pid"));
        Files.deleteIfExists(socket);
        Files.deleteIfExists(run.resolve("pcscd.pid"));
        int port = freePortPair();
        List<String> mountPoints = mountPoints();
        boolean full = mountPoints.contains("/");
        if (!full && !mountPoints.contains("/run")) {
            throw new IOException("neither / nor /run is a mount point here (a chroot?): a private pcscd cannot be"
                    + " started without touching mounts shared with the rest of the machine");
        }
        Path driver = full ? base.resolve("drv").resolve(VPCD_DRIVER.getFileName()) : VPCD_DRIVER;
        Files.writeString(base.resolve("conf").resolve("vpcd"), String.format(Locale.ROOT,
                "FRIENDLYNAME \"Virtual PCD\"%nDEVICENAME /dev/null:0x%X%nLIBPATH %s%nCHANNELID 0x%X%n",
                port, driver, port), StandardCharsets.US_ASCII);
        Path log = base.resolve("pcscd.log");
        List<String> cmd = new java.util.ArrayList<>(List.of("unshare"));
        if (!runningAsRoot()) {
            cmd.addAll(List.of("--user", "--map-root-user"));
        }
        cmd.addAll(List.of("--mount", "--propagation", full ? "private" : "unchanged", "sh", "-c", NAMESPACE_SCRIPT,
                "private-pcscd", base.toString(), full ? "full" : "run-only"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("pcscd did not open " + socket + " (exit " + (p.isAlive() ? "none" : p.exitValue())
                        + "): " + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
            Thread.sleep(POLL_MILLIS);
        }
        return new PrivatePcsc(p, port, socket, log);
    }

    /** A pcscd of an earlier, killed test JVM on this directory: only ours can have written this pid file. */
    private static void stopStale(Path pidFile) throws IOException, InterruptedException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
        if (!text.matches("\\d{1,10}")) {
            return;
        }
        Optional<ProcessHandle> old = ProcessHandle.of(Long.parseLong(text));
        if (old.isPresent() && old.get().info().command().map(c -> c.endsWith("/pcscd")).orElse(false)) {
            old.get().destroy();
            try {
                old.get().onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("a stale pcscd (pid " + text + ") on " + pidFile.getParent() + " did not stop", e);
            }
        }
    }

    /** The mount points this process sees (relative to its root, so a chroot sees its own). */
    private static List<String> mountPoints() throws IOException {
        List<String> points = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                points.add(fields[4]);
            }
        }
        return points;
    }

    private static boolean runningAsRoot() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    }

    /** A port p such that p and p + 1 (vpcd's two readers) are free on this machine now. */
    private static int freePortPair() throws IOException {
        for (int i = 0; i < PORT_TRIES; i++) {
            try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
                int p = first.getLocalPort();
                if (p >= 0xFFFF) {
                    continue;
                }
                try (ServerSocket second = new ServerSocket(p + 1, 1, InetAddress.getByName("0.0.0.0"))) {
                    return p;
                } catch (IOException taken) {
                    // Try another pair.
                }
            }
        }
        throw new IOException("no two adjacent free ports in " + PORT_TRIES + " tries");
    }

    /** The port of {@link #READER}: the simulator's {@code --vpcd 127.0.0.1:PORT}. */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:PORT}, as the simulator's {@code --vpcd} takes it. */
    public String vpcdAddress() {
        return "127.0.0.1:" + port;
    }

    /** The daemon's socket, the value of {@value #SOCKET_VARIABLE} for clients. */
    public Path socket() {
        return socket;
    }

    /** pcscd's own output, for a failing test's message. */
    public Path log() {
        return log;
    }

    private void stop() {
        pcscd.destroy();
        try {
            if (!pcscd.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                pcscd.destroyForcibly();
            }
        } catch (InterruptedException e) {
            pcscd.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
