package dev.otptoken.host.cli;

import dev.otptoken.host.session.Token;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;

/**
 * The training run of the launcher's class-data archive (docs/performance.md, "Start-up"):
 * {@code bin/otptoken} runs it once under {@code -XX:ArchiveClassesAtExit} after each build, and
 * every later start maps the classes it loaded instead of loading them from the jar. It runs
 * the commands' common paths in-process, with no token and nothing printed: the help of every
 * command, a code and a list to a port that does not exist (the session, transport and logging
 * classes), and a QR image made and read back (ZXing, ImageIO). The image holds the RFC 4226
 * test key, never a user's secret, and is deleted.
 */
public final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
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
        } finally {
            Files.deleteIfExists(image);
            Files.deleteIfExists(dir);
        }
    }

    private static void run(String... line) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        HostMain.run(line, new HostMain.Env(sink, sink, InputStream.nullInputStream(), InstantSource.system(), Map.of(),
                false, Token.Opener.system()));
    }
}
