package dev.otptoken.firmware.ui;

/**
 * What the button needs from the OATH applet: the accounts, in storage order, and their
 * codes. It lives on the firmware side of the chip (no APDU), so the display never needs
 * a host; implementations never reveal keys, only codes.
 */
public interface AccountCodes {

    /** Accounts stored now. */
    int accountCount();

    /** A summary of the account at {@code index} (0-based, storage order). */
    AccountSummary account(int index);

    /** The TOTP code of account {@code index} for the RFC 6238 time step {@code timeStep}. */
    String totpCode(int index, long timeStep);

    /**
     * The next HOTP code of account {@code index}: the counter is incremented persistently
     * (in one transaction), exactly as a host CALCULATE would.
     */
    String nextHotpCode(int index);
}
