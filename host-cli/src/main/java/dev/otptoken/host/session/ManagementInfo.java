package dev.otptoken.host.session;

import dev.otptoken.protocol.management.Management;

/**
 * What a YubiKey's management application says about the key (READ CONFIG; docs/management.md):
 * serial, firmware, form factor and the applications supported and enabled over USB and NFC
 * (capability bits). A serial of -1 means the key does not report one.
 */
public record ManagementInfo(long serial, int major, int minor, int patch, int formFactor, int usbSupported,
                             int usbEnabled, int nfcSupported, int nfcEnabled) {
    private static final int FORM_FACTOR_MASK = 0x0F;

    /** {@code major.minor.patch}. */
    public String firmware() {
        return major + "." + minor + "." + patch;
    }

    /** OATH credentials the key holds ({@link Management#oathCapacity}); -1 when not known. */
    public int oathCapacity() {
        return Management.oathCapacity(major, minor);
    }

    /**
     * The product name as ykman names these keys: "YubiKey 5 NFC", "YubiKey 5C NFC", "YubiKey 5",
     * "YubiKey 5C", "YubiKey 5 Nano", "YubiKey 5C Nano" for firmware 5; "YubiKey" otherwise.
     */
    public String deviceName() {
        if (major != 5) {
            return "YubiKey";
        }
        boolean nfc = nfcSupported != 0;
        return switch (formFactor & FORM_FACTOR_MASK) {
            case Management.FORM_FACTOR_USB_A_KEYCHAIN -> nfc ? "YubiKey 5 NFC" : "YubiKey 5";
            case Management.FORM_FACTOR_USB_C_KEYCHAIN -> nfc ? "YubiKey 5C NFC" : "YubiKey 5C";
            case Management.FORM_FACTOR_USB_A_NANO -> "YubiKey 5 Nano";
            case Management.FORM_FACTOR_USB_C_NANO -> "YubiKey 5C Nano";
            default -> "YubiKey 5";
        };
    }

    /** Whether OATH is enabled over USB. */
    public boolean oathOverUsb() {
        return (usbEnabled & Management.CAPABILITY_OATH) != 0;
    }

    /** Whether OATH is enabled over NFC. */
    public boolean oathOverNfc() {
        return (nfcEnabled & Management.CAPABILITY_OATH) != 0;
    }
}
