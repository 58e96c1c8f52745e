package dev.otptoken.host.otpauth;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Percent-decoding, query splitting and label splitting shared by both URI kinds. */
final class UriText {
    /** Longer text is not something a QR code can hold (version 40 holds 2953 bytes). */
    static final int MAX_URI_LENGTH = 8192;
    private static final int HEX_RADIX = 16;
    private static final int MAX_ECHO_LENGTH = 16;

    private UriText() {
    }

    /**
     * The checks every URI parser starts with: not empty, not longer than
     * {@link #MAX_URI_LENGTH}, and starting with {@code scheme} (ignoring ASCII case).
     * Returns what follows the scheme; the messages never echo the URI.
     */
    static String afterScheme(String uri, String scheme) throws InvalidUriException {
        if (uri == null || uri.isBlank()) {
            throw new InvalidUriException("empty URI");
        }
        String text = uri.strip();
        if (text.length() > MAX_URI_LENGTH) {
            throw new InvalidUriException("URI is " + text.length() + " characters; at most "
                    + MAX_URI_LENGTH + " are accepted");
        }
        String rest = afterPrefix(text, scheme);
        if (rest == null) {
            throw new InvalidUriException("not an " + scheme + " URI");
        }
        return rest;
    }

    /** The part of {@code text} after {@code prefix}, matched ignoring ASCII case, or null. */
    static String afterPrefix(String text, String prefix) {
        return text.regionMatches(true, 0, prefix, 0, prefix.length()) ? text.substring(prefix.length()) : null;
    }

    /**
     * RFC 3986 percent-decoding into UTF-8 text. '+' means space only in query values
     * ({@code plusIsSpace}), as in {@code application/x-www-form-urlencoded} and Python's
     * {@code parse_qs}, which ykman uses; in the label it stays '+'.
     *
     * @param what names the part in the error message; the text itself is never quoted
     */
    static String percentDecode(String text, boolean plusIsSpace, String what) throws InvalidUriException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b == '%') {
                if (i + 2 >= utf8.length) {
                    throw new InvalidUriException("malformed percent escape in " + what);
                }
                int hi = Character.digit(utf8[i + 1], HEX_RADIX);
                int lo = Character.digit(utf8[i + 2], HEX_RADIX);
                if (hi < 0 || lo < 0) {
                    throw new InvalidUriException("malformed percent escape in " + what);
                }
                out.write(hi * HEX_RADIX + lo);
                i += 2;
            } else if (b == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                out.write(b);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidUriException(what + " is not valid UTF-8");
        }
    }

    /**
     * Splits {@code a=1&b=2} into lower-case keys and decoded values. A key given twice is
     * refused: which one an authenticator would use is not defined.
     */
    static Map<String, String> query(String query) throws InvalidUriException {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawKey = eq < 0 ? pair : pair.substring(0, eq);
            String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
            String key = percentDecode(rawKey, true, "a parameter name").toLowerCase(Locale.ROOT);
            String value = percentDecode(rawValue, true, "parameter '" + echo(key) + "'");
            if (params.putIfAbsent(key, value) != null) {
                throw new InvalidUriException("parameter '" + echo(key) + "' appears twice");
            }
        }
        return params;
    }

    /**
     * A short, printable form of a user-given token (a type or algorithm name) for an error
     * message, or "?" when it is long or odd enough to be something else pasted there; a long
     * number is told by its length ("a 20-digit number"), which says what is wrong and quotes nothing.
     */
    static String echo(String value) {
        if (value.length() > MAX_ECHO_LENGTH && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return "a " + value.length() + "-digit number";
        }
        if (value.isEmpty() || value.length() > MAX_ECHO_LENGTH) {
            return "?";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return "?";
            }
        }
        return value;
    }

    /** A label split at its first ':' into issuer prefix (or null) and account, both trimmed. */
    record Label(String issuer, String account) {
        static Label split(String label) {
            int colon = label.indexOf(':');
            if (colon < 0) {
                return new Label(null, label.strip());
            }
            String issuer = label.substring(0, colon).strip();
            return new Label(issuer.isEmpty() ? null : issuer, label.substring(colon + 1).strip());
        }
    }
}
