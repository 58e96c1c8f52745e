package dev.otptoken.host.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code help [COMMAND [SUBCOMMAND]]}: what {@code --help} prints, for ykman users who type
 * {@code help}. Written here rather than picocli's {@code HelpCommand} so that a mistyped name is
 * the same usage error, with the same "did you mean", as a mistyped command.
 */
@Command(name = "help", helpCommand = true, mixinStandardHelpOptions = true,
        description = "Show the help of otptoken, or of a command: the same as --help after it.",
        footer = {"", "Examples:", "  otptoken help               the commands and global options",
            "  otptoken help code          the same as 'otptoken code --help'",
            "  otptoken help password set  a subcommand's help",
            "", "Exit status: 0 help shown; 2 no such command."})
final class HelpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "a command, then a subcommand of it")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLine target = spec.parent().commandLine();
        for (String name : names) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null) {
                throw new CommandLine.ParameterException(target,
                        Suggestions.unknownCommand(target.getCommandSpec(), name));
            }
            target = sub;
        }
        target.usage(target.getOut(), target.getColorScheme());
        return ExitStatus.OK;
    }
}
