package dev.otptoken.firmware.oath;

import static dev.otptoken.firmware.oath.AccountStore.COUNTER_LENGTH;
import static dev.otptoken.firmware.oath.AccountStore.R_KEY;
import static dev.otptoken.firmware.oath.AccountStore.R_KEY_LEN;
import static dev.otptoken.firmware.oath.AccountStore.R_NAME;
import static dev.otptoken.firmware.oath.AccountStore.R_NAME_LEN;
import static dev.otptoken.firmware.oath.AccountStore.R_TYPE_ALG;

import dev.otptoken.firmware.runtime.StatusWordException;
import dev.otptoken.protocol.apdu.StatusWord;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Hmac;
import dev.otptoken.protocol.oath.Hotp;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OtpFormat;
import dev.otptoken.protocol.oath.PeriodPrefix;
import dev.otptoken.protocol.oath.Totp;
import java.util.Arrays;

/**
 * The token's OTP computation on the {@code protocol} primitives (the period rule, the TOTP
 * step, dynamic truncation): an HMAC per algorithm over preallocated pads, a MAC buffer and
 * an 8-byte moving-factor buffer, all allocated at install so that a code costs no
 * allocation. Callers wipe {@link #mac} with {@link #wipe()} when done.
 */
final class OtpEngine {
    private final Hmac[] hmacs = new Hmac[HashAlgorithm.values().length];
    /** The last MAC computed. */
    final byte[] mac = new byte[HashAlgorithm.SHA512.digestLength];
    /** An 8-byte moving factor: a TOTP step, the next counter, a right-aligned challenge. */
    final byte[] step = new byte[COUNTER_LENGTH];

    OtpEngine() {
        for (HashAlgorithm a : HashAlgorithm.values()) {
            hmacs[a.ordinal()] = new Hmac(a.digestName, a.blockSize);
        }
    }

    /** The HMAC of {@code alg}, for the password's proofs. */
    Hmac hmac(HashAlgorithm alg) {
        return hmacs[alg.ordinal()];
    }

    /** HMAC of {@code challenge[off, off+len)} under the record's key into {@link #mac}; returns its length. */
    int compute(byte[] rec, byte[] challenge, int off, int len) {
        HashAlgorithm alg = AccountStore.algOf(rec[R_TYPE_ALG]);
        if (alg == null) {
            StatusWordException.throwIt(StatusWord.UNKNOWN);
        }
        Hmac h = hmacs[alg.ordinal()];
        try {
            h.init(rec, R_KEY, rec[R_KEY_LEN] & 0xFF);
            h.mac(challenge, off, len, mac, 0);
        } finally {
            h.clear();
        }
        return h.length();
    }

    /** The code of the MAC in {@link #mac}, as a number below 10^digits. */
    int code(int macLen, int digits) {
        return OtpFormat.reduce(OtpFormat.truncate(mac, 0, macLen), digits);
    }

    /** {@code 76 05 digits code} (RFC 4226 dynamic truncation) or {@code 75 len digits hmac}. */
    int writeCode(byte[] out, int o, byte digits, int macLen, boolean truncated) {
        if (truncated) {
            int t = OtpFormat.truncate(mac, 0, macLen);
            out[o++] = (byte) Oath.TAG_TRUNCATED;
            out[o++] = Oath.TRUNCATED_LENGTH;
            out[o++] = digits;
            out[o++] = (byte) (t >>> 24);
            out[o++] = (byte) (t >>> 16);
            out[o++] = (byte) (t >>> 8);
            out[o++] = (byte) t;
        } else {
            out[o++] = (byte) Oath.TAG_RESPONSE;
            out[o++] = (byte) (1 + macLen);
            out[o++] = digits;
            System.arraycopy(mac, 0, out, o, macLen);
            o += macLen;
        }
        return o;
    }

    /** The TOTP period of a record's name: the one rule of {@link PeriodPrefix}, shared with the host. */
    static int periodOf(byte[] rec) {
        return PeriodPrefix.period(rec, R_NAME, rec[R_NAME_LEN] & 0xFF);
    }

    /** Puts the TOTP step of the token's clock reading {@code micros} for the record into {@link #step}. */
    void totpStep(long micros, byte[] rec) {
        Hotp.writeCounter(Totp.step(micros, Totp.MICROSECONDS, periodOf(rec)), step, 0);
    }

    /** Puts {@code value} into {@link #step}. */
    void movingFactor(long value) {
        Hotp.writeCounter(value, step, 0);
    }

    /** Right-aligns a challenge of up to 8 bytes into {@link #step}. */
    void toStep(byte[] src, int off, int len) {
        Arrays.fill(step, (byte) 0);
        int n = Math.min(len, COUNTER_LENGTH);
        System.arraycopy(src, off + len - n, step, COUNTER_LENGTH - n, n);
    }

    /** Whether the challenge, read as an unsigned big-endian number, is below {@code rec[lastOff..+8)}. */
    boolean isLower(byte[] src, int off, int len, byte[] rec, int lastOff) {
        toStep(src, off, len);
        return Arrays.compareUnsigned(step, 0, COUNTER_LENGTH, rec, lastOff, lastOff + COUNTER_LENGTH) < 0;
    }

    /** Wipes the MAC and the moving-factor buffer. */
    void wipe() {
        Arrays.fill(mac, (byte) 0);
        Arrays.fill(step, (byte) 0);
    }

    static boolean equalsConstantTime(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int diff = 0;
        for (int i = 0; i < len; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }
}
