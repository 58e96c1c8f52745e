package dev.otptoken.host.qr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.testing.Ci;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs qrencode / ImageMagick for the test corpus; skips when missing, except under CI=true. */
final class ExternalTool {
    private static final long TIMEOUT_SECONDS = 60;

    private ExternalTool() {
    }

    static void require(String tool) {
        Ci.require(onPath(tool), tool + " is not installed");
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

    /** Runs the command, failing the test on a non-zero exit; returns standard output. */
    static String run(String... command) throws IOException, InterruptedException {
        require(command[0]);
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s exit status, standard output: %s", command[0], text).isZero();
        return text;
    }
}
