package dev.otptoken.host.drift;

import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Hmac;
import dev.otptoken.protocol.oath.Hotp;
import dev.otptoken.protocol.oath.OtpFormat;
import dev.otptoken.protocol.oath.SecretBytes;
import java.util.OptionalLong;

/**
 * Finds the time step of an observed TOTP code near the verifier's own step, the way a
 * server resynchronises: steps are tried outward from the expected one (0, +1, −1, +2, …),
 * so the nearest match wins. The HMAC is keyed once and every step reuses its buffers and
 * compares the code as a number: a step allocates nothing (docs/performance.md, "TOTP window
 * search"), and a window of thousands of steps costs about a microsecond per step.
 */
public final class TotpWindowSearch implements AutoCloseable {
    private final Hmac hmac;
    private final int digits;
    private final int periodSeconds;
    private final byte[] counter = new byte[Hotp.COUNTER_LENGTH];
    private final byte[] result;

    public TotpWindowSearch(HashAlgorithm alg, SecretBytes key, int digits, int periodSeconds) {
        OtpFormat.checkDigits(digits);
        if (periodSeconds <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        this.digits = digits;
        this.periodSeconds = periodSeconds;
        this.hmac = new Hmac(alg.digestName, alg.blockSize);
        key.use(k -> {
            hmac.init(k, 0, k.length);
            return null;
        });
        this.result = new byte[hmac.length()];
    }

    /** The period this search uses. */
    public int periodSeconds() {
        return periodSeconds;
    }

    /** The code value (not yet formatted) at time step {@code step}. */
    int valueAt(long step) {
        Hotp.writeCounter(step, counter, 0);
        hmac.mac(counter, 0, counter.length, result, 0);
        return OtpFormat.reduce(OtpFormat.truncate(result), digits);
    }

    /**
     * The offset k in [−window, +window] of the nearest step {@code own + k} whose code is
     * {@code code}, or empty. A code of another length or with a character other than a digit
     * matches no step; codes are compared as numbers, in constant time per step.
     */
    public OptionalLong find(String code, long ownStep, int window) {
        if (window < 0) {
            throw new IllegalArgumentException("negative window");
        }
        int wanted = value(code);
        if (wanted < 0) {
            return OptionalLong.empty();
        }
        for (int d = 0; d <= window; d++) {
            if (valueAt(ownStep + d) == wanted) {
                return OptionalLong.of(d);
            }
            if (d > 0 && valueAt(ownStep - d) == wanted) {
                return OptionalLong.of(-d);
            }
        }
        return OptionalLong.empty();
    }

    /** {@code code} as the number {@link #valueAt} would give, or −1 if no step can show it. */
    private int value(String code) {
        if (code.length() != digits) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    @Override
    public void close() {
        hmac.clear();
        java.util.Arrays.fill(result, (byte) 0);
        java.util.Arrays.fill(counter, (byte) 0);
    }
}
