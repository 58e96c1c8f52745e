package dev.otptoken.firmware.sim;

import dev.otptoken.log.Log;
import org.tinylog.configuration.Configuration;

/**
 * Sets the log level from {@code -v}: {@link Log}'s, which keeps tinylog unloaded until a message
 * is written, and tinylog's, before the first log line freezes its configuration.
 */
final class Logging {
    private Logging() {
    }

    static void configure(int verbosity) {
        Log.verbosity(verbosity);
        if (verbosity <= 0 || Configuration.isFrozen()) {
            return;
        }
        Configuration.set("writer.level", verbosity == 1 ? "info" : "debug");
    }
}
