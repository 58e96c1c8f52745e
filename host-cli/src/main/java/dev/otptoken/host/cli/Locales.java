package dev.otptoken.host.cli;

import java.util.Optional;

/**
 * The command line and a password typed at the terminal, as the JVM decoded them in the
 * locale's character set. In a C or POSIX locale (cron, many containers) that set is ASCII and
 * every other byte arrives as U+FFFD: an account name {@code Café} would reach the token as
 * {@code Caf\uFFFD\uFFFD}, a password with an umlaut would be a wrong one and count as a try.
 * {@code bin/otptoken} runs Java in {@code C.UTF-8} then (bin/lib/locale.sh); where nothing can
 * (java -jar, the Debian package's launchers), what could not be read is refused, never used.
 */
final class Locales {
    /** Where the user is sent: a UTF-8 locale every Debian system has. */
    static final String REMEDY = "run otptoken in a UTF-8 locale (LC_ALL=C.UTF-8)";

    private Locales() {
    }

    /**
     * When {@code args} hold a character the locale could not decode (U+FFFD), the words of the
     * refusal (one line, without the program's name); else empty.
     */
    static Optional<String> unreadable(String[] args) {
        for (String a : args) {
            if (a.indexOf('\uFFFD') >= 0) {
                return Optional.of("the command line " + holds() + ": nothing was done; " + REMEDY);
            }
        }
        return Optional.empty();
    }

    /** As {@link #unreadable(String[])} for a password typed at the terminal ({@code typed} is not kept). */
    static Optional<String> unreadable(char[] typed) {
        for (char c : typed) {
            if (c == '\uFFFD') {
                return Optional.of(holds() + ": " + REMEDY);
            }
        }
        return Optional.empty();
    }

    private static String holds() {
        return "holds bytes that the locale's character set (" + System.getProperty("sun.jnu.encoding", "unknown")
                + ") cannot read";
    }
}
