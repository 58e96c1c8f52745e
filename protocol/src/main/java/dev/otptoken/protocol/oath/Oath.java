package dev.otptoken.protocol.oath;

/**
 * YKOATH (YubiKey OATH applet) protocol constants: the AID, instructions, tags and
 * properties. Defined once here and used by the token's applet and by the host.
 */
public final class Oath {
    private Oath() {
    }

    /** Application identifier of the OATH applet. */
    private static final byte[] AID = {(byte) 0xA0, 0x00, 0x00, 0x05, 0x27, 0x21, 0x01};

    /** A copy of the OATH applet AID {@code A0 00 00 05 27 21 01}. */
    public static byte[] aid() {
        return AID.clone();
    }

    /** CLA used by YKOATH commands. */
    public static final int CLA = 0x00;

    // Instructions
    public static final int INS_PUT = 0x01;
    public static final int INS_DELETE = 0x02;
    public static final int INS_SET_CODE = 0x03;
    public static final int INS_RESET = 0x04;
    public static final int INS_RENAME = 0x05;
    public static final int INS_LIST = 0xA1;
    public static final int INS_CALCULATE = 0xA2;
    public static final int INS_VALIDATE = 0xA3;
    /** The byte of ISO SELECT ({@code CommandApdu.INS_SELECT}), with P1 = 00. */
    public static final int INS_CALCULATE_ALL = 0xA4;
    public static final int INS_SEND_REMAINING = 0xA5;

    /** P1P2 that RESET requires. */
    public static final int P1_RESET = 0xDE;
    public static final int P2_RESET = 0xAD;
    /** P2 of CALCULATE / CALCULATE ALL asking for a truncated code. */
    public static final int P2_TRUNCATED = 0x01;
    /** P2 of CALCULATE asking for the full HMAC. */
    public static final int P2_FULL = 0x00;

    // Tags
    public static final int TAG_NAME = 0x71;
    public static final int TAG_NAME_LIST = 0x72;
    public static final int TAG_KEY = 0x73;
    public static final int TAG_CHALLENGE = 0x74;
    public static final int TAG_RESPONSE = 0x75;
    public static final int TAG_TRUNCATED = 0x76;
    public static final int TAG_HOTP = 0x77;
    public static final int TAG_PROPERTY = 0x78;
    public static final int TAG_VERSION = 0x79;
    public static final int TAG_IMF = 0x7A;
    public static final int TAG_ALGORITHM = 0x7B;
    public static final int TAG_TOUCH = 0x7C;

    // Properties (value of TAG_PROPERTY)
    public static final int PROP_ONLY_INCREASING = 0x01;
    public static final int PROP_REQUIRE_TOUCH = 0x02;
    /** Every property bit this applet knows; a PUT with another is refused. */
    public static final int ALL_PROPERTIES = PROP_ONLY_INCREASING | PROP_REQUIRE_TOUCH;

    /** Salt, challenge and IMF lengths. */
    public static final int SALT_LENGTH = 8;
    public static final int CHALLENGE_LENGTH = 8;
    public static final int IMF_LENGTH = 4;
    /** Value length of a {@code 76} (truncated code) TLV: one digits byte and four code bytes. */
    public static final int TRUNCATED_LENGTH = 5;
    /** The longest TOTP period accepted, in seconds (an hour): longer codes behave like static passwords. */
    public static final int MAX_PERIOD = 3600;

    /** Account names are 1–64 bytes of UTF-8. */
    public static final int MAX_NAME_LENGTH = 64;
    /** Keys shorter than this arrive zero-padded to it. */
    public static final int MIN_KEY_LENGTH = 14;
    /** Digits of a code. */
    public static final int MIN_DIGITS = 6;
    public static final int MAX_DIGITS = 8;
    /** The default TOTP period, which the name omits. */
    public static final int DEFAULT_PERIOD = 30;

    /** Password key derivation: PBKDF2-HMAC-SHA1, 1000 iterations, 16 bytes. */
    public static final int PBKDF2_ITERATIONS = 1000;
    public static final int PASSWORD_KEY_LENGTH = 16;

    /**
     * The firmware version the otptoken model's applet reports in SELECT (the YubiKey models
     * report their firmware's). ykman gates features on it: touch from 4.2.6, SHA-512 from
     * 4.3.1 (but not 4.4.x), rename from 5.3.1.
     */
    public static final int VERSION_MAJOR = 5;
    public static final int VERSION_MINOR = 7;
    public static final int VERSION_PATCH = 0;
}
