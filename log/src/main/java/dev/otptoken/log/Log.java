package dev.otptoken.log;

import org.tinylog.Logger;
import org.tinylog.Supplier;

/**
 * The programs' log calls (otptoken and otptoken-sim), in front of tinylog: a message below the
 * command's verbosity returns before tinylog is touched. tinylog's first call reads its
 * configuration, looks up its providers and writers and reads the JVM's start time through
 * {@code java.lang.management}: tens of milliseconds that a command without {@code -v}, whose
 * info, debug and trace messages go nowhere, would pay at its first log call (the simulator's
 * pseudo-terminal says it is ready at debug level at every start; docs/performance.md,
 * "Start-up"). Warnings and errors always reach tinylog.
 *
 * <p>Levels as {@code -v} sets them: none, warnings and errors only; {@code -v}, info too;
 * {@code -vv}, debug and trace too (the host's APDU traces, secrets redacted).
 */
public final class Log {
    /** 0 without -v, 1 with -v, 2 or more with -vv. */
    private static volatile int verbosity;

    private Log() {
    }

    /** Sets the verbosity of the command that runs ({@code -v} count). */
    public static void verbosity(int count) {
        verbosity = Math.max(0, count);
    }

    /** Whether info messages are written. */
    public static boolean infoEnabled() {
        return verbosity >= 1;
    }

    /** Whether debug and trace messages are written. */
    public static boolean traceEnabled() {
        return verbosity >= 2;
    }

    /** A trace message whose argument is computed only when it is written (APDU traces). */
    public static void trace(String format, Supplier<?> argument) {
        if (traceEnabled()) {
            Logger.trace(format, argument);
        }
    }

    public static void debug(String format, Object... arguments) {
        if (traceEnabled()) {
            Logger.debug(format, arguments);
        }
    }

    public static void info(String format, Object... arguments) {
        if (infoEnabled()) {
            Logger.info(format, arguments);
        }
    }

    public static void warn(String format, Object... arguments) {
        Logger.warn(format, arguments);
    }

    public static void error(String format, Object... arguments) {
        Logger.error(format, arguments);
    }

    public static void error(Throwable throwable, String message) {
        Logger.error(throwable, message);
    }
}
