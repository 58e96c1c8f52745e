package dev.otptoken.protocol.oath;

/** The HMAC hash of an OATH credential, carried in the low nibble of the YKOATH type/algorithm byte. */
public enum HashAlgorithm {
    SHA1(0x01, "HmacSHA1", "SHA-1", 64, 20),
    SHA256(0x02, "HmacSHA256", "SHA-256", 64, 32),
    SHA512(0x03, "HmacSHA512", "SHA-512", 128, 64);

    /** The low-nibble value on the wire. */
    public final int code;
    /** The JCA name of the HMAC. */
    public final String macName;
    /** The JCA name of the digest. */
    public final String digestName;
    /** The hash block size in bytes: longer keys are hashed by the host before PUT. */
    public final int blockSize;
    /** The digest (and full HMAC) length in bytes. */
    public final int digestLength;

    HashAlgorithm(int code, String macName, String digestName, int blockSize, int digestLength) {
        this.code = code;
        this.macName = macName;
        this.digestName = digestName;
        this.blockSize = blockSize;
        this.digestLength = digestLength;
    }

    /** {@code values()} clones its array on every call; the token looks types up on its hot path. */
    private static final HashAlgorithm[] VALUES = values();

    /** The algorithm encoded in the low nibble of {@code typeAlg}, or {@code null} if none. */
    public static HashAlgorithm fromTypeAlg(int typeAlg) {
        int nibble = typeAlg & 0x0F;
        for (HashAlgorithm a : VALUES) {
            if (a.code == nibble) {
                return a;
            }
        }
        return null;
    }
}
