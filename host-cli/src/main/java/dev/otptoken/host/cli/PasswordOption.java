package dev.otptoken.host.cli;

import picocli.CommandLine.Option;

/** {@code --password-stdin} and {@code --remember} for every command that may meet a locked token. */
final class PasswordOption {
    @Option(names = "--password-stdin", description = "read the token password (one line) from standard input")
    boolean stdin;

    @Option(names = "--remember", description = "remember the token's access key (not the password) in"
            + " $XDG_CONFIG_HOME/otptoken/oath-keys, so that later commands unlock it without asking"
            + " (undo: otptoken password forget)")
    boolean remember;
}
