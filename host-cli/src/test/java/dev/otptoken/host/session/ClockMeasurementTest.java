package dev.otptoken.host.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockMeasurementTest {
    /** Token time 61.5 s, trim 3, last set never. */
    private static final String CLOCK = "10 08 0000000003AA6A60 11 02 0003 12 04 000E8D4A 13 04 FE01 0200"
            + " 14 08 0000000000000000 90 00";

    /** A clock that reads the given instants in turn. */
    private static InstantSource reading(Instant... instants) {
        Deque<Instant> left = new ArrayDeque<>(List.of(instants));
        return left::removeFirst;
    }

    @Test
    void theHostTimeIsTheMiddleOfTheExchangeAndTheOffsetIsTokenMinusHost() throws Exception {
        ScriptedTransport token = new ScriptedTransport().expect("80 10 00 00 00", CLOCK);
        ClockMeasurement m = ClockMeasurement.measure(new DeviceSession(token),
                reading(Instant.ofEpochSecond(59), Instant.ofEpochSecond(59, 200_000_000)));
        token.assertDone();
        assertThat(m.host()).isEqualTo(Instant.ofEpochSecond(59, 100_000_000));
        assertThat(m.roundTrip()).isEqualTo(Duration.ofMillis(200));
        assertThat(m.reading().tokenTime()).isEqualTo(Instant.ofEpochSecond(61, 500_000_000));
        assertThat(m.offsetSeconds()).isEqualTo(2.4);
    }

    @Test
    void aTokenBehindTheHostHasANegativeOffset() throws Exception {
        ScriptedTransport token = new ScriptedTransport().expect("80 10 00 00 00", CLOCK);
        ClockMeasurement m = ClockMeasurement.measure(new DeviceSession(token),
                reading(Instant.ofEpochSecond(62), Instant.ofEpochSecond(62)));
        assertThat(m.roundTrip()).isZero();
        assertThat(m.offsetSeconds()).isEqualTo(-0.5);
    }
}
