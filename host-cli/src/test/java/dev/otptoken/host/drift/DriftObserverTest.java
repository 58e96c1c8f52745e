package dev.otptoken.host.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.protocol.oath.Totp;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DriftObserverTest {
    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final long START = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli();
    private static final long DAY = 86_400_000L;

    /** What a drifting token shows at true time {@code t}: its clock is start + (t − start)(1 + ppm). */
    private static String tokenCode(double ppm, double offsetS, long t) {
        double tokenMillis = t + offsetS * 1000 + (t - START) * ppm * 1e-6;
        return Totp.code(HashAlgorithm.SHA1, KEY, Instant.ofEpochMilli((long) Math.floor(tokenMillis)), 30, 8);
    }

    private static DriftRecord record() {
        return new DriftRecord("Example:alice", HashAlgorithm.SHA1, 8, 30, SecretBytes.copyOf(KEY), List.of());
    }

    @Test
    void firstObservationFindsTheOffsetLikeAResync() {
        long t = START + 12_345;
        Optional<StepObservation> o = DriftObserver.observe(record(), tokenCode(0, 95, t), t, 10);
        assertThat(o).isPresent();
        assertThat(o.get().stepOffset()).isEqualTo(3); // 12.345 s + 95 s is in the 4th step from 0
        assertThat(o.get().offsetLow()).isLessThanOrEqualTo(95).isGreaterThan(95 - 30);
    }

    @Test
    void aCodeOutsideTheWindowIsNotFound() {
        long t = START + 1000;
        assertThat(DriftObserver.observe(record(), tokenCode(0, 400, t), t, 10)).isEmpty();
        assertThat(DriftObserver.observe(record(), tokenCode(0, 400, t), t, 14)).isPresent();
        assertThat(DriftObserver.observe(record(), "00000000", t, 0)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(doubles = {-150, -37.5, 20, 80, 150})
    void monthsOfObservationsRecoverTheRateAndFollowTheDrift(double ppm) {
        DriftRecord r = record();
        // one code a week at odd times of day, for half a year; the window stays ±3 steps because
        // the search is centred on the model's prediction (+150 ppm is 78 steps after six months)
        for (int week = 0; week <= 26; week++) {
            long t = START + week * 7 * DAY + (week * 7_919_000L) % DAY;
            Optional<StepObservation> o = DriftObserver.observe(r, tokenCode(ppm, 0.5, t), t, week < 2 ? 30 : 3);
            assertThat(o).as("week %d", week).isPresent();
            r = r.with(o.get());
        }
        StepDriftModel m = StepDriftModel.estimate(r.observations());
        assertThat(m.consistent()).isTrue();
        assertThat(m.rateKnown()).isTrue();
        assertThat(ppm).isBetween(m.rateLowPpm(), m.rateHighPpm());
        assertThat(m.rateHighPpm() - m.rateLowPpm()).isLessThan(4.0);
        // prediction a month ahead matches the token's step offset (or is at the boundary's neighbour)
        long future = START + 210 * DAY + 17_000;
        double tokenMillis = future + 500 + (future - START) * ppm * 1e-6;
        long actual = Math.floorDiv((long) Math.floor(tokenMillis), 30_000L) - Math.floorDiv(future, 30_000L);
        long[] range = m.stepOffsetRange(future);
        assertThat(actual).isBetween(range[0], range[1]);
        assertThat(Math.abs(m.predictStepOffset(future) - actual)).isLessThanOrEqualTo(1);
    }

    @Test
    void refusesAWindowBeyondTheLimit() {
        assertThatThrownBy(() -> DriftObserver.observe(record(), "12345678", START, DriftObserver.MAX_WINDOW + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
