package dev.otptoken.protocol.oath;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The RFC 4226 HOTP reference, used by the host to check the token and by the applet.
 * Digits are limited to 6–8: RFC 4226 allows more, but the token displays at most 8.
 */
public final class Hotp {
    /** Length of the moving factor (counter or time step) in bytes, big-endian. */
    public static final int COUNTER_LENGTH = 8;

    private Hotp() {
    }

    /**
     * HMAC of {@code message} under {@code key}. An empty key is used as one zero byte: HMAC
     * zero-pads keys to the block size, so both give the same MAC, and {@link SecretKeySpec}
     * refuses empty keys.
     */
    public static byte[] hmac(HashAlgorithm alg, byte[] key, byte[] message) {
        if (alg == null || key == null || message == null) {
            throw new IllegalArgumentException("algorithm, key and message are required");
        }
        return mac(alg, key).doFinal(message);
    }

    /**
     * A {@link Mac} for {@code alg} initialised with {@code key}, for callers that compute many
     * MACs under one key. An empty key is used as one zero byte (see {@link #hmac}).
     */
    public static Mac mac(HashAlgorithm alg, byte[] key) {
        byte[] k = key.length == 0 ? new byte[1] : key;
        try {
            Mac mac = Mac.getInstance(alg.macName);
            mac.init(new SecretKeySpec(k, alg.macName));
            return mac;
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("key refused by " + alg.macName, e);
        } catch (GeneralSecurityException e) {
            // Every Java SE platform must provide HmacSHA1 and HmacSHA256; SHA-512 is in the JDK.
            throw new IllegalStateException("missing MAC " + alg.macName, e);
        }
    }

    /** The 8-byte big-endian moving factor. */
    public static byte[] counterBytes(long counter) {
        byte[] out = new byte[COUNTER_LENGTH];
        writeCounter(counter, out, 0);
        return out;
    }

    /** Writes the 8-byte big-endian moving factor into {@code out[off, off+8)}; allocation-free. */
    public static void writeCounter(long counter, byte[] out, int off) {
        for (int i = COUNTER_LENGTH - 1; i >= 0; i--) {
            out[off + i] = (byte) counter;
            counter >>>= Byte.SIZE;
        }
    }

    /** Reads an 8-byte big-endian moving factor from {@code in[off, off+8)}; allocation-free. */
    public static long readCounter(byte[] in, int off) {
        long v = 0;
        for (int i = 0; i < COUNTER_LENGTH; i++) {
            v = (v << Byte.SIZE) | (in[off + i] & 0xFF);
        }
        return v;
    }

    /** The HOTP code for {@code counter}. */
    public static String code(HashAlgorithm alg, byte[] key, long counter, int digits) {
        OtpFormat.checkDigits(digits);
        byte[] mac = hmac(alg, key, counterBytes(counter));
        try {
            return OtpFormat.format(OtpFormat.truncate(mac), digits);
        } finally {
            Arrays.fill(mac, (byte) 0);
        }
    }
}
