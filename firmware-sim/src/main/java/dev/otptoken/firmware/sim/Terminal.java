package dev.otptoken.firmware.sim;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Raw keyboard input through {@code stty} on the controlling terminal: no line editing, no
 * echo, one byte at a time. The saved settings are restored at exit.
 */
final class Terminal {
    private static final File TTY = new File("/dev/tty");
    private static final long STTY_TIMEOUT_SECONDS = 5;

    private final String saved;

    private Terminal(String saved) {
        this.saved = saved;
    }

    /** Puts the terminal in character mode; empty if stty is unavailable or fails. */
    static Optional<Terminal> raw() {
        try {
            Optional<String> saved = stty("-g");
            if (saved.isEmpty() || stty("-icanon", "-echo", "min", "1", "time", "0").isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Terminal(saved.get().trim()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Restores the settings saved when entering raw mode. */
    void restore() {
        try {
            stty(saved);
        } catch (IOException e) {
            // Nothing more can be done for a terminal that went away.
        }
    }

    private static Optional<String> stty(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectInput(TTY)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(STTY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroy();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
