package dev.otptoken.firmware.ui;

/**
 * What the display shows while it is on.
 *
 * @param account     index of the account whose code is shown
 * @param code        the code: its digits, or a Steam account's five characters (docs/imports.md, "Steam")
 * @param secondsLeft seconds the code stays valid (TOTP: to the end of its period, rounded
 *                    up; HOTP: until the display turns off)
 * @param marked      the last 5 seconds: the code blinks / turns red
 */
public record Readout(int account, String code, int secondsLeft, boolean marked) {

    /** The headless form, {@code CODE Ns}. */
    public String text() {
        return code + " " + secondsLeft + "s";
    }
}
