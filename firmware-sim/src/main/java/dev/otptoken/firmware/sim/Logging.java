package dev.otptoken.firmware.sim;

import org.tinylog.configuration.Configuration;

/** Sets the log level from {@code -v} before the first log line freezes tinylog's configuration. */
final class Logging {
    private Logging() {
    }

    static void configure(int verbosity) {
        if (verbosity <= 0 || Configuration.isFrozen()) {
            return;
        }
        Configuration.set("writer.level", verbosity == 1 ? "info" : "debug");
    }
}
