package dev.otptoken.firmware.sim;

import dev.otptoken.firmware.management.DeviceInfo;
import dev.otptoken.firmware.oath.OathProfile;
import dev.otptoken.protocol.management.Management;
import java.util.Locale;
import java.util.Optional;

/**
 * The tokens {@code otptoken-sim --model} can be (docs/otptoken-sim.md, "Models"). A model
 * fixes which applets are installed, the OATH applet's version and capacity, whether the
 * token has a clock and a display of its own, what its management application reports and
 * the contactless ATR. The model is stored in the state file ({@link ModelRecord}).
 */
enum DeviceModel {
    /** This project's token: RTC with trim, button and display, the device applet. */
    OTPTOKEN("otptoken", 0x00, OathProfile.OTPTOKEN, 0, true, null, new byte[0],
            "this project's token: own RTC with trim, button and 8-digit display, device applet; "
                    + "OATH 5.7.0; 152 accounts (the default)"),
    /** A YubiKey 5 NFC with firmware 5.4.3 (32 OATH credentials). */
    YUBIKEY_5_NFC("yubikey-5-nfc", 0x01, yubiKeyOath(5, 4, 3), Management.oathCapacity(5, 4), false,
            yubiKeyInfo(5, 4, 3, DeviceInfo.Layout.ONE_PAGE), Atr.YUBIKEY_5_NFC_HISTORICAL,
            "a YubiKey 5 NFC, firmware 5.4.3: management application, OATH 5.4.3; 32 accounts; "
                    + "no display, no clock (the button is touch)"),
    /** A YubiKey 5 NFC with firmware 5.7.1 (64 OATH credentials). */
    YUBIKEY_5_NFC_5_7("yubikey-5-nfc-5.7", 0x02, yubiKeyOath(5, 7, 1), Management.oathCapacity(5, 7), false,
            yubiKeyInfo(5, 7, 1, DeviceInfo.Layout.TWO_PAGES), Atr.YUBIKEY_5_NFC_HISTORICAL,
            "a YubiKey 5 NFC, firmware 5.7.1: management application, OATH 5.7.1; 64 accounts; "
                    + "no display, no clock (the button is touch)");

    /**
     * Capabilities of a YubiKey 5 NFC from 5.4.3 on, over USB and NFC: OTP, U2F, the CCID
     * bit, OpenPGP, PIV, OATH, YubiHSM Auth, FIDO2 (0x033F, as such keys report them).
     */
    static final int YUBIKEY_5_CAPABILITIES = Management.CAPABILITY_OTP | Management.CAPABILITY_U2F
            | Management.CAPABILITY_CCID | Management.CAPABILITY_OPENPGP | Management.CAPABILITY_PIV
            | Management.CAPABILITY_OATH | Management.CAPABILITY_HSMAUTH | Management.CAPABILITY_FIDO2;
    /**
     * What is enabled: OATH (and the CCID bit) only, since OATH is the one application this
     * token has; the others answer 6A82, as a real key's disabled applications do. These are
     * the bytes {@code ykman config usb/nfc --disable} of every other application writes.
     */
    static final int YUBIKEY_5_ENABLED = Management.CAPABILITY_CCID | Management.CAPABILITY_OATH;
    /** The OTP challenge-response timeout a YubiKey leaves the factory with. */
    static final int FACTORY_CHALRESP_TIMEOUT = 15;

    /** The name on the command line. */
    final String cliName;
    /** The byte the state file's model record holds. */
    final int code;
    final OathProfile oath;
    /** Accounts the OATH applet holds; 0: as many as fit in the memory below the other records. */
    final int capacity;
    /** Own RTC, display and device applet; the button shows codes. Without: the button only touches. */
    final boolean hasClockAndDisplay;
    private final DeviceInfo management;
    private final byte[] atrHistorical;
    final String description;

    DeviceModel(String cliName, int code, OathProfile oath, int capacity, boolean hasClockAndDisplay,
                DeviceInfo management, byte[] atrHistorical, String description) {
        this.cliName = cliName;
        this.code = code;
        this.oath = oath;
        this.capacity = capacity;
        this.hasClockAndDisplay = hasClockAndDisplay;
        this.management = management;
        this.atrHistorical = atrHistorical;
        this.description = description;
    }

    /** What the management application reports; empty when the model has none. */
    Optional<DeviceInfo> management() {
        return Optional.ofNullable(management);
    }

    /** The historical bytes of the contactless ATR. */
    byte[] atrHistorical() {
        return atrHistorical.clone();
    }

    /** The model named {@code name} on the command line. */
    static Optional<DeviceModel> byName(String name) {
        for (DeviceModel m : values()) {
            if (m.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The model whose record holds {@code code}. */
    static Optional<DeviceModel> byCode(int code) {
        for (DeviceModel m : values()) {
            if (m.code == code) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** One line per model for {@code --model list}: the name, padded, and the description. */
    static String list() {
        StringBuilder sb = new StringBuilder();
        for (DeviceModel m : values()) {
            sb.append(String.format(Locale.ROOT, "%-19s %s%n", m.cliName, m.description));
        }
        return sb.toString();
    }

    /** The names, for messages. */
    static String names() {
        StringBuilder sb = new StringBuilder();
        for (DeviceModel m : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(m.cliName);
        }
        return sb.toString();
    }

    private static OathProfile yubiKeyOath(int major, int minor, int patch) {
        return new OathProfile(major, minor, patch, OathProfile.EmptyChallenge.HMAC_OF_EMPTY_MESSAGE);
    }

    private static DeviceInfo yubiKeyInfo(int major, int minor, int patch, DeviceInfo.Layout layout) {
        return new DeviceInfo(major, minor, patch, Management.FORM_FACTOR_USB_A_KEYCHAIN,
                YUBIKEY_5_CAPABILITIES, YUBIKEY_5_ENABLED, YUBIKEY_5_CAPABILITIES, YUBIKEY_5_ENABLED,
                FACTORY_CHALRESP_TIMEOUT, layout);
    }

    /** Contactless ATR contents (docs/management.md, "The ATR"). */
    private static final class Atr {
        /**
         * A YubiKey 5 NFC's historical bytes over NFC: {@code 80 73 C0 21 C0 57} then "YubiKey";
         * with them the reader's ATR is {@code 3B 8D 80 01 80 73 C0 21 C0 57 59 75 62 69 4B 65 79 F9}.
         */
        static final byte[] YUBIKEY_5_NFC_HISTORICAL = {(byte) 0x80, 0x73, (byte) 0xC0, 0x21, (byte) 0xC0, 0x57,
            'Y', 'u', 'b', 'i', 'K', 'e', 'y'};

        private Atr() {
        }
    }
}
