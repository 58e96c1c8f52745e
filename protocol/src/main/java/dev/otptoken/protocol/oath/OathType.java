package dev.otptoken.protocol.oath;

/** The OATH credential type, carried in the high nibble of the YKOATH type/algorithm byte. */
public enum OathType {
    HOTP(0x10),
    TOTP(0x20);

    /** The high-nibble value on the wire. */
    public final int code;

    OathType(int code) {
        this.code = code;
    }

    /** {@code values()} clones its array on every call; the token looks types up on its hot path. */
    private static final OathType[] VALUES = values();

    /** The type encoded in the high nibble of {@code typeAlg}, or {@code null} if none. */
    public static OathType fromTypeAlg(int typeAlg) {
        int nibble = typeAlg & 0xF0;
        for (OathType t : VALUES) {
            if (t.code == nibble) {
                return t;
            }
        }
        return null;
    }
}
