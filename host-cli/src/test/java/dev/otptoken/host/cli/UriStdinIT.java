package dev.otptoken.host.cli;

import static dev.otptoken.host.cli.Launchers.oathtool;
import static dev.otptoken.host.cli.Launchers.otptoken;
import static dev.otptoken.host.cli.Launchers.startSim;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.cli.Processes.Result;
import dev.otptoken.host.cli.Processes.Sim;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code provision --uri-stdin} through the launchers: two URIs piped into
 * {@code bin/otptoken --port P provision --uri-stdin} against {@code bin/otptoken-sim}, written,
 * proven, and giving oathtool's codes; the URIs and their secret appear in no output.
 */
class UriStdinIT {
    /** RFC 4226's key, "12345678901234567890". */
    private static final String B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final String CAROL = "otpauth://totp/Acme:carol?secret=" + B32
            + "&issuer=Acme&algorithm=SHA256&digits=8&period=60";
    private static final String BOB = "otpauth://hotp/Example:bob?secret=" + B32 + "&counter=5";

    private final SecretScanner scanner = new SecretScanner().secret("key", KEY).text("Base32", B32);

    private Result ok(Map<String, String> env, String stdin, String... args) throws Exception {
        Result r = otptoken(env, stdin, args);
        assertThat(r.status()).as("otptoken %s: %s", List.of(args), r.err()).isZero();
        assertThat(scanner.scan("stdout", r.out().getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(scanner.scan("stderr", r.err().getBytes(StandardCharsets.UTF_8))).isEmpty();
        return r;
    }

    @Test
    void twoUrisPipedInAreWrittenProvenAndGiveOathtoolsCodes() throws Exception {
        try (Sim sim = startSim()) {
            String stdin = "# from the old phone\n" + CAROL + "\n\n   " + BOB + "\r\n";
            Result p = ok(Map.of(), stdin, "-vv", "--port", sim.port, "provision", "--uri-stdin");
            assertThat(p.out()).isEqualTo(sim.port + ": 2 of 2 accounts in and proven (Acme:carol, Example:bob)\n");
            assertThat(p.err()).contains("no --backup");

            assertThat(ok(Map.of(), null, "--port", sim.port, "list").outLines()).containsExactlyInAnyOrder(
                    "Acme:carol   TOTP  SHA256  8  60", "Example:bob  HOTP  SHA1    6  -");
            // proving bob used counter 5: his next code is for 6
            assertThat(ok(Map.of(), null, "--port", sim.port, "code", "-s", "Example:bob").out())
                    .isEqualTo(oathtool("--hotp", "-c", "6", "-b", B32) + "\n");
            for (int attempt = 0; ; attempt++) {
                List<Long> before = Launchers.steps(60);
                Result code = ok(Map.of(), null, "--port", sim.port, "code", "-s", "Acme:carol");
                if (!before.equals(Launchers.steps(60)) && attempt == 0) {
                    continue; // a step boundary fell inside the command: once more
                }
                assertThat(code.out()).isEqualTo(oathtool("--totp=sha256", "-d", "8", "-s", "60", "-b", B32,
                        "-N", "@" + before.get(0) * 60) + "\n");
                break;
            }
        }
    }

    @Test
    void aBadLineIsOneLineExitThreeAndNothingIsWritten() throws Exception {
        try (Sim sim = startSim()) {
            String stdin = CAROL + "\notpauth://totp/Acme:dave?secret=" + B32 + "&algorithm=MD5\n";
            Result r = otptoken(Map.of(), stdin, "--port", sim.port, "provision", "--uri-stdin");
            assertThat(r.status()).isEqualTo(ExitStatus.BAD_INPUT);
            assertThat(r.err()).isEqualTo(
                    "otptoken: standard input, line 2: unsupported algorithm MD5 (only SHA1, SHA256, SHA512)\n");
            assertThat(scanner.scan("stderr", r.err().getBytes(StandardCharsets.UTF_8))).isEmpty();
            assertThat(ok(Map.of(), null, "--port", sim.port, "list").out()).isEmpty();
        }
    }
}
