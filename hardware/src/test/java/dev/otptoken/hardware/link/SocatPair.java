package dev.otptoken.hardware.link;


import dev.otptoken.testing.Ci;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A null-modem pair of pseudo-terminals made by socat, for tests of {@code --port}. */
final class SocatPair implements AutoCloseable {
    private static final int START_CHECKS = 200;
    private static final long START_CHECK_MILLIS = 25;
    private static final long EXIT_WAIT_SECONDS = 10;

    private static final long CARRY_WAIT_SECONDS = 10;
    /** socat's info line naming the two addresses' descriptors, [read,write] each, a's first. */
    private static final Pattern LOOP = Pattern.compile(
            "starting data transfer loop with FDs \\[(\\d+),(\\d+)\\] and \\[(\\d+),(\\d+)\\]");
    /** socat's info line after each write it made. */
    private static final Pattern TRANSFERRED = Pattern.compile("transferred (\\d+) bytes from (\\d+) to (\\d+)\\s");

    final Path a;
    final Path b;
    private final Process process;
    private final Path log;

    private SocatPair(Path a, Path b, Process process, Path log) {
        this.a = a;
        this.b = b;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts socat with links {@code a} and {@code b} in {@code dir}. Skips the test when
     * socat is missing, unless running under CI, where it must be installed.
     */
    static SocatPair start(Path dir) throws IOException, InterruptedException {
        Ci.require(onPath("socat"), "socat is not installed");
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path log = dir.resolve("socat.log");
        // -d -d -d: info level, for the "transferred" lines that awaitCarriedToA reads.
        Process process = new ProcessBuilder("socat", "-d", "-d", "-d",
                "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        for (int i = 0; i < START_CHECKS && !(Files.exists(a) && Files.exists(b)); i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("socat exited: " + Files.readString(log));
            }
            Thread.sleep(START_CHECK_MILLIS);
        }
        if (!(Files.exists(a) && Files.exists(b))) {
            process.destroyForcibly();
            throw new IllegalStateException("socat did not create " + a + " and " + b);
        }
        return new SocatPair(a, b, process, log);
    }

    /**
     * How many bytes socat has written from b into a's pseudo-terminal so far. Its log line
     * follows each write, so these bytes are in a's input queue (socat keeps a's slave open
     * itself), whether or not anybody has a open.
     */
    long carriedToA() throws IOException {
        String text = Files.readString(log);
        Matcher loop = LOOP.matcher(text);
        if (!loop.find()) {
            return 0;
        }
        String intoA = loop.group(2);
        long carried = 0;
        for (Matcher m = TRANSFERRED.matcher(text); m.find(); ) {
            if (m.group(3).equals(intoA)) {
                carried += Long.parseLong(m.group(1));
            }
        }
        return carried;
    }

    /** Waits until {@link #carriedToA()} reaches {@code total}; fails after 10 s. */
    void awaitCarriedToA(long total) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CARRY_WAIT_SECONDS);
        for (long carried = carriedToA(); carried < total; carried = carriedToA()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("socat carried " + carried + " of " + total + " bytes into " + a
                        + " in " + CARRY_WAIT_SECONDS + " s; its log:\n" + Files.readString(log));
            }
            Thread.sleep(1);
        }
    }

    /** Ends socat (SIGTERM) and waits for it: both pseudo-terminals are hung up. */
    void kill() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
