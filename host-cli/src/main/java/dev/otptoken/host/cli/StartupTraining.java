package dev.otptoken.host.cli;

import dev.otptoken.host.session.Token;
import dev.otptoken.host.simulator.SimulatorProcess;
import dev.otptoken.log.LazySlf4jProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The training run of the launcher's class-data archive (docs/performance.md, "Start-up"):
 * {@code bin/otptoken} runs it once under {@code -XX:ArchiveClassesAtExit} after each build, and
 * every later start maps the classes it loaded instead of loading them from the jar. It runs
 * the commands' common paths in-process, with no token and nothing printed: the help of every
 * command, a code and a list to a port that does not exist (the session, transport and logging
 * classes), a QR image made and read back (ZXing, ImageIO), the everyday commands against a
 * simulated token ({@link #withToken}); then it loads the rest of the project's classes and the
 * serial line's ({@link #PRELOADED}). The image holds the RFC 4226
 * test key, never a user's secret, and is deleted.
 */
public final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        LazySlf4jProvider.install();
        Path dir = Files.createTempDirectory("otptoken-training");
        Path image = dir.resolve("training.png");
        String missing = dir.resolve("no-such-port").toString();
        try {
            run("--version");
            run("--help");
            run("help", "code");
            run("-v", "--port", missing, "code");
            run("--json", "--port", missing, "list");
            run("qr", "encode", "--uri", "otpauth://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example",
                    "--out", image.toString());
            run("qr", "decode", image.toString());
            run("--json", "qr", "decode", image.toString());
            withToken(dir);
            load(PRELOADED);
        } finally {
            Files.deleteIfExists(image);
            Files.deleteIfExists(dir.resolve(TOKEN_LOG));
            Files.deleteIfExists(dir);
        }
    }

    private static final String TOKEN_LOG = "token.log";

    /**
     * The everyday commands against a simulated token on a pseudo-terminal, as {@code demo}
     * starts one (the serial line, T=1, the OATH session, the records and lambdas of a code
     * listing): {@code add} of one account holding the RFC 4226 test key, then {@code code},
     * {@code list} and {@code info}. Best effort: without a simulator (an installed package has
     * its own launcher and no training) the archive is made from the rest.
     */
    private static void withToken(Path dir) {
        SimulatorProcess sim = null;
        try {
            sim = SimulatorProcess.start(SimulatorProcess.command(SimulatorProcess.home()), dir.resolve(TOKEN_LOG));
            String port = sim.port();
            run(new ByteArrayInputStream("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n".getBytes(StandardCharsets.US_ASCII)),
                    "--port", port, "add", "--secret-stdin", "Example:alice");
            run("--port", port, "code");
            run("--port", port, "code", "-s", "alice");
            run("--json", "--port", port, "code");
            run("--port", port, "list");
            run("--port", port, "info");
        } catch (IOException | RuntimeException e) {
            // trained without a token
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (sim != null) {
                try {
                    sim.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * Packages whose every class the archive holds, run or not by the lines above: the project's
     * own, and the serial line's (jssc, its native-library loader and their logging through
     * SLF4J into tinylog), in case the training had no token. A class read from the
     * jar costs its parsing and verification at each start; one mapped from the archive, neither.
     */
    static final List<String> PRELOADED = List.of("dev/otptoken/", "jssc/", "org/scijava/nativelib/", "org/slf4j/",
            "org/tinylog/");

    /**
     * Loads, without initialising, every class of the jar this class came from whose path starts
     * with one of {@code prefixes}; nothing when it runs from a directory (tests). Returns how many.
     */
    static int load(List<String> prefixes) throws IOException {
        URL location = StartupTraining.class.getProtectionDomain().getCodeSource().getLocation();
        Path jar;
        try {
            jar = Path.of(location.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return 0;
        }
        if (!Files.isRegularFile(jar)) {
            return 0;
        }
        ClassLoader loader = StartupTraining.class.getClassLoader();
        int loaded = 0;
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : Collections.list(file.entries())) {
                String name = entry.getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")
                        || prefixes.stream().noneMatch(name::startsWith)) {
                    continue;
                }
                try {
                    Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'), false, loader);
                    loaded++;
                } catch (ClassNotFoundException | LinkageError optional) {
                    // a class of an optional dependency that is not in the jar (tinylog's Android runtime)
                }
            }
        }
        return loaded;
    }

    private static void run(String... line) {
        run(InputStream.nullInputStream(), line);
    }

    private static void run(InputStream in, String... line) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        HostMain.run(line, new HostMain.Env(sink, sink, in, InstantSource.system(), Map.of(), false,
                Token.Opener.system()));
    }
}
