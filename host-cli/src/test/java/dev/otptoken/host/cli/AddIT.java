package dev.otptoken.host.cli;

import static dev.otptoken.host.cli.Launchers.oathtool;
import static dev.otptoken.host.cli.Launchers.otptoken;
import static dev.otptoken.host.cli.Launchers.port;
import static dev.otptoken.host.cli.Launchers.startSim;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.cli.Processes.Result;
import dev.otptoken.host.cli.Processes.Sim;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code add} through the launchers against a simulator: the accounts it writes give
 * oathtool's codes, the secret goes in on standard input (a password line after it), and it
 * appears nowhere in the output at {@code -vv}.
 */
class AddIT {
    /** RFC 4226's key, "12345678901234567890". */
    private static final String B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    private static final String B32_PHONE = "gezd gnbv gy3t qojq gezd gnbv gy3t qojq";
    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    private final SecretScanner scanner = new SecretScanner().secret("key", KEY).text("Base32", B32)
            .text("Base32 as typed", B32_PHONE);

    private static Result ok(Map<String, String> env, String stdin, String... args) throws Exception {
        Result r = otptoken(env, stdin, args);
        assertThat(r.status()).as("otptoken %s: %s", List.of(args), r.err()).isZero();
        return r;
    }

    /** A run at -vv: the APDU traces are there, and no form of the secret is. */
    private Result traced(Map<String, String> env, String stdin, String... args) throws Exception {
        Result r = otptoken(env, stdin, args);
        assertThat(scanner.scan("stdout", r.out().getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(scanner.scan("stderr", r.err().getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(r.status()).as("otptoken %s: %s", List.of(args), r.err()).isZero();
        assertThat(r.err()).as("traced").contains("TRACE: > 00 01 00 00", "bytes redacted>", "TRACE: > 00 A2");
        return r;
    }

    @Test
    void addedTotpAndHotpAccountsGiveOathtoolsCodes() throws Exception {
        try (Sim sim = startSim()) {
            Map<String, String> env = port(sim);
            Result carol = traced(env, B32_PHONE + "\n", "-vv", "add", "--secret-stdin", "--issuer", "Acme",
                    "--algorithm", "SHA256", "--digits", "8", "--period", "60", "carol");
            assertThat(carol.out()).isEqualTo(sim.port + ": 1 of 1 accounts in and proven (Acme:carol)\n");
            assertThat(carol.err()).contains("no --backup");
            Result bob = traced(env, B32 + "\n", "-vv", "add", "--secret-stdin", "--hotp", "--counter", "5",
                    "Example:bob");
            assertThat(bob.out()).isEqualTo(sim.port + ": 1 of 1 accounts in and proven (Example:bob)\n");

            assertThat(ok(env, null, "list").outLines()).containsExactlyInAnyOrder(
                    "Acme:carol   TOTP  SHA256  8  60", "Example:bob  HOTP  SHA1    6  -");
            // proving bob used counter 5: his next codes are for 6 and 7
            assertThat(ok(env, null, "code", "Example:bob").out())
                    .isEqualTo("Example:bob  " + oathtool("--hotp", "-c", "6", "-b", B32) + "\n");
            assertThat(ok(env, null, "code", "-s", "bob").out()).isEqualTo(oathtool("--hotp", "-c", "7", "-b", B32)
                    + "\n");
            for (int attempt = 0; ; attempt++) {
                List<Long> before = Launchers.steps(60);
                Result code = ok(env, null, "code", "Acme:carol");
                if (!before.equals(Launchers.steps(60)) && attempt == 0) {
                    continue; // a step boundary fell inside the command: once more
                }
                String expected = oathtool("--totp=sha256", "-d", "8", "-s", "60", "-b", B32,
                        "-N", "@" + before.get(0) * 60);
                assertThat(code.out()).isEqualTo("Acme:carol  " + expected + "\n");
                break;
            }

            // a locked token: the password line follows the secret line
            ok(env, "s3cret\n", "password", "set", "--password-stdin");
            Result erin = ok(env, B32 + "\ns3cret\n", "add", "--secret-stdin", "--password-stdin", "Example:erin");
            assertThat(erin.out()).isEqualTo(sim.port + ": 1 of 1 accounts in and proven (Example:erin)\n");

            // no terminal and no --secret-stdin: how to give the secret, and the token is not asked
            Result noTerminal = otptoken(env, B32 + "\n", "add", "Example:frank");
            assertThat(noTerminal.status()).isEqualTo(ExitStatus.USAGE);
            assertThat(noTerminal.errLines()).singleElement().asString().contains("--secret-stdin");
            Result invalid = otptoken(env, "GEZD GNBV 1Y3T\n", "-vv", "add", "--secret-stdin", "Example:frank");
            assertThat(invalid.status()).isEqualTo(ExitStatus.BAD_INPUT);
            assertThat(invalid.err()).contains("not valid Base32").doesNotContain("TRACE: >");
            assertThat(ok(env, "s3cret\n", "list", "--password-stdin").outLines()).hasSize(3);
        }
    }
}
