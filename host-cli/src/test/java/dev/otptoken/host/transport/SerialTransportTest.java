package dev.otptoken.host.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.protocol.t1.T1CardChannel;
import dev.otptoken.protocol.t1.T1Timing;
import dev.otptoken.testing.Ci;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SerialTransport against protocol's T=1 card driver on the far end of a socat pair: APDUs
 * longer than one block go both ways, the session starts with a warm reset.
 */
class SerialTransportTest {
    @TempDir
    Path dir;
    private Process socat;
    private Path hostEnd;
    private SerialByteLink cardLink;
    private T1CardChannel card;
    private Thread cardThread;
    private final AtomicInteger warmResets = new AtomicInteger();
    /** The card hangs in its command, as a stopped token does (it still sends S(WTX) meanwhile). */
    private final java.util.concurrent.CountDownLatch frozen = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean freeze;

    @BeforeEach
    void start() throws Exception {
        Ci.requireTool("socat");
        hostEnd = dir.resolve("host");
        Path cardEnd = dir.resolve("card");
        socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + hostEnd, "pty,raw,echo=0,link=" + cardEnd)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 200 && !(Files.exists(hostEnd) && Files.exists(cardEnd)); i++) {
            Thread.sleep(10);
        }
        cardLink = SerialByteLink.open(cardEnd.toString());
        card = new T1CardChannel(cardLink, T1Timing.DEFAULT);
        cardThread = new Thread(() -> {
            try {
                card.serve(new T1CardChannel.CardHandler() {
                    @Override
                    public byte[] process(byte[] command) {
                        if (freeze) {
                            try {
                                frozen.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        // answers the command reversed, twice, then 90 00: longer than one block
                        byte[] r = new byte[command.length * 2 + 2];
                        for (int i = 0; i < command.length; i++) {
                            r[i] = command[command.length - 1 - i];
                            r[command.length + i] = command[command.length - 1 - i];
                        }
                        r[r.length - 2] = (byte) 0x90;
                        return r;
                    }

                    @Override
                    public void warmReset() {
                        warmResets.incrementAndGet();
                    }
                });
            } catch (IOException gone) {
                // the pair was torn down
            }
        }, "card");
        cardThread.setDaemon(true);
        cardThread.start();
    }

    @AfterEach
    void stop() throws Exception {
        frozen.countDown();
        if (card != null) {
            socat.destroy();
            socat.waitFor(5, TimeUnit.SECONDS);
            cardThread.join(5000);
            cardLink.close();
        }
    }

    @Test
    void longApdusCrossInBothDirections() throws IOException {
        byte[] command = new byte[200];
        for (int i = 0; i < command.length; i++) {
            command[i] = (byte) i;
        }
        try (SerialTransport t = SerialTransport.open(hostEnd.toString(), T1Timing.DEFAULT)) {
            byte[] r = t.transceive(command);
            assertThat(r).hasSize(402);
            assertThat(r[0]).isEqualTo((byte) 199);
            assertThat(r[200]).isEqualTo((byte) 199);
            assertThat(Arrays.copyOfRange(r, 400, 402)).containsExactly(0x90, 0x00);
            assertThat(t.transceive(new byte[] {0, (byte) 0xA1, 0, 0, 0})).hasSize(12);
        }
        assertThat(warmResets.get()).isEqualTo(1);
    }

    /** The protocol's words say what failed; the message says where too (a command may have found the token itself). */
    @Test
    void aTokenThatStopsAnsweringIsNamedWithThePortInTheMessage() throws Exception {
        T1Timing shortExchange = new T1Timing(java.time.Duration.ofMillis(200), java.time.Duration.ofMillis(1000), 3, 3,
                java.time.Duration.ofMillis(500), 1, java.time.Duration.ofSeconds(2));
        try (SerialTransport t = SerialTransport.open(hostEnd.toString(), shortExchange)) {
            freeze = true;
            assertThatThrownBy(() -> t.transceive(new byte[] {0, (byte) 0xA4, 4, 0}))
                    .isInstanceOf(dev.otptoken.protocol.t1.T1Exception.class)
                    .hasMessage("the serial line to the token at " + hostEnd + " failed: exchange exceeded 2000 ms");
        }
    }

    @Test
    void aLostTokenIsAnIOException() throws Exception {
        try (SerialTransport t = SerialTransport.open(hostEnd.toString(), T1Timing.DEFAULT)) {
            socat.destroy();
            assertThat(socat.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> t.transceive(new byte[] {0, (byte) 0xA4, 4, 0}))
                    .isInstanceOf(IOException.class);
        }
    }
}
