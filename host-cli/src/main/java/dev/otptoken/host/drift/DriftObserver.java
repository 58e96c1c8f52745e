package dev.otptoken.host.drift;

import dev.otptoken.protocol.oath.Totp;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns an observed code into a step observation, the way a server resynchronises, but
 * centred where the record's drift model expects the token to be: a token that drifted ten
 * steps is then still found by a small window.
 */
public final class DriftObserver {
    /** The largest search window accepted (steps each way): 10⁵ steps of 30 s is about a month. */
    public static final int MAX_WINDOW = 100_000;

    private DriftObserver() {
    }

    /** The step offset the record's observations predict at {@code epochMillis} (0 with none). */
    public static long expectedOffset(DriftRecord record, long epochMillis) {
        List<StepObservation> obs = record.observations();
        return obs.isEmpty() ? 0 : StepDriftModel.estimate(obs).predictStepOffset(epochMillis);
    }

    /**
     * The observation made by seeing {@code code} at {@code epochMillis}, searched within
     * ±{@code window} steps of the expected offset; empty when no step in the window has it.
     */
    public static Optional<StepObservation> observe(DriftRecord record, String code, long epochMillis, int window) {
        if (window < 0 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("window out of range: " + window);
        }
        long centre = expectedOffset(record, epochMillis);
        long own = Totp.step(epochMillis, Totp.MILLISECONDS, record.period());
        try (TotpWindowSearch search = record.search()) {
            OptionalLong k = search.find(code, own + centre, window);
            return k.isPresent()
                    ? Optional.of(new StepObservation(epochMillis, centre + k.getAsLong(), record.period()))
                    : Optional.empty();
        }
    }
}
