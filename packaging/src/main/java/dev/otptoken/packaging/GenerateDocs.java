package dev.otptoken.packaging;

import dev.otptoken.firmware.sim.SimOptions;
import dev.otptoken.host.cli.HostMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Run by the build at {@code package} (exec-maven-plugin): writes {@code TARGET/man/otptoken.1},
 * {@code TARGET/man/otptoken-sim.1} (troff, {@link ManPage}) and the bash completion scripts
 * {@code TARGET/completion/otptoken} and {@code TARGET/completion/otptoken-sim}
 * ({@link AutoComplete}), all from the programs' picocli models, so they never disagree with
 * {@code --help}. Runs inside Maven's JVM: it returns, it never exits.
 */
public final class GenerateDocs {
    private GenerateDocs() {
    }

    /** Arguments: the target directory and the project version. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: GenerateDocs TARGET-DIRECTORY VERSION");
        }
        write(Path.of(args[0]), args[1]);
    }

    /** Both programs' man pages and completion scripts under {@code target}. */
    public static void write(Path target, String version) throws IOException {
        write(target, version, HostMain.commandLine());
        write(target, version, new CommandLine(new SimOptions()));
    }

    private static void write(Path target, String version, CommandLine cl) throws IOException {
        String name = cl.getCommandName();
        Path man = Files.createDirectories(target.resolve("man")).resolve(name + ".1");
        Files.writeString(man, ManPage.of(cl, version), StandardCharsets.UTF_8);
        Path completion = Files.createDirectories(target.resolve("completion")).resolve(name);
        Files.writeString(completion, AutoComplete.bash(name, cl), StandardCharsets.UTF_8);
    }
}
