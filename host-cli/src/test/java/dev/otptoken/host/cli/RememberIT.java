package dev.otptoken.host.cli;

import static dev.otptoken.host.cli.Launchers.otptoken;
import static dev.otptoken.host.cli.Launchers.port;
import static dev.otptoken.host.cli.Launchers.startSim;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.cli.Processes.Result;
import dev.otptoken.host.cli.Processes.Sim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --remember} through the launchers against a simulator: a password set, remembered by
 * one command, not asked by the next, and asked again (exit 6 without one) once forgotten.
 */
class RememberIT {
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path config;

    private static Result ok(Map<String, String> env, String stdin, String... args) throws Exception {
        Result r = otptoken(env, stdin, args);
        assertThat(r.status()).as("otptoken %s: %s", List.of(args), r.err()).isZero();
        return r;
    }

    @Test
    void aRememberedKeyUnlocksUntilItIsForgotten() throws Exception {
        try (Sim sim = startSim()) {
            Map<String, String> env = new HashMap<>(port(sim));
            env.put("XDG_CONFIG_HOME", config.toString());
            ok(env, PASSWORD + "\n", "password", "set", "--password-stdin");
            Path keys = config.resolve("otptoken").resolve("oath-keys");
            assertThat(keys).doesNotExist();

            Result remembered = ok(env, PASSWORD + "\n", "list", "--password-stdin", "--remember");
            assertThat(Files.getPosixFilePermissions(keys)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(keys)).doesNotContain(PASSWORD);
            assertThat(remembered.out() + remembered.err()).doesNotContain(PASSWORD);

            // no password on standard input, no terminal: the remembered key unlocks
            ok(env, null, "list");

            ok(env, null, "password", "forget");
            Result locked = otptoken(env, null, "list");
            assertThat(locked.status()).as(locked.err()).isEqualTo(ExitStatus.PASSWORD);
            assertThat(locked.errLines()).singleElement().asString().startsWith("otptoken: password required");
        }
    }
}
