package dev.otptoken.host.otpauth;

import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.InvalidNameException;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.protocol.oath.SteamCode;

/**
 * How a Steam Guard account is stored on a token: the way ykman recognises one, issuer
 * {@value #ISSUER}, TOTP, SHA-1, {@value #PERIOD} s (its codes are five characters of Steam's
 * alphabet made from the token's full HMAC response, docs/imports.md, "Steam"). The original
 * issuer (when it is not already Steam) and account stay in the account part of the name.
 */
public final class SteamAccount {
    /** The issuer ykman and this project take as "Steam code, not digits" ({@link SteamCode}). */
    public static final String ISSUER = SteamCode.ISSUER;
    /** Steam Guard's period, seconds. */
    public static final int PERIOD = 30;
    /** Digits stored in the token's account (the token needs 6 to 8); the shown code is 5 characters. */
    public static final int STORED_DIGITS = 6;

    private SteamAccount() {
    }

    /**
     * A Steam account from an export or URI.
     *
     * @param originalIssuer the issuer the export gave (may be null, blank or "Steam")
     * @param account        the account name the export gave (may be blank)
     * @param secret         taken over, as by {@link OtpCredential}
     */
    public static OtpCredential credential(String originalIssuer, String account, SecretBytes secret)
            throws InvalidNameException {
        return new OtpCredential(OathType.TOTP, ISSUER, accountPart(originalIssuer, account), HashAlgorithm.SHA1,
                STORED_DIGITS, PERIOD, 0, secret);
    }

    /** The account part of the stored name: {@code account}, or {@code issuer account} when the issuer was another. */
    static String accountPart(String originalIssuer, String account) {
        String a = account == null ? "" : account.strip();
        String i = originalIssuer == null ? "" : originalIssuer.strip();
        if (i.isEmpty() || i.equalsIgnoreCase(ISSUER)) {
            return a.isEmpty() ? ISSUER : a;
        }
        return a.isEmpty() ? i : i + " " + a;
    }

    /** Whether a stored account is a Steam account (as ykman decides: TOTP and issuer exactly "Steam"). */
    public static boolean isSteam(OathType type, String issuer) {
        return SteamCode.isSteam(type, issuer);
    }
}
