package dev.otptoken.host.imports;

import dev.otptoken.protocol.oath.SecretBytes;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * The key derivations and the cipher of encrypted exports, from well-kept libraries (scrypt:
 * Bouncy Castle's lightweight API; PBKDF2 and AES-GCM: the JDK), each with the work factors
 * bounded before any work is done (docs/imports.md, "Hostile files"). Derived keys are the
 * caller's to wipe; intermediate buffers are wiped here.
 */
public final class ExportCrypto {
    /** Largest scrypt N accepted (Aegis writes 2^15). */
    public static final long MAX_SCRYPT_N = 1L << 20;
    /** Largest scrypt r accepted (Aegis writes 8). */
    public static final int MAX_SCRYPT_R = 32;
    /** Largest scrypt p accepted (Aegis writes 1). */
    public static final int MAX_SCRYPT_P = 16;
    /** Most memory one scrypt may take, 128·N·r bytes: 128 MiB (Aegis's 2^15, 8 takes 32 MiB). */
    public static final long MAX_SCRYPT_MEMORY = 128L << 20;
    /** Most work one scrypt may take, N·r·p: 4 times Aegis's 2^18 (about a second on a laptop core). */
    public static final long MAX_SCRYPT_WORK = 1L << 20;
    /** Most PBKDF2 iterations accepted (andOTP writes 140,000 to 160,000; 2FAS 10,000). */
    public static final int MAX_PBKDF2_ITERATIONS = 2_000_000;
    /** Longest salt accepted, in bytes (2FAS writes 256). */
    public static final int MAX_SALT_BYTES = 1024;
    /** The GCM nonce every format here writes, in bytes. */
    public static final int GCM_NONCE_BYTES = 12;
    /** The GCM tag every format here writes, in bytes. */
    public static final int GCM_TAG_BYTES = 16;
    /** AES-256. */
    public static final int KEY_BYTES = 32;

    private ExportCrypto() {
    }

    /**
     * scrypt of the password's UTF-8 bytes, after checking N, r and p against the bounds.
     *
     * @throws ImportException when a parameter is out of bounds (nothing was derived)
     */
    public static byte[] scrypt(char[] password, byte[] salt, long n, long r, long p, String what)
            throws ImportException {
        checkScrypt(n, r, p, what);
        checkSalt(salt, what);
        byte[] pw = utf8(password);
        try {
            return SCrypt.generate(pw, salt, (int) n, (int) r, (int) p, KEY_BYTES);
        } finally {
            SecretBytes.wipe(pw);
        }
    }

    /** Refuses scrypt parameters beyond the bounds, before any password is asked. */
    public static void checkScrypt(long n, long r, long p, String what) throws ImportException {
        if (n < 2 || n > MAX_SCRYPT_N || (n & (n - 1)) != 0) {
            throw new ImportException(what + ": scrypt N " + n + " refused: a power of two from 2 to 2^20 is accepted");
        }
        if (r < 1 || r > MAX_SCRYPT_R || p < 1 || p > MAX_SCRYPT_P) {
            throw new ImportException(what + ": scrypt r " + r + ", p " + p + " refused: r 1 to " + MAX_SCRYPT_R
                    + " and p 1 to " + MAX_SCRYPT_P + " are accepted");
        }
        if (128 * n * r > MAX_SCRYPT_MEMORY || n * r * p > MAX_SCRYPT_WORK) {
            throw new ImportException(what + ": scrypt N " + n + ", r " + r + ", p " + p
                    + " refused: beyond 128 MiB of memory or N·r·p of 2^20");
        }
    }

    /** Refuses an iteration count beyond the bound, before any password is asked. */
    public static void checkPbkdf2(long iterations, String what) throws ImportException {
        if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
            throw new ImportException(what + ": PBKDF2 iteration count " + iterations + " refused: 1 to "
                    + MAX_PBKDF2_ITERATIONS + " are accepted");
        }
    }

    /**
     * PBKDF2 (the JDK's; the password as UTF-8) of a 256-bit key.
     *
     * @param prf "HmacSHA1" or "HmacSHA256"
     */
    public static byte[] pbkdf2(String prf, char[] password, byte[] salt, long iterations, String what)
            throws ImportException {
        checkPbkdf2(iterations, what);
        checkSalt(salt, what);
        PBEKeySpec spec = new PBEKeySpec(password, salt, (int) iterations, KEY_BYTES * Byte.SIZE);
        try {
            return SecretKeyFactory.getInstance("PBKDF2With" + prf).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2With" + prf, e);
        } finally {
            spec.clearPassword();
        }
    }

    /**
     * The password-based decryption andOTP and 2FAS share: the password asked of
     * {@code password}, a PBKDF2 key from it (both wiped after use), AES-256-GCM. Neither format
     * keeps a separate check of the password, so a tag that does not match is reported as a
     * wrong password that may also be a damaged file.
     *
     * @throws WrongExportPasswordException the tag does not match
     */
    public static byte[] pbkdf2AesGcm(String prf, ExportPassword password, byte[] salt, long iterations, byte[] nonce,
                                      byte[] ciphertextAndTag, String what) throws ImportException {
        char[] pw = password.password(what);
        byte[] key;
        try {
            key = pbkdf2(prf, pw, salt, iterations, what);
        } finally {
            SecretBytes.wipe(pw);
        }
        try {
            return aesGcm(key, nonce, ciphertextAndTag, what);
        } catch (AEADBadTagException e) {
            throw new WrongExportPasswordException("wrong password for the " + what
                    + " (or the file is truncated or altered: the format cannot tell them apart)");
        } finally {
            SecretBytes.wipe(key);
        }
    }

    private static void checkSalt(byte[] salt, String what) throws ImportException {
        if (salt.length == 0 || salt.length > MAX_SALT_BYTES) {
            throw new ImportException(what + ": a salt of " + salt.length + " bytes refused (1 to " + MAX_SALT_BYTES
                    + ")");
        }
    }

    /**
     * AES-256-GCM decryption of {@code ciphertext} followed by its 16-byte tag.
     *
     * @throws AEADBadTagException the tag does not match: a wrong key, or altered or truncated data
     * @throws ImportException     a key, nonce or ciphertext of the wrong size
     */
    public static byte[] aesGcm(byte[] key, byte[] nonce, byte[] ciphertextAndTag, String what)
            throws AEADBadTagException, ImportException {
        if (key.length != KEY_BYTES) {
            throw new ImportException(what + ": a key of " + key.length + " bytes (AES-256 needs " + KEY_BYTES + ")");
        }
        if (nonce.length != GCM_NONCE_BYTES) {
            throw new ImportException(what + ": a nonce of " + nonce.length + " bytes (" + GCM_NONCE_BYTES
                    + " expected)");
        }
        if (ciphertextAndTag.length < GCM_TAG_BYTES) {
            throw new ImportException(what + ": the ciphertext is truncated (shorter than its tag)");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(GCM_TAG_BYTES * Byte.SIZE, nonce));
            return cipher.doFinal(ciphertextAndTag);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding failed", e);
        }
    }

    /** {@link #aesGcm} for a ciphertext and a tag stored apart (Aegis). */
    public static byte[] aesGcm(byte[] key, byte[] nonce, byte[] ciphertext, byte[] tag, String what)
            throws AEADBadTagException, ImportException {
        if (tag.length != GCM_TAG_BYTES) {
            throw new ImportException(what + ": a tag of " + tag.length + " bytes (" + GCM_TAG_BYTES + " expected)");
        }
        byte[] joined = Arrays.copyOf(ciphertext, ciphertext.length + tag.length);
        System.arraycopy(tag, 0, joined, ciphertext.length, tag.length);
        try {
            return aesGcm(key, nonce, joined, what);
        } finally {
            SecretBytes.wipe(joined);
        }
    }

    /** The UTF-8 bytes of a password (the caller wipes them); the encoder's buffer is wiped. */
    static byte[] utf8(char[] password) {
        ByteBuffer buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        if (buf.hasArray()) {
            Arrays.fill(buf.array(), (byte) 0);
        }
        return out;
    }
}
