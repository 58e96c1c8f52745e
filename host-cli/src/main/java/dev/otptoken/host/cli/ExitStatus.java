package dev.otptoken.host.cli;

/** The exit statuses of docs/otptoken-cli.md, "Exit status". */
public final class ExitStatus {
    public static final int OK = 0;
    public static final int USAGE = 2;
    public static final int BAD_INPUT = 3;
    public static final int NO_TOKEN = 4;
    public static final int TOKEN_REFUSED = 5;
    public static final int PASSWORD = 6;
    /** A bug: an exception no rule maps (printed with its class so it can be reported). */
    public static final int INTERNAL = 70;

    private ExitStatus() {
    }
}
