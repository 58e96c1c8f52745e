package dev.otptoken.protocol.oath;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A YKOATH credential name, {@code [period/][issuer:]account}, split into its parts.
 *
 * <p>The period prefix exists only for TOTP and only when the period is not
 * {@link Oath#DEFAULT_PERIOD}, because that is how ykman and the YubiKey Authenticator
 * store it; HOTP names carry no period and {@link #period()} is 0 for them.
 * {@link #parse} decodes exactly like ykman's {@code _parse_cred_id} so that names written
 * by either tool read back the same; {@link #of} refuses names that would not.
 *
 * @param period the TOTP period in seconds, or 0 for HOTP
 * @param issuer the issuer, or {@code null} when the name has none
 * @param account the account part, never {@code null}
 */
public record AccountName(int period, String issuer, String account) {
    private static final char PERIOD_SEPARATOR = '/';
    private static final char ISSUER_SEPARATOR = ':';

    public AccountName {
        Objects.requireNonNull(account, "account");
    }

    /**
     * Validates and builds a name the token can store and give back unchanged.
     *
     * @param period ignored for HOTP; for TOTP must be positive
     * @param issuer may be {@code null}; an empty issuer counts as none
     * @throws InvalidNameException if the encoded name is empty, longer than
     *     {@link Oath#MAX_NAME_LENGTH} bytes, or would parse back differently
     */
    public static AccountName of(OathType type, int period, String issuer, String account)
            throws InvalidNameException {
        Objects.requireNonNull(type, "type");
        if (account == null || account.isEmpty()) {
            throw new InvalidNameException("account name is empty");
        }
        String iss = issuer == null || issuer.isEmpty() ? null : issuer;
        if (type == OathType.TOTP && period <= 0) {
            throw new InvalidNameException("TOTP period must be positive (got " + period + ")");
        }
        if (iss != null && iss.indexOf(ISSUER_SEPARATOR) >= 0) {
            throw new InvalidNameException("issuer '" + iss + "' contains ':', which separates issuer and account");
        }
        AccountName name = new AccountName(type == OathType.TOTP ? period : 0, iss, account);
        byte[] wire = name.encode(type);
        if (wire.length > Oath.MAX_NAME_LENGTH) {
            throw new InvalidNameException("account name is " + wire.length
                    + " bytes; the token holds at most " + Oath.MAX_NAME_LENGTH);
        }
        if (!parse(type, wire).equals(name)) {
            throw new InvalidNameException("account name '" + name.display()
                    + "' would read back as '" + parse(type, wire).display()
                    + "' (a ':' in the account needs an issuer; a TOTP name may not start with digits and '/')");
        }
        return name;
    }

    /** The name as stored on the token: UTF-8 of {@code [period/][issuer:]account}. */
    public byte[] encode(OathType type) {
        StringBuilder sb = new StringBuilder();
        if (type == OathType.TOTP && period != Oath.DEFAULT_PERIOD) {
            sb.append(period).append(PERIOD_SEPARATOR);
        }
        if (issuer != null) {
            sb.append(issuer).append(ISSUER_SEPARATOR);
        }
        sb.append(account);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Splits a name read from a token. Never throws: invalid UTF-8 becomes U+FFFD, so a
     * token with odd names still lists. For TOTP the period prefix is read by
     * {@link PeriodPrefix}, the rule the token uses too; the first ':' then splits the issuer,
     * which for TOTP must be non-empty (ykman's {@code ([^:]+):}).
     */
    public static AccountName parse(OathType type, byte[] wireName) {
        String text = decodeLenient(wireName);
        if (type == OathType.TOTP) {
            int prefix = PeriodPrefix.length(wireName, 0, wireName.length);
            int period = PeriodPrefix.period(wireName, 0, wireName.length);
            // the prefix is ASCII: its bytes are its characters
            String rest = text.substring(prefix);
            int colon = rest.indexOf(ISSUER_SEPARATOR);
            if (colon > 0 && colon + 1 < rest.length()) {
                return new AccountName(period, rest.substring(0, colon), rest.substring(colon + 1));
            }
            return new AccountName(period, null, rest);
        }
        int colon = text.indexOf(ISSUER_SEPARATOR);
        if (colon >= 0) {
            return new AccountName(0, text.substring(0, colon), text.substring(colon + 1));
        }
        return new AccountName(0, null, text);
    }

    /** {@code issuer:account}, or just the account; what the CLI shows and matches. */
    public String display() {
        return issuer == null ? account : issuer + ISSUER_SEPARATOR + account;
    }


    private static String decodeLenient(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            // Cannot happen with REPLACE; the String constructor replaces the same way.
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
