package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.session.ScriptedTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code provision --uri-stdin} in-process: what it refuses before any token is opened (the
 * scripted token expects nothing, so any APDU would fail the test). Writing and proving are
 * the launcher test's ({@code UriStdinIT}).
 */
class ProvisionUriStdinTest {
    private static final String B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    private final ScriptedTransport token = new ScriptedTransport();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) {
        HostMain.Env env = new HostMain.Env(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                InstantSource.fixed(Instant.ofEpochSecond(59)), Map.of(HostMain.PORT_VARIABLE, "/dev/fake"), false,
                device -> token);
        return HostMain.run(args, env);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBadUriIsNamedByItsLineNumberNeverByItsText() {
        String stdin = "# two accounts\n\notpauth://totp/Acme:carol?secret=" + B32 + "\n"
                + "otpauth://totp/Acme:dave?secret=" + B32 + "&digits=9\n";
        assertThat(run(stdin, "provision", "--uri-stdin")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).isEqualTo("otptoken: standard input, line 4: digits must be 6, 7 or 8 (got 9)\n");
        assertThat(out.size()).isZero();
    }

    @Test
    void textThatIsNoUriIsRefused() {
        assertThat(run("https://example.com/\n", "provision", "--uri-stdin")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).isEqualTo("otptoken: standard input, line 1: not an otpauth URI: it begins neither with"
                + " otpauth:// nor with otpauth-migration://\n");
    }

    @Test
    void onlyCommentsAndBlankLinesIsNoInput() {
        assertThat(run("# nothing\n\n   \n", "provision", "--uri-stdin")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).isEqualTo("otptoken: standard input: no otpauth URI (one per line was expected)\n");
    }

    @Test
    void theSameAccountTwiceIsRefusedBeforeWriting() {
        String uri = "otpauth://totp/Acme:carol?secret=" + B32 + "\n";
        assertThat(run(uri + uri, "provision", "--uri-stdin")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).isEqualTo("otptoken: account Acme:carol appears twice in the input\n");
    }

    @Test
    void itCannotBeCombinedWithAnotherSourceOrWithAPasswordOnStandardInput() {
        assertThat(run("", "provision", "--uri-stdin", "--uri", "-")).isEqualTo(ExitStatus.USAGE);
        err.reset();
        assertThat(run("otpauth://totp/a?secret=" + B32 + "\npw\n", "provision", "--uri-stdin", "--password-stdin"))
                .isEqualTo(ExitStatus.USAGE);
        assertThat(err()).contains("--uri-stdin reads standard input to its end: --password-stdin cannot follow");
    }

    @Test
    void moreThanAMegabyteIsRefused() {
        String big = ("# " + "x".repeat(1000) + "\n").repeat(1100);
        assertThat(run(big, "provision", "--uri-stdin")).isEqualTo(ExitStatus.BAD_INPUT);
        assertThat(err()).isEqualTo("otptoken: standard input is longer than 1048576 bytes\n");
    }
}
