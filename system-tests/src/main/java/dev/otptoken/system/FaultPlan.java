package dev.otptoken.system;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link FaultRelay} does to the bytes it carries. Each rate is a per-byte probability,
 * drawn once per byte from one uniform number, so at most one fault hits a byte and the
 * rates add up to the total corruption rate ({@link #totalRate()}); the same seed gives the
 * same decisions for the same byte sequence in each direction.
 *
 * @param drop the byte is not forwarded
 * @param flip one bit of the byte (chosen by the same random source) is inverted
 * @param duplicate the byte is forwarded twice
 * @param delay forwarding stops for a time in {@code [delayMinMillis, delayMaxMillis]}
 *     before this byte (order is kept: everything behind it waits too)
 * @param truncate this byte and the rest of the burst (what one read of the source returned)
 *     are not forwarded
 * @param delayMinMillis shortest injected delay
 * @param delayMaxMillis longest injected delay
 * @param seed seeds both directions' random sources
 * @param unplug optionally: after that many bytes in that direction, close the host's device
 */
public record FaultPlan(double drop, double flip, double duplicate, double delay, double truncate,
                        long delayMinMillis, long delayMaxMillis, long seed, Optional<Unplug> unplug) {

    /** A line that forwards everything unchanged. */
    public static final FaultPlan CLEAN = new FaultPlan(0, 0, 0, 0, 0, 0, 0, 0, Optional.empty());

    /** The direction of a byte on the line. */
    public enum Direction {
        /** From the host (what it writes to its device) to the token. */
        HOST_TO_TOKEN,
        /** From the token to the host. */
        TOKEN_TO_HOST
    }

    /**
     * Unplug the host's device once {@code afterBytes} bytes arrived from the source in
     * {@code direction}: those are forwarded, nothing after them is.
     */
    public record Unplug(Direction direction, long afterBytes) {
        public Unplug {
            Objects.requireNonNull(direction, "direction");
            if (afterBytes < 0) {
                throw new IllegalArgumentException("afterBytes must not be negative: " + afterBytes);
            }
        }
    }

    public FaultPlan {
        Objects.requireNonNull(unplug, "unplug");
        for (double r : new double[] {drop, flip, duplicate, delay, truncate}) {
            if (!(r >= 0 && r <= 1)) {
                throw new IllegalArgumentException("a rate must be in [0, 1]: " + r);
            }
        }
        if (drop + flip + duplicate + delay + truncate > 1) {
            throw new IllegalArgumentException("rates add up to more than 1");
        }
        if (delayMinMillis < 0 || delayMaxMillis < delayMinMillis) {
            throw new IllegalArgumentException("delay range must be 0 <= min <= max: "
                    + delayMinMillis + ".." + delayMaxMillis);
        }
    }

    /**
     * The mix the faulty-line test uses for a total rate {@code total} per byte: 60% of the
     * faults are bit flips, 15% drops, 10% duplicates, 10% delays of 1-400 ms (beyond the
     * character waiting time and sometimes near the block waiting time), 5% truncations.
     */
    public static FaultPlan mixed(double total, long seed) {
        return new FaultPlan(total * 0.15, total * 0.60, total * 0.10, total * 0.10, total * 0.05,
                1, 400, seed, Optional.empty());
    }

    /** A clean line that unplugs after {@code afterBytes} bytes in {@code direction}. */
    public static FaultPlan unplugAfter(Direction direction, long afterBytes) {
        return new FaultPlan(0, 0, 0, 0, 0, 0, 0, 0, Optional.of(new Unplug(direction, afterBytes)));
    }

    /** The probability that a byte is hit by some fault. */
    public double totalRate() {
        return drop + flip + duplicate + delay + truncate;
    }

    /** The same plan with another seed. */
    public FaultPlan withSeed(long newSeed) {
        return new FaultPlan(drop, flip, duplicate, delay, truncate, delayMinMillis, delayMaxMillis, newSeed, unplug);
    }
}
