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
import picocli.CommandLine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
        "qr", "qr encode --uri x", "password", "provision", "provision --uri a b.png", "add", "add a b",
        "--reader R --port P list", "-x",
        "help nosuch", "cod", "list --reader R --port P", "--json delete x", "qr encode --uri x --out y --json"})
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
                .isEqualTo("otptoken: no token: none answers on /dev/ttyUSB*, /dev/ttyACM* or a PC/SC reader (name one"
                        + " with --port DEVICE or --reader NAME, or set OTPTOKEN_PORT)");
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
        "drift observe", "drift predict", "drift show", "demo", "help", "password clear", "password unlock"})
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
        HostMain.commandLine(main).parseArgs(args);
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

    /** An empty --port or --reader ("$PORT" unset) must not fall back to the only token found: it may be another. */
    @Test
    void anEmptyPortOrReaderIsAUsageErrorAndNoTokenIsLookedFor() {
        List<String> opened = new ArrayList<>();
        Token.Opener opener = new Token.Opener() {
            @Override
            public ApduTransport serial(TokenAddress.SerialPort port) {
                opened.add("serial " + port.device());
                throw new AssertionError("opened " + port.device());
            }

            @Override
            public ApduTransport pcsc(TokenAddress.PcscReader reader) {
                opened.add("pcsc " + reader.name());
                throw new AssertionError("opened " + reader.name());
            }
        };
        HostMain.Env env = new HostMain.Env(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
                InstantSource.fixed(Instant.EPOCH), Map.of(), false, opener);
        assertThat(HostMain.run(new String[] {"--port", "", "reset", "--force"}, env)).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).isEqualTo("otptoken: Invalid value for option '--port': the path is empty (an unset"
                + " variable?)\notptoken: see 'otptoken --help'\n");
        err.reset();
        assertThat(HostMain.run(new String[] {"reset", "--force", "--port="}, env)).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).startsWith("otptoken: Invalid value for option '--port': the path is empty");
        err.reset();
        assertThat(HostMain.run(new String[] {"--port", " ", "reset", "--force"}, env)).as("blank: \"$PORT \"")
                .isEqualTo(ExitStatus.USAGE);
        assertThat(err()).startsWith("otptoken: Invalid value for option '--port': the path is empty");
        err.reset();
        assertThat(HostMain.run(new String[] {"--reader", "", "list"}, env)).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).startsWith("otptoken: Invalid value for option '--reader': the name is empty (an unset"
                + " variable?)\n");
        assertThat(opened).isEmpty();
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private int run(String line) {
        return run(Map.of(), line.isEmpty() ? new String[0] : line.split(" "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "code", "password", "password set", "qr decode", "drift observe", "help"})
    void helpCommandPrintsWhatHelpOptionPrints(String command) {
        assertThat(run((command + " --help").strip())).isZero();
        String byOption = out();
        out.reset();
        assertThat(run(("help " + command).strip())).as(err()).isZero();
        assertThat(out()).isEqualTo(byOption).startsWith("Usage: otptoken");
        assertThat(err()).isEmpty();
    }

    @Test
    void theDemoRefusesAPortOrReaderItWouldIgnore() {
        for (String line : new String[] {"demo --port /dev/ttyACM0", "--reader Yubico demo"}) {
            err.reset();
            assertThat(run(line)).as(line).isEqualTo(ExitStatus.USAGE);
            assertThat(err()).isEqualTo(
                    "otptoken: demo starts its own simulated token: --port and --reader do not apply\n");
            assertThat(out()).isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"qr|decode or encode", "password|set, clear, unlock or forget",
        "drift|init, observe, predict or show"})
    void aCommandOfSubcommandsAloneIsAUsageErrorNamingThemAndItsHelp(String command, String subcommands) {
        assertThat(run(command)).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).isEqualTo("otptoken: missing subcommand: " + subcommands + "\n"
                + "otptoken: see 'otptoken " + command + " --help'\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void helpOfAnUnknownCommandIsAUsageErrorThatSaysWhatWasMeant() {
        assertThat(run("help nosuch")).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).isEqualTo("otptoken: unknown command 'nosuch'\notptoken: see 'otptoken --help'\n");
        err.reset();
        assertThat(run("help password sett")).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).isEqualTo("otptoken: unknown command 'password sett' (did you mean 'password set'?)\n"
                + "otptoken: see 'otptoken password --help'\n");
        assertThat(out()).isEmpty();
    }

    /** An empty path (an unset variable: "$IMAGE") is the working directory to the file system: a usage error. */
    @Test
    void anEmptyPathIsAUsageError() {
        assertThat(run(Map.of(), "qr", "decode", "")).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).isEqualTo("otptoken: Invalid value for positional parameter at index 0..* (IMAGE): the path is"
                + " empty (an unset variable?)\notptoken: see 'otptoken qr decode --help'\n");
        err.reset();
        assertThat(run(Map.of(), "calibrate", "--samples", "", "--duration", "5s")).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).startsWith("otptoken: Invalid value for option '--samples': the path is empty (an unset"
                + " variable?)\n");
        err.reset();
        // --out takes '-' for standard output, so it is text: the same words, not an internal error
        assertThat(run(Map.of(), "qr", "encode", "--out", "", "--uri", "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP"))
                .isEqualTo(ExitStatus.USAGE);
        assertThat(err()).startsWith("otptoken: Invalid value for option '--out': the path is empty (an unset"
                + " variable?)\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void aMistypedCommandOrOptionSaysWhatWasMeant() {
        assertThat(run("cod")).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).isEqualTo("otptoken: unknown command 'cod' (did you mean 'code'?)\n"
                + "otptoken: see 'otptoken --help'\n");
        err.reset();
        assertThat(run("password sett")).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).isEqualTo("otptoken: unknown command 'password sett' (did you mean 'password set'?)\n"
                + "otptoken: see 'otptoken password --help'\n");
        err.reset();
        assertThat(run("code --jsno")).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).isEqualTo("otptoken: unknown option '--jsno' (did you mean '--json'?)\n"
                + "otptoken: see 'otptoken code --help'\n");
        err.reset();
        // the name of a command one level down is offered first
        assertThat(run("unlock")).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).isEqualTo("otptoken: unknown command 'unlock' (did you mean 'password unlock' or 'clock'?)\n"
                + "otptoken: see 'otptoken --help'\n");
        err.reset();
        assertThat(run("decode")).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).isEqualTo("otptoken: unknown command 'decode' (did you mean 'qr decode' or 'code'?)\n"
                + "otptoken: see 'otptoken --help'\n");
        err.reset();
        // nothing close: no guess
        assertThat(run("frobnicate")).isEqualTo(ExitStatus.USAGE);
        assertThat(err()).isEqualTo("otptoken: unknown command 'frobnicate'\notptoken: see 'otptoken --help'\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void suggestionsAreCloseNamesOnly() {
        List<String> commands = List.of("provision", "list", "code", "clock", "calibrate", "info", "qr", "drift");
        assertThat(Suggestions.close("provison", commands)).containsExactly("provision");
        assertThat(Suggestions.close("lsit", commands)).containsExactly("list");
        assertThat(Suggestions.close("cal", commands)).containsExactly("calibrate");
        assertThat(Suggestions.close("clok", commands)).containsExactly("clock");
        assertThat(Suggestions.close("c", commands)).isEmpty();
        assertThat(Suggestions.close("qe", commands)).isEmpty();
        assertThat(Suggestions.close("frobnicate", commands)).isEmpty();
        assertThat(Suggestions.close("--prot", List.of("--port", "--reader", "--json"))).containsExactly("--port");
    }

    @Test
    void globalOptionsAreTheSameAfterTheCommand() throws Exception {
        assertThat(parsed(Map.of(HostMain.PORT_VARIABLE, "/dev/pts/5"), "list", "--port", "/dev/pts/4").address())
                .isEqualTo(new TokenAddress.SerialPort("/dev/pts/4"));
        assertThat(parsed(Map.of(), "password", "set", "--reader", "R").address())
                .isEqualTo(new TokenAddress.PcscReader("R"));
        assertThat(parsed(Map.of(), "code", "--json").json).isTrue();
        assertThat(parsed(Map.of(), "drift", "show", "--json").json).isTrue();
        assertThat(parsed(Map.of(), "code").json).isFalse();

        assertThat(run(Map.of(), "list", "--port", "/nonexistent/ttyX")).isEqualTo(ExitStatus.NO_TOKEN);
        String after = err();
        err.reset();
        assertThat(run(Map.of(), "--port", "/nonexistent/ttyX", "list")).isEqualTo(ExitStatus.NO_TOKEN);
        assertThat(err()).isEqualTo(after).startsWith("otptoken: no token at /nonexistent/ttyX: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-v -v list", "-vv list", "list -vv", "-v list -v", "password -v set -v", "list -v -v"})
    void everyVCountsWhereverItStands(String line) {
        HostMain main = new HostMain(new HostMain.Env(System.out, System.err, new ByteArrayInputStream(new byte[0]),
                InstantSource.fixed(Instant.EPOCH), Map.of(), false, Token.Opener.system()));
        assertThat(HostMain.verbosity(HostMain.commandLine(main).parseArgs(line.split(" ")))).isEqualTo(2);
    }

    /** Every command and subcommand, as the words that name it ("" for the program itself). */
    private static List<String> everyCommand() {
        List<String> all = new ArrayList<>();
        collect(HostMain.commandLine(new HostMain(new HostMain.Env(System.out, System.err,
                new ByteArrayInputStream(new byte[0]), InstantSource.fixed(Instant.EPOCH), Map.of(), false,
                Token.Opener.system()))), "", all);
        return all;
    }

    private static void collect(CommandLine c, String path, List<String> all) {
        all.add(path);
        c.getSubcommands().forEach((name, sub) -> collect(sub, (path + " " + name).strip(), all));
    }

    @Test
    void everyCommandsHelpEndsWithExamplesAndExitStatuses() {
        List<String> commands = everyCommand();
        assertThat(commands).contains("help", "password set", "qr decode", "clock sync", "drift observe");
        for (String command : commands) {
            out.reset();
            assertThat(run((command + " --help").strip())).as(command).isZero();
            String help = out();
            assertThat(help).as(command).containsPattern("(?m)^Examples?:$").contains("Exit status: ");
            // an example line that picocli had to wrap would read as two commands
            String examples = help.substring(help.indexOf("Example"), help.indexOf("Exit status: "));
            assertThat(examples.lines().filter(l -> !l.isEmpty() && !l.startsWith("  ") && !l.startsWith("Example")))
                    .as(command).isEmpty();
        }
    }
}
