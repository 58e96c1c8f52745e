package dev.otptoken.host.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * A command that prints one JSON document on standard output when {@code --json} is given.
 * Every other command refuses {@code --json} as a usage error before it does anything: a script
 * that asked for JSON never gets text it did not ask for (docs/otptoken-cli.md, JSON).
 */
interface JsonOutput {
    /** The commands that implement this interface, as the help and the refusal name them. */
    String COMMANDS = "provision, add, list, code, info, devices, clock, calibrate, drift and qr decode";

    /** Refuses {@code --json} for the command about to run unless it prints JSON; commands that only group others pass. */
    static void check(boolean json, ParseResult parsed) {
        if (!json) {
            return;
        }
        List<CommandLine> commands = parsed.asCommandLineList();
        CommandLine last = commands.get(commands.size() - 1);
        Object command = last.getCommandSpec().userObject();
        if (command instanceof JsonOutput || command instanceof HelpCommand || !last.getSubcommands().isEmpty()) {
            return;
        }
        String name = Suggestions.path(last.getCommandSpec()).strip();
        throw new CommandLine.ParameterException(last, name + " has no JSON output (--json is for " + COMMANDS + ")");
    }
}
