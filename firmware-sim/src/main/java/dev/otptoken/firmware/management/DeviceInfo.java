package dev.otptoken.firmware.management;

/**
 * What the management application reports about the device (docs/management.md): the
 * firmware version, the form factor, the capabilities the hardware has and those enabled over
 * USB and over NFC, the OTP challenge-response timeout, and which firmware's page layout the
 * device information follows. The serial number is the token's own and given separately.
 *
 * @param major                    firmware version, first byte
 * @param minor                    firmware version, second byte
 * @param patch                    firmware version, third byte
 * @param formFactor               {@code Management.FORM_FACTOR_*}
 * @param usbSupported             capability bits ({@code Management.CAPABILITY_*}) of the hardware over USB
 * @param usbEnabled               capability bits enabled over USB
 * @param nfcSupported             capability bits of the hardware over NFC
 * @param nfcEnabled               capability bits enabled over NFC
 * @param challengeResponseTimeout OTP challenge-response timeout in seconds (15 from the factory)
 * @param layout                   the tags and pages of this firmware's READ CONFIG answer
 */
public record DeviceInfo(int major, int minor, int patch, int formFactor, int usbSupported, int usbEnabled,
                         int nfcSupported, int nfcEnabled, int challengeResponseTimeout, Layout layout) {

    /** How a firmware lays out its device information (docs/management.md, "READ CONFIG"). */
    public enum Layout {
        /**
         * One page (5.2 to 5.4 firmware): USB supported, USB enabled, serial, form factor,
         * version, auto-eject timeout, challenge-response timeout, device flags, NFC supported,
         * NFC enabled, configuration lock, IAP detection.
         */
        ONE_PAGE,
        /**
         * Two pages (5.7 firmware): page 0 is the one-page list followed by the fingerprint
         * and secure-element versions and "more data"; page 1 holds the free-form data and
         * the HID initialisation delay.
         */
        TWO_PAGES
    }

    public DeviceInfo {
        if (layout == null) {
            throw new IllegalArgumentException("layout");
        }
        checkByte(major);
        checkByte(minor);
        checkByte(patch);
        checkByte(formFactor);
        checkByte(challengeResponseTimeout);
        for (int caps : new int[] {usbSupported, usbEnabled, nfcSupported, nfcEnabled}) {
            if (caps < 0 || caps > 0xFFFF) {
                throw new IllegalArgumentException("capabilities are two bytes");
            }
        }
    }

    private static void checkByte(int b) {
        if (b < 0 || b > 0xFF) {
            throw new IllegalArgumentException("not a byte: " + b);
        }
    }
}
