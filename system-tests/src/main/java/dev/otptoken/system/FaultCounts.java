package dev.otptoken.system;

import java.util.Locale;

/**
 * What a {@link FaultRelay} carried and did, in one direction or summed.
 *
 * @param bytes bytes read from the source
 * @param dropped bytes not forwarded
 * @param flipped bytes forwarded with one bit inverted
 * @param duplicated bytes forwarded twice
 * @param delayed delays injected
 * @param truncated bursts cut (the bytes cut are counted in {@code truncatedBytes})
 * @param truncatedBytes bytes lost to truncation
 */
public record FaultCounts(long bytes, long dropped, long flipped, long duplicated, long delayed, long truncated,
                          long truncatedBytes) {

    public static final FaultCounts ZERO = new FaultCounts(0, 0, 0, 0, 0, 0, 0);

    /** The sum of two counts. */
    public FaultCounts plus(FaultCounts o) {
        return new FaultCounts(bytes + o.bytes, dropped + o.dropped, flipped + o.flipped, duplicated + o.duplicated,
                delayed + o.delayed, truncated + o.truncated, truncatedBytes + o.truncatedBytes);
    }

    /** Faults injected (a truncation counts once however many bytes it cut). */
    public long faults() {
        return dropped + flipped + duplicated + delayed + truncated;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "%d bytes: %d flipped, %d dropped, %d duplicated, %d delayed, %d truncated (%d bytes cut)",
                bytes, flipped, dropped, duplicated, delayed, truncated, truncatedBytes);
    }
}
