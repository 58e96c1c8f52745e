package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.session.Token;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A command line builds only the commands it can reach (docs/performance.md, "Start-up"), and
 * says and ends exactly as it would with every command built.
 */
class LazyCommandsProperties {
    /** Words a line is made of: commands, global and command options, values, mistakes. */
    private static final List<String> WORDS = List.of("list", "code", "delete", "rename", "info", "reset",
            "qr", "decode", "encode", "help", "clock", "cod", "lsit", "x", "--port", "/nonexistent/ttyX",
            "--port=/nonexistent/ttyX", "--reader", "--json", "-v", "-vv", "-vV", "--version", "-V", "--help",
            "-h", "--bogus", "--", "--uri", "--touch", "--force");

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome run(List<String> line, boolean everyCommand) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        HostMain.Env env = new HostMain.Env(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
                InstantSource.fixed(Instant.EPOCH), Map.of(), false, Token.Opener.system());
        int status = HostMain.run(line.toArray(String[]::new), env, everyCommand);
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<List<String>> lines() {
        return Arbitraries.of(WORDS).list().ofMaxSize(5);
    }

    @Property(tries = 150)
    void aLineSaysAndEndsTheSameWithOneCommandBuiltAsWithAll(@ForAll("lines") List<String> line) {
        assertThat(run(line, false)).as(String.join(" ", line)).isEqualTo(run(line, true));
    }

    @Example
    void aLineNamingOneCommandBuildsThatOne() {
        assertThat(HostMain.commandsFor(new String[] {"--port", "P", "-vv", "--json", "code", "github"}))
                .containsExactly(CodeCommand.class);
        assertThat(HostMain.commandsFor(new String[] {"--port=P", "qr", "decode", "a.png"}))
                .containsExactly(QrCommand.class);
        assertThat(HostMain.commandsFor(new String[] {"--reader", "R", "list"})).containsExactly(ListCommand.class);
    }

    @Example
    void versionWithoutACommandBuildsNone() {
        assertThat(HostMain.commandsFor(new String[] {"--version"})).isEmpty();
        assertThat(HostMain.commandsFor(new String[] {"-v", "--port", "P", "-V"})).isEmpty();
    }

    /** A line of just --version (or -V) is answered without picocli: as picocli answers it. */
    @Example
    void versionAloneIsAnsweredAsPicocliAnswersIt() {
        for (List<String> line : List.of(List.of("--version"), List.of("-V"))) {
            Outcome direct = run(line, false);
            assertThat(direct).isEqualTo(run(line, true));
            assertThat(direct.status()).isZero();
            assertThat(direct.out()).startsWith("otptoken ").endsWith(System.lineSeparator());
        }
    }

    @Example
    void whatListsOrSuggestsCommandsBuildsThemAll() {
        for (String[] line : List.of(new String[] {"--help"}, new String[] {"help", "code"},
                new String[] {"cod"}, new String[] {"-x", "code"}, new String[] {"--", "code"},
                new String[0], new String[] {"--json"}, new String[] {"--reader", "code", "list"})) {
            assertThat(HostMain.commandsFor(line)).as(String.join(" ", line)).isSameAs(HostMain.COMMANDS);
        }
    }

    @Example
    void helpIsTheSameWithLazyCommands() {
        for (List<String> line : List.<List<String>>of(List.of("--help"), List.of("code", "--help"), List.of("help", "qr"),
                List.of("--version"), List.of(), List.of("qr", "decode"), List.of("cod"))) {
            assertThat(run(line, false)).as(String.join(" ", line)).isEqualTo(run(line, true));
        }
    }
}
