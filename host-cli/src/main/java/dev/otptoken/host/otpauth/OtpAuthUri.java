package dev.otptoken.host.otpauth;

import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.InvalidNameException;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The Key URI format of Google Authenticator ({@code otpauth://TYPE/LABEL?PARAMETERS}), read
 * the way ykman reads it where the format leaves room: the {@code issuer} parameter wins over
 * a different label prefix, a missing HOTP counter means 0, unknown parameters (image,
 * color…) are ignored. See docs/qr-otpauth.md for the table of refusals.
 */
public final class OtpAuthUri {
    static final String SCHEME = "otpauth://";
    private static final String SECRET = "secret";
    private static final String ISSUER = "issuer";
    private static final String ALGORITHM = "algorithm";
    private static final String DIGITS = "digits";
    private static final String PERIOD = "period";
    private static final String COUNTER = "counter";
    /** {@code otpauth://steam/...} and {@code encoder=steam}: a Steam Guard account. */
    private static final String STEAM_TYPE = "steam";
    private static final String ENCODER = "encoder";
    /** The digits Steam's codes have (and Aegis's URIs say); the token stores such an account with 6. */
    private static final String STEAM_DIGITS = "5";
    private static final int DEFAULT_DIGITS = 6;
    private static final int MAX_NUMBER_CHARS = 19;

    private OtpAuthUri() {
    }

    /**
     * Parses one otpauth URI into a credential that owns the decoded key.
     *
     * @throws InvalidUriException with a one-line reason that never contains the secret
     */
    public static OtpCredential parse(String uri) throws InvalidUriException {
        String rest = UriText.afterScheme(uri, SCHEME);
        int slash = rest.indexOf('/');
        String typeText = slash < 0 ? rest : rest.substring(0, slash);
        boolean steamType = STEAM_TYPE.equalsIgnoreCase(typeText);
        OathType type = steamType ? OathType.TOTP : parseType(typeText);
        if (slash < 0) {
            throw new InvalidUriException("missing account label (otpauth://" + typeText + "/LABEL?secret=...)");
        }
        String afterType = rest.substring(slash + 1);
        int hash = afterType.indexOf('#');
        if (hash >= 0) {
            afterType = afterType.substring(0, hash);
        }
        int question = afterType.indexOf('?');
        String rawLabel = question < 0 ? afterType : afterType.substring(0, question);
        Map<String, String> params = UriText.query(question < 0 ? "" : afterType.substring(question + 1));

        UriText.Label label = UriText.Label.split(UriText.percentDecode(rawLabel, false, "the label"));
        if (label.account().isEmpty()) {
            throw new InvalidUriException("missing account name in the label");
        }
        String issuerParam = params.get(ISSUER);
        String issuer = issuerParam != null && !issuerParam.isBlank() ? issuerParam.strip() : label.issuer();

        if (steamType || type == OathType.TOTP && (SteamAccount.ISSUER.equals(issuer)
                || STEAM_TYPE.equalsIgnoreCase(params.get(ENCODER)))) {
            return steam(issuer, label.account(), params);
        }
        HashAlgorithm algorithm = parseAlgorithm(params.get(ALGORITHM));
        int digits = parseDigits(params.get(DIGITS));
        int period = type == OathType.TOTP ? parsePeriod(params.get(PERIOD)) : Oath.DEFAULT_PERIOD;
        long counter = type == OathType.HOTP ? parseCounter(params.get(COUNTER)) : 0;

        byte[] key = parseSecret(params.get(SECRET));
        try {
            return new OtpCredential(type, issuer, label.account(), algorithm, digits, period, counter,
                    SecretBytes.wrap(key));
        } catch (InvalidNameException e) {
            SecretBytes.wipe(key);
            throw new InvalidUriException(e.getMessage());
        }
    }

    /**
     * A Steam Guard account ({@code otpauth://steam/}, {@code encoder=steam} as KeePassXC writes
     * it, or a TOTP URI whose issuer is exactly Steam, as ykman takes it): stored by
     * {@link SteamAccount#credential}. Steam's codes are five characters, so {@code digits=5}
     * (what Aegis writes) is accepted, as ykman does, beside 6–8, and the stored account has 6;
     * another algorithm than SHA-1 or period than 30 s is not Steam's and is refused.
     */
    private static OtpCredential steam(String issuer, String account, Map<String, String> params)
            throws InvalidUriException {
        String digitsText = params.get(DIGITS);
        if (digitsText == null || !STEAM_DIGITS.equals(digitsText.strip())) {
            parseDigits(digitsText);
        }
        if (parseAlgorithm(params.get(ALGORITHM)) != HashAlgorithm.SHA1
                || parsePeriod(params.get(PERIOD)) != SteamAccount.PERIOD) {
            throw new InvalidUriException("a Steam account is TOTP with SHA1 and a period of " + SteamAccount.PERIOD
                    + " seconds; this URI says otherwise");
        }
        byte[] key = parseSecret(params.get(SECRET));
        try {
            return SteamAccount.credential(issuer, account, SecretBytes.wrap(key));
        } catch (InvalidNameException e) {
            SecretBytes.wipe(key);
            throw new InvalidUriException(e.getMessage());
        }
    }

    /**
     * The URI for {@code credential}: Base32 secret without padding (as Google Authenticator
     * writes it), issuer both as label prefix and parameter. The result holds the secret.
     */
    public static String format(OtpCredential credential) {
        StringBuilder sb = new StringBuilder(SCHEME);
        sb.append(credential.type().name().toLowerCase(Locale.ROOT)).append('/');
        if (credential.issuer() != null) {
            sb.append(encode(credential.issuer())).append(':');
        }
        sb.append(encode(credential.account()));
        String b32 = credential.secret().use(Base32::encode);
        int end = b32.indexOf('=');
        sb.append('?').append(SECRET).append('=').append(end < 0 ? b32 : b32.substring(0, end));
        if (credential.issuer() != null) {
            sb.append('&').append(ISSUER).append('=').append(encode(credential.issuer()));
        }
        sb.append('&').append(ALGORITHM).append('=').append(credential.algorithm().name());
        sb.append('&').append(DIGITS).append('=').append(credential.digits());
        if (credential.type() == OathType.TOTP) {
            sb.append('&').append(PERIOD).append('=').append(credential.period());
        } else {
            sb.append('&').append(COUNTER).append('=').append(credential.counter());
        }
        return sb.toString();
    }

    static OathType parseType(String text) throws InvalidUriException {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "totp":
                return OathType.TOTP;
            case "hotp":
                return OathType.HOTP;
            case "":
                throw new InvalidUriException("missing OTP type (otpauth://totp/... or otpauth://hotp/...)");
            default:
                throw new InvalidUriException("unsupported OTP type '" + UriText.echo(text)
                        + "' (only totp, hotp and steam)");
        }
    }

    /** An algorithm name as ykman and URIs write it (case and a dash ignored); SHA1 for {@code null}. */
    public static HashAlgorithm parseAlgorithm(String text) throws InvalidUriException {
        if (text == null) {
            return HashAlgorithm.SHA1;
        }
        String name = text.strip().toUpperCase(Locale.ROOT).replace("-", "");
        for (HashAlgorithm a : HashAlgorithm.values()) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        throw new InvalidUriException("unsupported algorithm " + UriText.echo(text.strip().toUpperCase(Locale.ROOT))
                + " (only SHA1, SHA256, SHA512)");
    }

    private static int parseDigits(String text) throws InvalidUriException {
        if (text == null) {
            return DEFAULT_DIGITS;
        }
        long value = parseNumber(text);
        if (value < Oath.MIN_DIGITS || value > Oath.MAX_DIGITS) {
            throw new InvalidUriException("digits must be 6, 7 or 8 (got " + UriText.echo(text.strip()) + ")");
        }
        return (int) value;
    }

    private static int parsePeriod(String text) throws InvalidUriException {
        if (text == null) {
            return Oath.DEFAULT_PERIOD;
        }
        long value = parseNumber(text);
        if (value < 1 || value > Oath.MAX_PERIOD) {
            throw new InvalidUriException("period must be between 1 and " + Oath.MAX_PERIOD
                    + " seconds (got " + UriText.echo(text.strip()) + ")");
        }
        return (int) value;
    }

    private static long parseCounter(String text) throws InvalidUriException {
        if (text == null) {
            return OtpCredential.DEFAULT_COUNTER;
        }
        long value = parseNumber(text);
        if (value < 0 || value > OtpCredential.MAX_COUNTER) {
            throw new InvalidUriException("counter must be between 0 and " + OtpCredential.MAX_COUNTER
                    + " (got " + UriText.echo(text.strip()) + ")");
        }
        return value;
    }

    /** ASCII digits only (no sign, no Unicode digits); -1 for anything else. */
    private static long parseNumber(String text) {
        String s = text.strip();
        if (s.isEmpty() || s.length() > MAX_NUMBER_CHARS - 1) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static byte[] parseSecret(String text) throws InvalidUriException {
        if (text == null) {
            throw new InvalidUriException("missing secret parameter");
        }
        byte[] key;
        try {
            key = Base32.decode(text);
        } catch (InvalidBase32Exception e) {
            throw new InvalidUriException("secret is not valid Base32: " + e.getMessage());
        }
        if (key.length == 0) {
            throw new InvalidUriException("empty secret");
        }
        return key;
    }

    /** RFC 3986 unreserved characters and '@' pass; everything else is percent-encoded UTF-8. */
    static String encode(String text) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '@';
            if (plain) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return sb.toString();
    }
}
