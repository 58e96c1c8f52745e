package dev.otptoken.host.calibrate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ClockSampleTest {
    /** 2026 in epoch nanoseconds: beyond 2^53, where a double's step is 256 ns. */
    private static final long TOKEN_MICROS = 1_795_000_000_123_457L;

    @Test
    void offsetKeepsNanosecondsAtTodaysEpoch() {
        long tokenNanos = TOKEN_MICROS * 1000L;
        // sent 2,000,037 ns and received 1,000,011 ns around a midpoint 1,000,013 ns before the reading
        long mid = tokenNanos - 1_000_013L;
        ClockSample s = new ClockSample(mid - 1_000_024L, mid + 1_000_024L, TOKEN_MICROS);
        assertThat(s.hostMidpointNanos()).isEqualTo(mid);
        assertThat(s.offsetSeconds()).isCloseTo(1_000_013e-9, within(1e-15));
        assertThat(s.roundTripNanos()).isEqualTo(2_000_048L);
    }

    @Test
    void aReplyBeforeItsRequestIsRefused() {
        assertThatThrownBy(() -> new ClockSample(10, 9, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
