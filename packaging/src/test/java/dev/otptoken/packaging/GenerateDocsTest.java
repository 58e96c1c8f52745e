package dev.otptoken.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.firmware.sim.SimOptions;
import dev.otptoken.host.cli.HostMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class GenerateDocsTest {
    @TempDir
    Path dir;

    @Test
    void writesBothProgramsManPagesAndCompletion() throws IOException {
        GenerateDocs.write(dir, "1.2.3");

        for (String name : List.of("otptoken", "otptoken-sim")) {
            assertThat(dir.resolve("man/" + name + ".1")).content(StandardCharsets.UTF_8)
                    .startsWith(".\\\"").contains(".TH \"" + ManPage.escape(name.toUpperCase()) + "\" 1 \"\" \""
                            + ManPage.escape(name) + " 1.2.3\"");
            assertThat(dir.resolve("completion/" + name)).content(StandardCharsets.UTF_8)
                    .contains("complete -F _complete_" + name + " -o default " + name + " ");
        }
    }

    @Test
    void theHostPageHasEverySubcommandAndEveryOption() {
        CommandLine cl = HostMain.commandLine();
        String page = ManPage.of(cl, "1.2.3");

        for (CommandSpec spec : commands(cl.getCommandSpec(), new ArrayList<>())) {
            if (spec.parent() != null) {
                assertThat(page).contains(".SS \"" + ManPage.escape(spec.qualifiedName(" ")) + "\"");
            }
            for (OptionSpec o : spec.options()) {
                if (!o.hidden() && !o.inherited()) {
                    assertThat(page).as(spec.qualifiedName() + " " + o.longestName())
                            .contains("\\fB" + ManPage.escape(o.longestName()) + "\\fR");
                }
            }
        }
        assertThat(page).contains(".SH NOTES").contains("Exit status: 0 success");
    }

    @Test
    void theSimulatorPageHasItsExitStatuses() {
        String page = ManPage.of(new CommandLine(new SimOptions()), "1.2.3");

        assertThat(page).contains(".SH \"EXIT STATUS\"").contains("\\fB75\\fR").contains("\\fB\\-\\-headless\\fR");
    }

    /** groff, where installed (man-db needs it), reads both pages without a warning. */
    @Test
    void groffReadsThePagesWithoutWarnings() throws IOException, InterruptedException {
        GenerateDocs.write(dir, "1.2.3");
        Process p;
        try {
            p = new ProcessBuilder("groff", "-ww", "-z", "-man", dir.resolve("man/otptoken.1").toString(),
                    dir.resolve("man/otptoken-sim.1").toString()).redirectErrorStream(true).start();
        } catch (IOException noGroff) {
            org.junit.jupiter.api.Assumptions.assumeFalse(System.getenv("CI") == null, "no groff here");
            return; // under CI the test does not depend on groff being installed
        }
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(said).isEmpty();
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void escapesWhatTroffWouldReadAsMarkup() {
        assertThat(ManPage.escape(".hidden")).isEqualTo("\\&.hidden");
        assertThat(ManPage.escape("'quoted'")).isEqualTo("\\&'quoted'");
        assertThat(ManPage.escape("a\\b --c")).isEqualTo("a\\eb \\-\\-c");
    }

    private static List<CommandSpec> commands(CommandSpec spec, List<CommandSpec> all) {
        all.add(spec);
        spec.subcommands().values().stream().map(CommandLine::getCommandSpec).distinct()
                .filter(s -> !s.usageMessage().hidden()).forEach(s -> commands(s, all));
        return all;
    }
}
