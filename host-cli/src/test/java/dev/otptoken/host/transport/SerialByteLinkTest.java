package dev.otptoken.host.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.testing.Ci;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SerialByteLink over a socat null-modem pair of pseudo-terminals. */
class SerialByteLinkTest {
    @TempDir
    Path dir;
    private Process socat;
    private Path a;
    private Path b;

    @BeforeEach
    void startPair() throws Exception {
        Ci.requireTool("socat");
        a = dir.resolve("a");
        b = dir.resolve("b");
        socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 200 && !(Files.exists(a) && Files.exists(b)); i++) {
            Thread.sleep(10);
        }
        assertThat(a).exists();
        assertThat(b).exists();
    }

    @AfterEach
    void stopPair() throws InterruptedException {
        if (socat != null) {
            socat.destroy();
            socat.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPortThatIsNoneIsOneLineSayingWhat() {
        assertThatThrownBy(() -> SerialByteLink.open(dir.resolve("nosuch").toString())).isInstanceOf(IOException.class)
                .hasMessage("no token at " + dir.resolve("nosuch") + ": no such device");
        assertThatThrownBy(() -> SerialByteLink.open(dir.toString())).isInstanceOf(IOException.class)
                .hasMessage("no token at " + dir + ": a directory, not a serial port");
    }

    @Test
    void aSecondOpenOfAHeldPortGivesUpNamingTheHolder() throws IOException {
        try (SerialByteLink first = SerialByteLink.open(a.toString())) {
            long pid = ProcessHandle.current().pid();
            assertThat(PortLock.holder(a)).hasValue(pid);
            assertThatThrownBy(() -> PortLock.acquire(a.toString(), 100)).isInstanceOf(PortLock.PortBusyException.class)
                    .hasMessage("port " + a + " in use by PID " + pid);
            try (SerialByteLink other = SerialByteLink.open(b.toString())) {
                assertThat(other.device()).as("another port is free").isEqualTo(b.toString());
            }
        }
        try (SerialByteLink again = SerialByteLink.open(a.toString())) {
            assertThat(PortLock.holder(a)).as("closing released the port").hasValue(ProcessHandle.current().pid());
        }
        assertThat(PortLock.holder(a)).isEmpty();
    }

    @Test
    void aWaitingOpenGetsThePortWhenTheHolderClosesIt() throws Exception {
        SerialByteLink first = SerialByteLink.open(a.toString());
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(300);
                first.close();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        closer.start();
        try (PortLock second = PortLock.acquire(a.toString(), PortLock.WAIT_MILLIS)) {
            assertThat(first.device()).isEqualTo(a.toString());
        }
        closer.join();
    }

    @Test
    void binaryBytesPassUnchanged() throws IOException {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        try (SerialByteLink left = SerialByteLink.open(a.toString());
             SerialByteLink right = SerialByteLink.open(b.toString())) {
            left.write(all, 0, all.length);
            byte[] got = new byte[all.length];
            int n = 0;
            for (int tries = 0; n < got.length && tries < 100; tries++) {
                n += right.read(got, n, got.length - n, 1000);
            }
            assertThat(Arrays.copyOf(got, n)).isEqualTo(all);
        }
    }

    @Test
    void readWithNothingPendingReturnsZero() throws IOException {
        try (SerialByteLink left = SerialByteLink.open(a.toString())) {
            assertThat(left.read(new byte[8], 0, 8, 20)).isZero();
            assertThat(left.read(new byte[8], 0, 8, 0)).isZero();
        }
    }

    @Test
    void discardInputDropsPendingBytes() throws Exception {
        try (SerialByteLink left = SerialByteLink.open(a.toString());
             SerialByteLink right = SerialByteLink.open(b.toString())) {
            left.write(new byte[] {1, 2, 3}, 0, 3);
            byte[] one = new byte[1];
            assertThat(right.read(one, 0, 1, 1000)).isEqualTo(1);
            left.write(new byte[] {4, 5}, 0, 2);
            // Discard only once 4 and 5 have crossed socat (behind 2 and 3, still queued): bytes
            // still in transit would arrive after the discard.
            awaitQueued(right, 4);
            right.discardInput();
            left.write(new byte[] {9}, 0, 1);
            byte[] got = new byte[4];
            int n = 0;
            for (int tries = 0; n == 0 && tries < 10; tries++) {
                n = right.read(got, 0, 4, 500);
            }
            assertThat(got[n - 1]).isEqualTo((byte) 9);
            assertThat(Arrays.copyOf(got, n)).doesNotContain((byte) 4);
        }
    }

    /** Waits until {@code n} bytes are queued at {@code link}; fails after 10 s. */
    private static void awaitQueued(SerialByteLink link, int n) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int queued = link.queued(); queued < n; queued = link.queued()) {
            assertThat(System.nanoTime() - deadline).as("%d of %d bytes queued at the far end", queued, n).isNegative();
            Thread.sleep(1);
        }
    }

    @Test
    void missingDeviceSaysNoToken() {
        String missing = dir.resolve("nothing-here").toString();
        assertThatThrownBy(() -> SerialByteLink.open(missing))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("no token at " + missing + ": ");
    }

    @Test
    void aVanishedPeerIsAnIOExceptionNotAHang() throws Exception {
        try (SerialByteLink left = SerialByteLink.open(a.toString())) {
            socat.destroy();
            assertThat(socat.waitFor(5, TimeUnit.SECONDS)).isTrue();
            IOException failure = null;
            for (int i = 0; i < 50 && failure == null; i++) {
                try {
                    left.read(new byte[8], 0, 8, 20);
                    left.write(new byte[] {1}, 0, 1);
                } catch (IOException e) {
                    failure = e;
                }
            }
            assertThat(failure).isNotNull();
        }
    }
}
