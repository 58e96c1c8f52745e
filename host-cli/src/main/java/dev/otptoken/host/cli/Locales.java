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
    private Locales() {
    }

    /**
     * When {@code args} hold a character the locale could not decode (U+FFFD), the words of the
     * refusal (one line, without the program's name); else empty.
     */
    static Optional<String> unreadable(String[] args) {
        for (String a : args) {
            if (a.indexOf('\uFFFD') >= 0) {
                String charset = charset();
                return Optional.of("the command line " + holds(charset) + ": nothing was done; " + remedy(charset));
            }
        }
        return Optional.empty();
    }

    /** As {@link #unreadable(String[])} for a password typed at the terminal ({@code typed} is not kept). */
    static Optional<String> unreadable(char[] typed) {
        for (char c : typed) {
            if (c == '\uFFFD') {
                String charset = charset();
                return Optional.of(holds(charset) + ": " + remedy(charset));
            }
        }
        return Optional.empty();
    }

    /** The character set the JVM decoded the command line with (the locale's). */
    static String charset() {
        return System.getProperty("sun.jnu.encoding", "unknown");
    }

    /** What is wrong with text decoded in {@code charset} that holds U+FFFD. */
    static String holds(String charset) {
        return utf8(charset) ? "holds bytes that are not UTF-8"
                : "holds bytes that the locale's character set (" + charset + ") cannot read";
    }

    /** What to do about it: another locale, or (already in UTF-8) text in UTF-8. */
    static String remedy(String charset) {
        return utf8(charset) ? "give it as UTF-8 text" : "run otptoken in a UTF-8 locale (LC_ALL=C.UTF-8)";
    }

    private static boolean utf8(String charset) {
        return charset.equalsIgnoreCase("UTF-8") || charset.equalsIgnoreCase("UTF8");
    }
}
