package dev.otptoken.host.cli;

import picocli.CommandLine.Option;

/** {@code --password-stdin} for every command that may meet a locked token. */
final class PasswordOption {
    @Option(names = "--password-stdin", description = "read the token password (one line) from standard input")
    boolean stdin;
}
