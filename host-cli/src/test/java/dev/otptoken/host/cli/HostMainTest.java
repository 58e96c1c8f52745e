package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.session.ScriptedTransport;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.TokenAddress;
import dev.otptoken.protocol.apdu.ApduTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Command-line parsing, in-process: no token is needed to reach these statuses. */
class HostMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> environment, String... args) {
        HostMain.Env env = new HostMain.Env(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
                InstantSource.fixed(Instant.EPOCH), environment, false, Token.Opener.system());
        return HostMain.run(args, env);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "frobnicate", "list --bogus", "reset", "code a b", "delete", "rename x",
        "qr", "qr encode --uri x", "password", "provision", "provision --uri a b.png", "add", "add a b", "--reader R --port P list", "-x"})
    void usageErrorsAreStatus2(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        assertThat(run(Map.of(), args)).as(err()).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).startsWith("otptoken: ");
        assertThat(out.size()).isZero();
    }

    @Test
    void noPortIsStatus4WithOneLine() {
        assertThat(run(Map.of(), "list")).isEqualTo(ExitStatus.NO_TOKEN);
        assertThat(err().lines()).singleElement().asString()
                .isEqualTo("otptoken: no token: no serial port given (use --port DEVICE or set OTPTOKEN_PORT)");
    }

    @Test
    void portFallsBackToTheEnvironment() {
        assertThat(run(Map.of(HostMain.PORT_VARIABLE, "/nonexistent/ttyX"), "list")).isEqualTo(ExitStatus.NO_TOKEN);
        assertThat(err().lines()).singleElement().asString()
                .startsWith("otptoken: no token at /nonexistent/ttyX: ");
    }

    @Test
    void versionAndHelpAreStatus0() {
        assertThat(run(Map.of(), "--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("otptoken ");
        out.reset();
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("provision", "list", "code", "password", "clock");
    }

    /**
     * Every command's help renders cleanly: picocli formats descriptions with
     * {@code String.format}, so a lone {@code %} makes it warn on the JVM's standard error and
     * print the raw text. The warning goes to {@code System.err}, not to the injected stream.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "provision", "add", "list", "code", "delete", "rename", "reset", "password", "password set",
        "info", "clock", "clock sync", "calibrate", "qr", "qr decode", "qr encode", "drift", "drift init",
        "drift observe", "drift predict", "drift show", "demo"})
    void everyHelpRendersWithoutWarnings(String command) {
        String[] args = (command.isEmpty() ? "--help" : command + " --help").split(" ");
        PrintStream systemErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            status = run(Map.of(), args);
        } finally {
            System.setErr(systemErr);
        }
        assertThat(status).as(err()).isZero();
        assertThat(captured.toString(StandardCharsets.UTF_8)).as("JVM standard error").doesNotContain("WARN");
        assertThat(out.toString(StandardCharsets.UTF_8)).as(command).contains("Usage: otptoken").doesNotContain("%n");
    }

    /** The global options as parsed, with {@code environment} as the process's. */
    private static HostMain parsed(Map<String, String> environment, String... args) {
        HostMain main = new HostMain(new HostMain.Env(System.out, System.err, new ByteArrayInputStream(new byte[0]),
                InstantSource.fixed(Instant.EPOCH), environment, false, Token.Opener.system()));
        new picocli.CommandLine(main).parseArgs(args);
        return main;
    }

    @Test
    void theReaderIsAReaderAndThePortOrItsVariableASerialPort() throws Exception {
        assertThat(parsed(Map.of(), "--reader", "Virtual PCD 00 00", "list").address())
                .isEqualTo(new TokenAddress.PcscReader("Virtual PCD 00 00"));
        assertThat(parsed(Map.of(HostMain.PORT_VARIABLE, "/dev/pts/5"), "--port", "/dev/pts/4", "list").address())
                .isEqualTo(new TokenAddress.SerialPort("/dev/pts/4"));
        assertThat(parsed(Map.of(HostMain.PORT_VARIABLE, "/dev/pts/5"), "list").address())
                .isEqualTo(new TokenAddress.SerialPort("/dev/pts/5"));
        // the variable stands in for --port only: a --reader is still a reader
        assertThat(parsed(Map.of(HostMain.PORT_VARIABLE, "/dev/pts/5"), "--reader", "R", "list").address())
                .isEqualTo(new TokenAddress.PcscReader("R"));
    }

    @Test
    void aReaderIsOpenedOverPcscAndAPortOverTheSerialLine() {
        ScriptedTransport token = new ScriptedTransport()
                .expect("00 A4 04 00 07 A0 00 00 05 27 21 01", "79 03 05 07 00 71 08 0102030405060708 90 00")
                .expect("00 A1 00 00 00", "90 00");
        List<String> opened = new ArrayList<>();
        Token.Opener opener = new Token.Opener() {
            @Override
            public ApduTransport serial(TokenAddress.SerialPort port) {
                opened.add("serial " + port.device());
                throw new AssertionError("a reader opened as a serial port");
            }

            @Override
            public ApduTransport pcsc(TokenAddress.PcscReader reader) {
                opened.add("pcsc " + reader.name());
                return token;
            }
        };
        HostMain.Env env = new HostMain.Env(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
                InstantSource.fixed(Instant.EPOCH), Map.of(HostMain.PORT_VARIABLE, "/dev/pts/5"), false, opener);
        assertThat(HostMain.run(new String[] {"--reader", "Virtual PCD 00 00", "list"}, env)).as(err()).isZero();
        assertThat(opened).containsExactly("pcsc Virtual PCD 00 00");
        token.assertDone();
    }
}
