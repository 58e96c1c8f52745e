package dev.otptoken.host.drift;

import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Hotp;
import dev.otptoken.protocol.oath.OtpFormat;
import dev.otptoken.protocol.oath.SecretBytes;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * Finds the time step of an observed TOTP code near the verifier's own step, the way a
 * server resynchronises: steps are tried outward from the expected one (0, +1, −1, +2, …),
 * so the nearest match wins. The MAC is keyed once and every step reuses its buffers, so a
 * window of thousands of steps costs microseconds per step.
 */
public final class TotpWindowSearch implements AutoCloseable {
    private final Mac mac;
    private final int digits;
    private final int periodSeconds;
    private final byte[] counter = new byte[Hotp.COUNTER_LENGTH];
    private final byte[] hmac;

    public TotpWindowSearch(HashAlgorithm alg, SecretBytes key, int digits, int periodSeconds) {
        OtpFormat.checkDigits(digits);
        if (periodSeconds <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        this.digits = digits;
        this.periodSeconds = periodSeconds;
        this.mac = key.use(k -> Hotp.mac(alg, k));
        this.hmac = new byte[alg.digestLength];
    }

    /** The period this search uses. */
    public int periodSeconds() {
        return periodSeconds;
    }

    /** The code value (not yet formatted) at time step {@code step}. */
    int valueAt(long step) {
        Hotp.writeCounter(step, counter, 0);
        mac.update(counter);
        try {
            mac.doFinal(hmac, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        return OtpFormat.reduce(OtpFormat.truncate(hmac), digits);
    }

    /**
     * The offset k in [−window, +window] of the nearest step {@code own + k} whose code is
     * {@code code}, or empty. Codes are compared in constant time per step.
     */
    public OptionalLong find(String code, long ownStep, int window) {
        if (window < 0) {
            throw new IllegalArgumentException("negative window");
        }
        if (code.length() != digits) {
            return OptionalLong.empty();
        }
        byte[] wanted = code.getBytes(StandardCharsets.US_ASCII);
        for (int d = 0; d <= window; d++) {
            if (matches(wanted, ownStep + d)) {
                return OptionalLong.of(d);
            }
            if (d > 0 && matches(wanted, ownStep - d)) {
                return OptionalLong.of(-d);
            }
        }
        return OptionalLong.empty();
    }

    private boolean matches(byte[] wanted, long step) {
        byte[] got = OtpFormat.format(valueAt(step), digits).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(wanted, got);
    }

    @Override
    public void close() {
        mac.reset();
        java.util.Arrays.fill(hmac, (byte) 0);
    }
}
