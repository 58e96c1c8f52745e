package dev.otptoken.protocol.t1;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing and retry bounds of a T=1 session.
 *
 * @param cwt character waiting time: silence after which a partial block is discarded. Generous
 *     because pty and USB-serial latency is bursty.
 * @param bwt block waiting time: how long a side waits for the reply to a block it sent.
 * @param maxRetransmissions retransmissions of one block before the host gives up and resynchs.
 * @param maxResynchs S(RESYNCH) requests sent before the host declares the card gone.
 * @param wtxInterval how often a busy card sends S(WTX request); must be below BWT.
 * @param wtxMultiplier the multiplier the card asks for (host waits multiplier x BWT).
 * @param maxExchange upper bound of one whole exchange including all WTX extensions.
 */
public record T1Timing(Duration cwt, Duration bwt, int maxRetransmissions, int maxResynchs,
                       Duration wtxInterval, int wtxMultiplier, Duration maxExchange) {

    /** Defaults: see docs/t1.md for the reasoning. */
    public static final T1Timing DEFAULT = new T1Timing(Duration.ofMillis(200),
            Duration.ofMillis(1000), 3, 3, Duration.ofMillis(500), 1, Duration.ofSeconds(60));

    private static final int MAX_MULTIPLIER = 255;

    public T1Timing {
        Objects.requireNonNull(cwt, "cwt");
        Objects.requireNonNull(bwt, "bwt");
        Objects.requireNonNull(wtxInterval, "wtxInterval");
        Objects.requireNonNull(maxExchange, "maxExchange");
        if (cwt.isNegative() || cwt.isZero() || bwt.isNegative() || bwt.isZero()) {
            throw new IllegalArgumentException("cwt and bwt must be positive");
        }
        if (wtxInterval.isNegative() || wtxInterval.isZero() || wtxInterval.compareTo(bwt) >= 0) {
            throw new IllegalArgumentException("wtxInterval must be positive and below bwt");
        }
        if (maxRetransmissions < 0 || maxResynchs < 1) {
            throw new IllegalArgumentException("retry bounds out of range");
        }
        if (wtxMultiplier < 1 || wtxMultiplier > MAX_MULTIPLIER) {
            throw new IllegalArgumentException("wtxMultiplier must be 1..255");
        }
        if (maxExchange.compareTo(bwt) < 0) {
            throw new IllegalArgumentException("maxExchange must be at least bwt");
        }
    }

    long cwtNanos() {
        return cwt.toNanos();
    }

    long bwtNanos() {
        return bwt.toNanos();
    }

    long wtxIntervalNanos() {
        return wtxInterval.toNanos();
    }

    long maxExchangeNanos() {
        return maxExchange.toNanos();
    }
}
