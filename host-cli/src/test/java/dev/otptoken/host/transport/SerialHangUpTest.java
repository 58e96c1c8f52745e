package dev.otptoken.host.transport;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.otptoken.hardware.link.PseudoTerminal;
import dev.otptoken.jssc.JsscLibrary;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import jssc.SerialPort;
import org.junit.jupiter.api.Test;

/**
 * A device that hangs up under jssc's native read: the read must end in an IOException, not
 * spin. The read here asks for a byte nobody sends, so it is inside the native code when the
 * pseudo-terminal's master closes (the state SerialByteLink meets when the queued bytes it
 * counted are flushed by a hang-up before it reads them).
 */
class SerialHangUpTest {
    /** Not a speed bound: without the watchdog the read never returns and this trips. */
    private static final Duration HANG = Duration.ofSeconds(30);

    @Test
    void aReadTheDeviceHangsUpUnderEndsInIOException() throws Exception {
        ScheduledExecutorService unplug = Executors.newSingleThreadScheduledExecutor();
        PseudoTerminal pty = PseudoTerminal.open(Optional.empty());
        JsscLibrary.prepare();
        SerialPort port = new SerialPort(pty.slavePath().toString());
        try {
            port.openPort();
            unplug.schedule(() -> {
                pty.close();
                return null;
            }, 300, TimeUnit.MILLISECONDS);
            assertTimeoutPreemptively(HANG, () -> assertThatThrownBy(
                    () -> SerialByteLink.readQueued(port, 1, 1_000, "the pty"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("hung up"));
        } finally {
            unplug.shutdownNow();
            pty.close();
            if (port.isOpened()) {
                port.closePort();
            }
        }
    }
}
