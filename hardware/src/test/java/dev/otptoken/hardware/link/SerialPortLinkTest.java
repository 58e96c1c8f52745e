package dev.otptoken.hardware.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SerialPortLinkTest {
    /** Generous: sleeping between FIONREAD checks costs a few ms per idle second, jssc's own wait ~1 s. */
    private static final long IDLE_CPU_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    @TempDir
    Path dir;
    private SocatPair pair;
    private SerialPortLink token;

    @BeforeEach
    void start() throws Exception {
        pair = SocatPair.start(dir);
        token = SerialPortLink.open(pair.a.toString(), HostPort.BAUD);
    }

    @AfterEach
    void stop() throws Exception {
        if (token != null) {
            token.close();
        }
        if (pair != null) {
            pair.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 9, 64, 256, 265, 1000, 4096})
    void binaryFramesCrossBothWaysUnchanged(int size) throws Exception {
        byte[] toToken = Frames.frame(size, size);
        byte[] toHost = Frames.frame(size, -size);
        try (HostPort host = HostPort.open(pair.b)) {
            host.send(toToken);
            assertThat(Links.readExactly(token, size)).isEqualTo(toToken);

            token.write(toHost, 0, toHost.length);
            assertThat(host.receive(size)).isEqualTo(toHost);
        }
    }

    @Test
    void openPurgesBytesSentBeforehand() throws Exception {
        byte[] early = Frames.frame(100, 1);
        byte[] frame = Frames.frame(64, 2);
        try (HostPort host = HostPort.open(pair.b)) {
            token.close();
            long before = pair.carriedToA();
            host.send(early);
            // What arrives while the far end is closed waits in its queue; the reopened token
            // purges it. Reopen only once socat has carried all of it there: bytes still on
            // their way would arrive after the purge.
            pair.awaitCarriedToA(before + early.length);
            token = SerialPortLink.open(pair.a.toString(), HostPort.BAUD);
            host.send(frame);
            assertThat(Links.readExactly(token, frame.length)).isEqualTo(frame);
        }
    }

    @Test
    void silentLineReadsZeroWithoutSpinning() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (HostPort host = HostPort.open(pair.b)) {
            long before = threads.getCurrentThreadCpuTime();
            int n = token.read(new byte[8], 0, 8, 1_000);
            long used = threads.getCurrentThreadCpuTime() - before;

            assertThat(n).isZero();
            assertThat(used).isLessThan(IDLE_CPU_LIMIT_NANOS);
        }
    }

    @Test
    void readFailsOnceTheDeviceIsGone() throws Exception {
        pair.kill();

        assertThatThrownBy(() -> token.read(new byte[8], 0, 8, 2_000)).isInstanceOf(IOException.class)
                .hasMessageContaining(pair.a.toString());
    }

    @Test
    void writeFailsOnceTheDeviceIsGone() throws Exception {
        pair.kill();
        byte[] frame = Frames.frame(64, 3);

        assertThatThrownBy(() -> token.write(frame, 0, frame.length)).isInstanceOf(IOException.class)
                .hasMessageContaining(pair.a.toString());
    }

    @Test
    void closeIsIdempotentAndLaterCallsFail() throws IOException {
        token.close();
        token.close();

        assertThatThrownBy(() -> token.read(new byte[1], 0, 1, 10)).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> token.write(new byte[1], 0, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void missingDeviceIsAnIOException() {
        assertThatThrownBy(() -> SerialPortLink.open(dir.resolve("no-such-tty").toString(), HostPort.BAUD))
                .isInstanceOf(IOException.class).hasMessageContaining("no-such-tty");
    }
}
