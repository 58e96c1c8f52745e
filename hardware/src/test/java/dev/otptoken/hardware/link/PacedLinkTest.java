package dev.otptoken.hardware.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.t1.ByteLink;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PacedLinkTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** A clock that moves only when slept on (or told to). */
    static final class FakeTimer implements PacedLink.LineTimer {
        long now = 1_000_000L;
        long slept;
        final List<Long> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            assertThat(nanos).isPositive();
            sleeps.add(nanos);
            slept += nanos;
            now += nanos;
        }
    }

    /** Collects what was written, and records the fake time of each chunk's arrival. */
    static final class RecordingLink implements ByteLink {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        final FakeTimer timer;
        final List<Long> arrivals = new ArrayList<>();
        int reads;

        RecordingLink(FakeTimer timer) {
            this.timer = timer;
        }

        @Override
        public void write(byte[] data, int off, int len) {
            written.write(data, off, len);
            arrivals.add(timer.now);
        }

        @Override
        public int read(byte[] buf, int off, int len, long timeoutMillis) {
            reads++;
            buf[off] = Frames.XON;
            return 1;
        }

        @Override
        public void discardInput() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void nineHundredSixtyBytesAt9600BaudTakeOneSecond() throws Exception {
        FakeTimer timer = new FakeTimer();
        RecordingLink inner = new RecordingLink(timer);
        byte[] frame = Frames.frame(960, 1);

        new PacedLink(inner, 9600, timer).write(frame, 0, frame.length);

        assertThat(timer.slept).isEqualTo(SECOND);
        assertThat(inner.written.toByteArray()).isEqualTo(frame);
    }

    @Test
    void bytesArriveOnlyAfterTheirLineTime() throws Exception {
        FakeTimer timer = new FakeTimer();
        long start = timer.now;
        RecordingLink inner = new RecordingLink(timer);
        byte[] frame = Frames.frame(300, 2);

        new PacedLink(inner, 9600, timer).write(frame, 0, frame.length);

        // 10 ms of line time at 9600 baud is 9 bytes: chunks of 9, the last one of 3.
        assertThat(inner.arrivals).hasSize(34);
        assertThat(inner.arrivals.get(0) - start).isEqualTo(ceilDiv(9L * 10 * SECOND, 9600));
        assertThat(inner.arrivals.get(33) - start).isEqualTo(ceilDiv(300L * 10 * SECOND, 9600));
    }

    @Test
    void backToBackWritesQueueOnTheLine() throws Exception {
        FakeTimer timer = new FakeTimer();
        RecordingLink inner = new RecordingLink(timer);
        PacedLink paced = new PacedLink(inner, 9600, timer);
        byte[] half = Frames.frame(480, 3);

        paced.write(half, 0, half.length);
        paced.write(half, 0, half.length);

        assertThat(timer.slept).isEqualTo(SECOND);
        assertThat(inner.written.size()).isEqualTo(960);
    }

    @Test
    void idleTimeIsNotCreditedToTheNextWrite() throws Exception {
        FakeTimer timer = new FakeTimer();
        RecordingLink inner = new RecordingLink(timer);
        PacedLink paced = new PacedLink(inner, 9600, timer);
        byte[] frame = Frames.frame(96, 4);

        paced.write(frame, 0, frame.length);
        timer.now += 5 * SECOND;
        timer.slept = 0;
        paced.write(frame, 0, frame.length);

        assertThat(timer.slept).isEqualTo(SECOND / 10);
    }

    @Test
    void readsAreNotPaced() throws Exception {
        FakeTimer timer = new FakeTimer();
        RecordingLink inner = new RecordingLink(timer);
        byte[] buf = new byte[4];

        int n = new PacedLink(inner, 300, timer).read(buf, 1, 3, 100);

        assertThat(n).isEqualTo(1);
        assertThat(buf[1]).isEqualTo(Frames.XON);
        assertThat(inner.reads).isEqualTo(1);
        assertThat(timer.slept).isZero();
    }

    @Property
    void anyWriteSleepsItsLineTimeAndForwardsEveryByte(
            @ForAll @IntRange(min = 0, max = 5000) int size,
            @ForAll @IntRange(min = 300, max = 4_000_000) int baud) throws Exception {
        FakeTimer timer = new FakeTimer();
        RecordingLink inner = new RecordingLink(timer);
        byte[] frame = Frames.frame(size, size);

        new PacedLink(inner, baud, timer).write(frame, 0, frame.length);

        assertThat(timer.slept).isEqualTo(ceilDiv((long) size * 10 * SECOND, baud));
        assertThat(inner.written.toByteArray()).isEqualTo(frame);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
