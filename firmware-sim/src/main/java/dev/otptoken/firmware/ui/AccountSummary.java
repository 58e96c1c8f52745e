package dev.otptoken.firmware.ui;

import dev.otptoken.protocol.oath.OathType;

/**
 * The non-secret facts about an account that the display needs.
 *
 * @param type          HOTP or TOTP
 * @param digits        digits of a code (6–8)
 * @param periodSeconds the TOTP period (ignored for HOTP)
 * @param touch         whether the host must wait for a press to get a code
 */
public record AccountSummary(OathType type, int digits, int periodSeconds, boolean touch) {
    public AccountSummary {
        if (type == null || periodSeconds <= 0) {
            throw new IllegalArgumentException("type and a positive period are required");
        }
    }
}
