package dev.otptoken.protocol.oath;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC (RFC 2104) over one {@link MessageDigest} with preallocated pads, allocation-free per
 * MAC: {@code Mac.init} allocates a key object per call and {@code Mac.doFinal} a result array.
 * The token's OATH applet computes every code with it, and the host's window search
 * ({@code TotpWindowSearch}) thousands of steps. Not thread-safe.
 */
public final class Hmac {
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5C;

    private final MessageDigest digest;
    private final int blockSize;
    private final int length;
    private final byte[] ipad;
    private final byte[] opad;
    private final byte[] inner;

    public Hmac(String digestName, int blockSize) {
        try {
            this.digest = MessageDigest.getInstance(digestName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JCA lacks " + digestName, e);
        }
        this.blockSize = blockSize;
        this.length = digest.getDigestLength();
        this.ipad = new byte[blockSize];
        this.opad = new byte[blockSize];
        this.inner = new byte[length];
    }

    public int length() {
        return length;
    }

    /** Keys longer than the block are hashed first, as RFC 2104 says. */
    public void init(byte[] key, int off, int len) {
        Arrays.fill(ipad, (byte) 0);
        if (len > blockSize) {
            digest.reset();
            digest.update(key, off, len);
            finish(ipad, 0);
        } else {
            System.arraycopy(key, off, ipad, 0, len);
        }
        for (int i = 0; i < blockSize; i++) {
            byte k = ipad[i];
            ipad[i] = (byte) (k ^ IPAD);
            opad[i] = (byte) (k ^ OPAD);
        }
    }

    /** HMAC of {@code data[off..off+len)} into {@code out[outOff..outOff+length)}. */
    public void mac(byte[] data, int off, int len, byte[] out, int outOff) {
        digest.reset();
        digest.update(ipad, 0, blockSize);
        digest.update(data, off, len);
        finish(inner, 0);
        digest.update(opad, 0, blockSize);
        digest.update(inner, 0, length);
        finish(out, outOff);
    }

    /** Wipes the key-derived pads. */
    public void clear() {
        Arrays.fill(ipad, (byte) 0);
        Arrays.fill(opad, (byte) 0);
        Arrays.fill(inner, (byte) 0);
    }

    private void finish(byte[] out, int off) {
        try {
            digest.digest(out, off, length);
        } catch (DigestException e) {
            throw new IllegalStateException("digest buffer too small", e);
        }
    }
}
