package dev.otptoken.protocol.oath;

import java.nio.charset.StandardCharsets;

/**
 * The one Steam Guard rule, used by the host and the token alike (docs/imports.md, "Steam").
 *
 * <p>Which account is Steam: a TOTP account whose name, after an optional period prefix, has
 * the issuer exactly {@value #ISSUER} — what ykman's {@code is_steam} decides on the name
 * its {@code _parse_cred_id} splits. Its code: the RFC 4226 dynamic truncation of the full
 * HMAC-SHA1 (31 bits), written as {@value #LENGTH} characters of {@link #ALPHABET}, least
 * significant first (ykman's {@code calculate_steam}, Steam's own authenticator). A host
 * gets the full HMAC with a CALCULATE of P2 {@code 00}, as ykman does.
 *
 * <p>{@link #isSteam(OathType, byte[], int, int)} and {@link #write} allocate nothing, so the
 * token decides and writes a code in its own buffers.
 */
public final class SteamCode {
    /** The issuer that makes a TOTP account a Steam account. */
    public static final String ISSUER = "Steam";
    /** Steam's 26 code characters: digits and consonants that cannot be misread for one another. */
    public static final String ALPHABET = "23456789BCDFGHJKMNPQRTVWXY";
    /** Characters in a Steam code. */
    public static final int LENGTH = 5;

    private static final int RADIX = ALPHABET.length();
    private static final byte ISSUER_SEPARATOR = ':';
    private static final byte[] ISSUER_BYTES = {'S', 't', 'e', 'a', 'm'};

    private SteamCode() {
    }

    /** Whether an account of {@code type} with the (parsed) {@code issuer} is a Steam account. */
    public static boolean isSteam(OathType type, String issuer) {
        return type == OathType.TOTP && ISSUER.equals(issuer);
    }

    /**
     * Whether the stored name {@code name[off, off+len)} of an account of {@code type} is a
     * Steam account's: after the period prefix ({@link PeriodPrefix}), {@code Steam:} and at
     * least one more byte, as {@link AccountName#parse} would split it. Allocation-free.
     */
    public static boolean isSteam(OathType type, byte[] name, int off, int len) {
        if (type != OathType.TOTP) {
            return false;
        }
        int start = off + PeriodPrefix.length(name, off, len);
        int end = off + len;
        int separator = start + ISSUER_BYTES.length;
        if (separator + 1 >= end || name[separator] != ISSUER_SEPARATOR) {
            return false;
        }
        for (int i = 0; i < ISSUER_BYTES.length; i++) {
            if (name[start + i] != ISSUER_BYTES[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the code of a truncated value ({@link OtpFormat#truncate}; its top bit is ignored
     * as in {@link OtpFormat#reduce}) as {@value #LENGTH} ASCII bytes at {@code out[off]}.
     * Allocation-free.
     *
     * @return the offset after the code
     */
    public static int write(int truncated, byte[] out, int off) {
        int value = truncated & Integer.MAX_VALUE;
        for (int i = 0; i < LENGTH; i++) {
            out[off + i] = (byte) ALPHABET.charAt(value % RADIX);
            value /= RADIX;
        }
        return off + LENGTH;
    }

    /** The code of a truncated value, as text. */
    public static String format(int truncated) {
        byte[] text = new byte[LENGTH];
        write(truncated, text, 0);
        return new String(text, StandardCharsets.US_ASCII);
    }

    /** The code of a full HMAC response (at least {@link OtpFormat#MIN_HMAC_LENGTH} bytes). */
    public static String fromHmac(byte[] hmac, int off, int len) {
        return format(OtpFormat.truncate(hmac, off, len));
    }
}
