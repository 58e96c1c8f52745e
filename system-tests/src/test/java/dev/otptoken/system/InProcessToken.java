package dev.otptoken.system;

import dev.otptoken.firmware.sim.OtpToken;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The token in this JVM on a pseudo-terminal, its memory in {@code state}: firmware-sim's
 * library API ({@link OtpToken}, docs/otptoken-sim.md, "The token as a library").
 */
final class InProcessToken implements AutoCloseable {
    private final OtpToken token;
    final Path device;

    InProcessToken(Path state) throws IOException {
        token = OtpToken.builder().stateFile(state).start();
        device = token.ptyPath();
    }

    /** Stops the token, saving its memory to the state file. */
    @Override
    public void close() {
        token.close();
    }
}
