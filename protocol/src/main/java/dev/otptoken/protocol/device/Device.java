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
    /** GET COMPENSATION: the temperature and aging curve in force, if any (docs/protocol.md). */
    public static final int INS_GET_COMPENSATION = 0x13;
    /** SET COMPENSATION: writes the curve (all six TLVs) or, without data, turns compensation off. */
    public static final int INS_SET_COMPENSATION = 0x14;
    /** GET TEMPERATURE: the temperature sensor's reading. */
    public static final int INS_GET_TEMPERATURE = 0x15;
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
    /** Temperature sensor reading in steps of 0.25 °C, 2 bytes signed. */
    public static final int TAG_TEMPERATURE = 0x15;
    /** Curve: the crystal's error at its turnover (trim excluded), parts per billion, 4 bytes signed. */
    public static final int TAG_CURVE_OFFSET_PPB = 0x30;
    /** Curve: turnover temperature on the token's sensor, 0.01 °C, 2 bytes signed. */
    public static final int TAG_CURVE_TURNOVER = 0x31;
    /** Curve: parabolic coefficient k in 10^-6 ppm/°C² (34 000 = 0.034), 4 bytes signed. */
    public static final int TAG_CURVE_K = 0x32;
    /** Curve: aging coefficient α in ppb per unit of ln(1 + age/τ), 4 bytes signed. */
    public static final int TAG_CURVE_AGING_PPB = 0x33;
    /** Curve: the RTC reading (µs) aging is counted from, 8 bytes signed. */
    public static final int TAG_CURVE_AGING_ORIGIN = 0x34;
    /** Curve: aging time constant τ in seconds, 4 bytes unsigned, at least 1. */
    public static final int TAG_CURVE_AGING_TAU = 0x35;
    /** GET COMPENSATION: seconds of the token's clock between two trim updates, 2 bytes. */
    public static final int TAG_CURVE_INTERVAL = 0x36;
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
