package dev.otptoken.host.calibrate;

/**
 * One exchange with the token's clock: the host's time when the request left and when the
 * reply arrived, and what the token's RTC read. The token read its clock somewhere between
 * the two host instants; the midpoint is the best estimate, with half the round trip as the
 * bound of the error.
 *
 * @param hostSentNanos     host time (ns since the epoch) just before the request was sent
 * @param hostReceivedNanos host time (ns since the epoch) just after the reply arrived
 * @param tokenMicros       the token's RTC reading, µs since the epoch
 */
public record ClockSample(long hostSentNanos, long hostReceivedNanos, long tokenMicros) {

    public ClockSample {
        if (hostReceivedNanos < hostSentNanos) {
            throw new IllegalArgumentException("reply before request");
        }
    }

    /** The host instant the token's reading is attributed to: the midpoint of the exchange. */
    public long hostMidpointNanos() {
        return hostSentNanos + (hostReceivedNanos - hostSentNanos) / 2;
    }

    /** The round trip in nanoseconds. */
    public long roundTripNanos() {
        return hostReceivedNanos - hostSentNanos;
    }

    /**
     * Token minus host at the midpoint, in seconds. The difference is taken in whole
     * nanoseconds first: epoch nanoseconds as doubles are only good to 256 ns, a quarter of
     * the effect a 0.3 ppm rate has over a second.
     */
    public double offsetSeconds() {
        return Math.subtractExact(Math.multiplyExact(tokenMicros, 1000L), hostMidpointNanos()) / 1e9;
    }
}
