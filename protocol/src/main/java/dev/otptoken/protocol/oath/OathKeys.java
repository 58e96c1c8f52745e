package dev.otptoken.protocol.oath;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The key rules of YKOATH PUT. The token stores at most one hash block per key, so the host
 * hashes longer keys first, exactly as HMAC (RFC 2104 §2) would; and clients pad keys shorter
 * than {@link Oath#MIN_KEY_LENGTH} with zeros, which HMAC also does implicitly. Both
 * transformations therefore leave every HMAC, and so every code, unchanged.
 */
public final class OathKeys {
    private OathKeys() {
    }

    /**
     * The key as it goes into PUT: hashed with {@code alg}'s digest when longer than
     * {@code alg.blockSize} (a key of exactly the block size is kept), then zero-padded to
     * {@link Oath#MIN_KEY_LENGTH}. Always a new array; the caller wipes {@code rawKey} and the
     * result.
     */
    public static byte[] prepare(HashAlgorithm alg, byte[] rawKey) {
        if (alg == null || rawKey == null) {
            throw new IllegalArgumentException("algorithm and key are required");
        }
        byte[] key = rawKey.length > alg.blockSize ? digest(alg, rawKey) : rawKey.clone();
        if (key.length >= Oath.MIN_KEY_LENGTH) {
            return key;
        }
        byte[] padded = Arrays.copyOf(key, Oath.MIN_KEY_LENGTH);
        Arrays.fill(key, (byte) 0);
        return padded;
    }

    private static byte[] digest(HashAlgorithm alg, byte[] data) {
        try {
            return MessageDigest.getInstance(alg.digestName).digest(data);
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-1, SHA-256 and SHA-512.
            throw new IllegalStateException("missing digest " + alg.digestName, e);
        }
    }
}
