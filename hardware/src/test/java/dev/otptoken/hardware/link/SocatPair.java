package dev.otptoken.hardware.link;


import dev.otptoken.testing.Ci;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A null-modem pair of pseudo-terminals made by socat, for tests of {@code --port}. */
final class SocatPair implements AutoCloseable {
    private static final int START_CHECKS = 200;
    private static final long START_CHECK_MILLIS = 25;
    private static final long EXIT_WAIT_SECONDS = 10;

    final Path a;
    final Path b;
    private final Process process;

    private SocatPair(Path a, Path b, Process process) {
        this.a = a;
        this.b = b;
        this.process = process;
    }

    /**
     * Starts socat with links {@code a} and {@code b} in {@code dir}. Skips the test when
     * socat is missing, unless running under CI, where it must be installed.
     */
    static SocatPair start(Path dir) throws IOException, InterruptedException {
        Ci.require(onPath("socat"), "socat is not installed");
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Process process = new ProcessBuilder("socat", "-d", "-d",
                "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("socat.log").toFile())
                .start();
        for (int i = 0; i < START_CHECKS && !(Files.exists(a) && Files.exists(b)); i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("socat exited: " + Files.readString(dir.resolve("socat.log")));
            }
            Thread.sleep(START_CHECK_MILLIS);
        }
        if (!(Files.exists(a) && Files.exists(b))) {
            process.destroyForcibly();
            throw new IllegalStateException("socat did not create " + a + " and " + b);
        }
        return new SocatPair(a, b, process);
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
