package dev.otptoken.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need something outside the JVM (a tool, a service): under CI
 * ({@code CI=true}), {@code .ci/run} has installed and started it, so its absence fails the
 * test; on a developer machine that lacks it, the test is skipped with the reason.
 */
public final class Ci {
    private Ci() {
    }

    /** True when running under CI ({@code CI=true}). */
    public static boolean active() {
        return "true".equals(System.getenv("CI"));
    }

    /** Fails under CI, skips elsewhere, when {@code present} is false; {@code what} says what is missing. */
    public static void require(boolean present, String what) {
        if (active()) {
            assertThat(present).as(what + " (required under CI)").isTrue();
        } else {
            Assumptions.assumeTrue(present, what);
        }
    }

    /** Requires the program {@code tool} in {@code /usr/bin} or {@code /bin}. */
    public static void requireTool(String tool) {
        require(installed(tool), tool + " is not installed");
    }

    /** Whether {@code tool} is an executable in {@code /usr/bin}, {@code /usr/sbin} or {@code /bin}. */
    public static boolean installed(String tool) {
        for (String dir : new String[] {"/usr/bin", "/usr/sbin", "/bin", "/sbin"}) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
