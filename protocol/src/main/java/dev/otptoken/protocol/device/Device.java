package dev.otptoken.protocol.device;

/**
 * Constants of otptoken's own device applet: device information, the real-time clock,
 * its trim register, and display settings. A YubiKey has none of this because it has no
 * clock or display. Documented in {@code docs/protocol.md}.
 */
public final class Device {
    private Device() {
    }

    /** Proprietary AID (ISO 7816-5 category F: not registered): F0 "OTPTKN" 01. */
    private static final byte[] AID = {(byte) 0xF0, 0x4F, 0x54, 0x50, 0x54, 0x4B, 0x4E, 0x01};

    /** A copy of the device applet AID {@code F0 4F 54 50 54 4B 4E 01}. */
    public static byte[] aid() {
        return AID.clone();
    }

    public static final int CLA = 0x80;

    // Instructions
    /** GET INFO: serial, firmware version, capacity, features. */
    public static final int INS_GET_INFO = 0x01;
    /** GET CLOCK: RTC reading (µs), trim, time of last set. */
    public static final int INS_GET_CLOCK = 0x10;
    /** SET CLOCK: absolute time in µs; refuses to go backwards unless P1 = {@link #P1_FORCE}. */
    public static final int INS_SET_CLOCK = 0x11;
    /** SET TRIM: signed trim register value in register steps. */
    public static final int INS_SET_TRIM = 0x12;
    /** GET DISPLAY settings. */
    public static final int INS_GET_DISPLAY = 0x20;
    /** SET DISPLAY settings. */
    public static final int INS_SET_DISPLAY = 0x21;

    /** P1 of SET CLOCK allowing the clock to move backwards. */
    public static final int P1_FORCE = 0x01;

    // Tags (BER-TLV, one byte)
    /** Serial number, 4 bytes big-endian unsigned. */
    public static final int TAG_SERIAL = 0x01;
    /** Firmware version, 3 bytes major.minor.patch. */
    public static final int TAG_FIRMWARE_VERSION = 0x02;
    /** Persistent memory used, 4 bytes big-endian (bytes). */
    public static final int TAG_MEMORY_USED = 0x03;
    /** Persistent memory total, 4 bytes big-endian (bytes). */
    public static final int TAG_MEMORY_TOTAL = 0x04;
    /** Accounts stored, 2 bytes. */
    public static final int TAG_ACCOUNTS_USED = 0x05;
    /** Accounts that fit (of maximum size) in a fresh memory, 2 bytes. */
    public static final int TAG_ACCOUNTS_CAPACITY = 0x06;
    /** Feature flags, 4 bytes, see FEATURE_*. */
    public static final int TAG_FEATURES = 0x07;
    /** RTC reading: microseconds since the Unix epoch, 8 bytes signed big-endian. */
    public static final int TAG_TIME = 0x10;
    /** Trim register value, 2 bytes signed big-endian, in register steps. */
    public static final int TAG_TRIM = 0x11;
    /** Trim step in parts per trillion, 4 bytes unsigned (953 674 for 2^-20 ≈ 0.953674 ppm), for the host arithmetic. */
    public static final int TAG_TRIM_STEP_PPT = 0x12;
    /** Trim register range, 2 bytes signed min then 2 bytes signed max. */
    public static final int TAG_TRIM_RANGE = 0x13;
    /** RTC reading at the last SET CLOCK, µs since the epoch, 8 bytes (0 = never set). */
    public static final int TAG_LAST_SET = 0x14;
    /** Index of the account a short press shows, 1 byte. */
    public static final int TAG_DISPLAY_ACCOUNT = 0x20;
    /** Display timeout in seconds, 2 bytes (0 = until the period ends). */
    public static final int TAG_DISPLAY_TIMEOUT = 0x21;

    // Feature flags
    public static final int FEATURE_RTC = 0x01;
    public static final int FEATURE_TRIM = 0x02;
    public static final int FEATURE_DISPLAY = 0x04;
    public static final int FEATURE_BUTTON = 0x08;
    public static final int FEATURE_TOUCH = 0x10;
    public static final int FEATURE_CONTACTLESS = 0x20;

    /** The trim register is modelled on the STM32 RTC smooth calibration (CALR). */
    public static final String TRIM_MODEL = "STM32 RTC CALR smooth calibration";
}
