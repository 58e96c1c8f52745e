package dev.otptoken.protocol.management;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Constants of the YubiKey management application as a host sees it over ISO 7816 (PC/SC):
 * its AID, the READ CONFIG instruction and the tags, capability bits and form factors of the
 * device-information TLVs it answers. docs/management.md says what each byte is and where
 * the values come from (Yubico's developer documentation and {@code yubikit/management.py}
 * of yubikey-manager).
 */
public final class Management {
    private Management() {
    }

    /** Application identifier of the management application. */
    private static final byte[] AID = {(byte) 0xA0, 0x00, 0x00, 0x05, 0x27, 0x47, 0x11, 0x17};

    /** A copy of the management AID {@code A0 00 00 05 27 47 11 17}. */
    public static byte[] aid() {
        return AID.clone();
    }

    /** CLA of the management commands. */
    public static final int CLA = 0x00;

    /** READ CONFIG: P1 is the page of the device information (0 first; 5.6 and later have more). */
    public static final int INS_READ_CONFIG = 0x1D;
    /** WRITE CONFIG (not implemented by this token; named so that docs and tests can refer to it). */
    public static final int INS_WRITE_CONFIG = 0x1C;
    /** SET MODE, the YubiKey 4 way of choosing USB interfaces (not implemented by this token). */
    public static final int INS_SET_MODE = 0x16;

    /**
     * What a YubiKey answers to SELECT before the firmware version, as ASCII: ykman reads the
     * version as the first {@code N.N.N} in the text.
     */
    public static final String SELECT_TEXT_PREFIX = "Virtual mgr - FW version ";

    /** The SELECT answer for firmware {@code major.minor.patch}, ASCII. */
    public static byte[] selectText(int major, int minor, int patch) {
        return String.format(Locale.ROOT, "%s%d.%d.%d", SELECT_TEXT_PREFIX, major, minor, patch)
                .getBytes(StandardCharsets.US_ASCII);
    }

    // Device-information tags (one byte each; the answer is one length byte, then the TLVs)
    /** Capabilities the hardware has over USB, 2 bytes. */
    public static final int TAG_USB_SUPPORTED = 0x01;
    /** Serial number, 4 bytes big-endian. */
    public static final int TAG_SERIAL = 0x02;
    /** Capabilities enabled over USB, 2 bytes. */
    public static final int TAG_USB_ENABLED = 0x03;
    /** Form factor, 1 byte (low nibble; 0x80 FIPS, 0x40 Security Key series). */
    public static final int TAG_FORM_FACTOR = 0x04;
    /** Firmware version, 3 bytes major minor patch. */
    public static final int TAG_VERSION = 0x05;
    /** CCID auto-eject timeout in seconds, 2 bytes. */
    public static final int TAG_AUTO_EJECT_TIMEOUT = 0x06;
    /** OTP challenge-response timeout in seconds, 1 byte. */
    public static final int TAG_CHALRESP_TIMEOUT = 0x07;
    /** Device flags, 1 byte (0x40 remote wakeup, 0x80 touch eject). */
    public static final int TAG_DEVICE_FLAGS = 0x08;
    /** Whether a configuration lock code is set, 1 byte. */
    public static final int TAG_CONFIG_LOCK = 0x0A;
    /** Capabilities the hardware has over NFC, 2 bytes (present only on keys with NFC). */
    public static final int TAG_NFC_SUPPORTED = 0x0D;
    /** Capabilities enabled over NFC, 2 bytes. */
    public static final int TAG_NFC_ENABLED = 0x0E;
    /** IAP detection (Lightning keys), 1 byte. */
    public static final int TAG_IAP_DETECTION = 0x0F;
    /** 1 when another page of device information follows (READ CONFIG with the next P1). */
    public static final int TAG_MORE_DATA = 0x10;
    /** Free-form data, 4 bytes on 5.7. */
    public static final int TAG_FREE_FORM = 0x11;
    /** USB HID initialisation delay, 1 byte on 5.7. */
    public static final int TAG_HID_INIT_DELAY = 0x12;
    /** Fingerprint sensor firmware version, 3 bytes (zero on keys without one). */
    public static final int TAG_FPS_VERSION = 0x20;
    /** Secure-element (STM) firmware version, 3 bytes (zero on keys without one). */
    public static final int TAG_STM_VERSION = 0x21;

    // Capability bits (the 2-byte values of the supported/enabled tags)
    public static final int CAPABILITY_OTP = 0x0001;
    public static final int CAPABILITY_U2F = 0x0002;
    /** Set by YubiKey 5 firmware in the supported and enabled values; ykman names no application for it. */
    public static final int CAPABILITY_CCID = 0x0004;
    public static final int CAPABILITY_OPENPGP = 0x0008;
    public static final int CAPABILITY_PIV = 0x0010;
    public static final int CAPABILITY_OATH = 0x0020;
    public static final int CAPABILITY_HSMAUTH = 0x0100;
    public static final int CAPABILITY_FIDO2 = 0x0200;

    // Form factors (low nibble of TAG_FORM_FACTOR)
    public static final int FORM_FACTOR_USB_A_KEYCHAIN = 0x01;
    public static final int FORM_FACTOR_USB_A_NANO = 0x02;
    public static final int FORM_FACTOR_USB_C_KEYCHAIN = 0x03;
    public static final int FORM_FACTOR_USB_C_NANO = 0x04;

    /** OATH credentials of a YubiKey from firmware 5.7 on. */
    public static final int OATH_CAPACITY_5_7 = 64;
    /** OATH credentials of a YubiKey 4 or 5 before firmware 5.7. */
    public static final int OATH_CAPACITY_BEFORE_5_7 = 32;
    private static final int FIRST_WITH_64_MINOR = 7;
    private static final int YUBIKEY_5_MAJOR = 5;
    private static final int YUBIKEY_4_MAJOR = 4;

    /**
     * How many OATH credentials a YubiKey of firmware {@code major.minor} holds, as Yubico
     * documents it for its products: 64 from 5.7 on, 32 on YubiKey 4 and earlier 5 firmware;
     * -1 for older keys (not modelled here). The simulator's models and the host both use it.
     */
    public static int oathCapacity(int major, int minor) {
        if (major > YUBIKEY_5_MAJOR || (major == YUBIKEY_5_MAJOR && minor >= FIRST_WITH_64_MINOR)) {
            return OATH_CAPACITY_5_7;
        }
        return major >= YUBIKEY_4_MAJOR ? OATH_CAPACITY_BEFORE_5_7 : -1;
    }
}
