package dev.otptoken.host.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HostClockTest {
    @Test
    void readsTheWallClockOnceAndThenOnlyTicks() {
        AtomicLong wallReads = new AtomicLong();
        Instant anchor = Instant.parse("2030-01-01T00:00:00.123456789Z");
        AtomicLong ticks = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
        HostClock c = new HostClock(() -> {
            wallReads.incrementAndGet();
            return wallReads.get() == 1 ? anchor : anchor.plusSeconds(3600); // a later wall-clock step
        }, ticks::get);
        ticks.addAndGet(1_500_000_001L);
        assertThat(c.now()).isEqualTo(Instant.parse("2030-01-01T00:00:01.623456790Z"));
        assertThat(c.nowNanos()).isEqualTo(1_893_456_001_623_456_790L);
        assertThat(wallReads.get()).isEqualTo(1);
    }

    @Test
    void instantsBeforeTheEpochRoundDown() {
        assertThat(HostClock.instant(-1)).isEqualTo(Instant.ofEpochSecond(-1, 999_999_999));
    }
}
