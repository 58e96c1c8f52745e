package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.hardware.link.PseudoTerminal;
import dev.otptoken.hardware.link.TtyLink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Line noise with nobody reading the replies: 1 MiB of random bytes into the token's
 * pseudo-terminal. The token used to exit ("host is not reading") once its replies to the
 * noise filled the line; a token drops what it cannot send and keeps listening.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LineNoiseTest {
    static final int NOISE_BYTES = 1 << 20;
    static final String PUT_TOTP = SimProcessTest.PUT_TOTP;

    @TempDir
    Path dir;

    @Test
    void aMegabyteOfNoiseWithNoReaderLeavesTheTokenListening() throws Exception {
        try (TokenHarness t = TokenHarness.process(dir.resolve("token.state"))) {
            assertThat(t.port).startsWith("/dev/pts/");
            byte[] noise = new byte[NOISE_BYTES];
            new Random(13).nextBytes(noise);
            TtyLink flood = TtyLink.open(Path.of(t.port));
            try {
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        for (int off = 0; off < noise.length; off += 4096) {
                            flood.write(noise, off, Math.min(4096, noise.length - off));
                        }
                    } catch (IOException e) {
                        // The token went away under the flood: the assertions below say so.
                    }
                });
                try {
                    writer.get(120, TimeUnit.SECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // A stuck writer is a token that stopped reading: checked below.
                }
                assertThat(writer).as("the token reads the whole flood").isDone();
                // Nobody has read the replies to the noise: wait past the token's stall limit, the
                // moment it used to give up and exit.
                long until = System.nanoTime()
                        + TimeUnit.MILLISECONDS.toNanos(PseudoTerminal.DEFAULT_WRITE_STALL_MILLIS + 3_000);
                while (t.running() && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                assertThat(t.running()).as("the token is still up after the flood").isTrue();
            } finally {
                flood.close();
            }
            // A normal host afterwards: open (purge and S(RESYNCH)), SELECT, PUT, LIST.
            t.connect();
            t.ok(TokenHarness.OATH_SELECT);
            t.ok(PUT_TOTP);
            assertThat(t.ok("00A10000")).isEqualTo("7205" + "21" + "74657374");
            assertThat(t.quit()).isZero();
        }
    }
}
