package dev.otptoken.host.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Looks for known secrets in captured bytes, in whatever form they might have been written.
 *
 * <p>Rather than listing every spelling of a secret (hex with or without spaces, Base32 with
 * or without padding, Base64 at three byte alignments inside a migration payload, ...), the
 * scanner decodes every run of text that could be hex, Base32, Base64 or a list of decimal
 * byte values (also after
 * percent-decoding) and looks for any {@value #WINDOW}-byte slice of a secret in the raw
 * bytes and in every decoding. So a secret is found in any of those forms, in any letter
 * case, at any offset inside a longer encoded blob, and even when only {@value #WINDOW}
 * bytes of it leaked. A random 8-byte slice turns up by chance with probability 2^-64 per
 * position, so a hit is a leak. Text secrets (passwords, URIs) are also searched as text,
 * ignoring case.
 *
 * <p>Hits name the place, the offset, the secret's label and the form, never the secret.
 */
final class SecretScanner {
    /** Shortest slice of a secret that counts as a leak: 64 random bits. */
    static final int WINDOW = 8;
    private static final int HEX_RUN_MIN = 2 * WINDOW;
    /** 8 bytes are 64 bits: 13 Base32 characters, 11 Base64 characters. */
    private static final int BASE32_RUN_MIN = 13;
    private static final int BASE64_RUN_MIN = 11;
    private static final int BASE32_GROUP_CHARS = 8;
    private static final int BASE32_GROUP_BYTES = 5;
    private static final int BASE32_BITS = 5;
    private static final int BASE64_GROUP_CHARS = 4;
    private static final int BASE64_BITS = 6;
    private static final int BITS_PER_BYTE = 8;
    private static final int HEX_RADIX = 16;
    private static final int NOT_A_DIGIT = -1;
    private static final int DECIMAL_RADIX = 10;
    private static final int MAX_DECIMAL_DIGITS = 3;
    private static final int UNSIGNED_BYTE_MAX = 0xFF;
    private static final String BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** Where a secret was seen: never the secret itself. */
    record Hit(String where, long offset, String secret, String form) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s at offset %d: %s (%s)", where, offset, secret, form);
        }
    }

    private final Map<Long, String> windows = new HashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();

    /** Adds a binary secret (at least {@value #WINDOW} bytes), every slice of it. */
    SecretScanner secret(String label, byte[] secret) {
        if (secret.length < WINDOW) {
            throw new IllegalArgumentException(label + ": shorter than " + WINDOW + " bytes cannot be told from chance");
        }
        for (int i = 0; i + WINDOW <= secret.length; i++) {
            windows.put(pack(secret, i), label);
        }
        return this;
    }

    /**
     * Adds a text secret, searched as whole text ignoring case. Not sliced into windows: a URI
     * shares its label with the legitimate output (add a password's bytes with {@link #secret}).
     */
    SecretScanner text(String label, String text) {
        texts.put(text.toLowerCase(Locale.ROOT), label);
        return this;
    }

    /** How many distinct secrets (binary and text) are searched for. */
    int secrets() {
        return (int) java.util.stream.Stream.concat(windows.values().stream(), texts.values().stream()).distinct().count();
    }

    /** Every hit in {@code data}; an empty list when it holds no secret in any form. */
    List<Hit> scan(String where, byte[] data) {
        List<Hit> hits = new ArrayList<>();
        scanView(where, data, identity(data.length), "", hits);
        if (containsByte(data, '%')) {
            int[] origin = new int[data.length];
            byte[] decoded = percentDecode(data, origin);
            scanView(where, decoded, origin, "percent-decoded ", hits);
        }
        return hits;
    }

    private void scanView(String where, byte[] data, int[] origin, String prefix, List<Hit> hits) {
        windowsIn(data, 0, data.length, where, origin, prefix + "raw bytes", hits);
        textsIn(data, where, origin, prefix + "text", hits);
        hexRuns(data, where, origin, prefix, hits);
        base32Runs(data, where, origin, prefix, hits);
        base64Runs(data, where, origin, prefix, hits);
        decimalRuns(data, where, origin, prefix, hits);
    }

    private void windowsIn(byte[] d, int from, int to, String where, int[] origin, String form, List<Hit> hits) {
        for (int i = from; i + WINDOW <= to; i++) {
            String label = windows.get(pack(d, i));
            if (label != null) {
                hits.add(new Hit(where, origin[Math.min(i, origin.length - 1)], label, form));
                return; // one hit per view and run is enough to fail and to locate it
            }
        }
    }

    /** Decoded runs report the offset of the run's start in the scanned bytes. */
    private void decodedWindows(byte[] decoded, int runStart, String where, int[] origin, String form, List<Hit> hits) {
        for (int i = 0; i + WINDOW <= decoded.length; i++) {
            String label = windows.get(pack(decoded, i));
            if (label != null) {
                hits.add(new Hit(where, origin[runStart], label, form));
                return;
            }
        }
    }

    private void textsIn(byte[] d, String where, int[] origin, String form, List<Hit> hits) {
        if (texts.isEmpty()) {
            return;
        }
        String lower = new String(d, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        String utf8Lower = new String(d, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> t : texts.entrySet()) {
            int at = lower.indexOf(t.getKey());
            if (at < 0) {
                at = utf8Lower.indexOf(t.getKey());
            }
            if (at >= 0) {
                hits.add(new Hit(where, origin[Math.min(at, origin.length - 1)], t.getValue(), form));
            }
        }
    }

    /** Runs of hex digits, single separators (space, colon, dash) allowed between them; both parities. */
    private void hexRuns(byte[] d, String where, int[] origin, String prefix, List<Hit> hits) {
        int i = 0;
        while (i < d.length) {
            if (hexDigit(d[i]) == NOT_A_DIGIT) {
                i++;
                continue;
            }
            int start = i;
            StringBuilder digits = new StringBuilder();
            while (i < d.length) {
                if (hexDigit(d[i]) != NOT_A_DIGIT) {
                    digits.append((char) d[i]);
                    i++;
                } else if (isHexSeparator(d[i]) && i + 1 < d.length && hexDigit(d[i + 1]) != NOT_A_DIGIT) {
                    i++;
                } else {
                    break;
                }
            }
            if (digits.length() >= HEX_RUN_MIN) {
                for (int parity = 0; parity < 2; parity++) {
                    decodedWindows(hexDecode(digits, parity), start, where, origin, prefix + "hex", hits);
                }
            }
        }
    }

    /** Runs of Base32 letters, spaces, dashes and '=' ignored; every one of the 8 character alignments. */
    private void base32Runs(byte[] d, String where, int[] origin, String prefix, List<Hit> hits) {
        int i = 0;
        while (i < d.length) {
            if (base32Digit(d[i]) == NOT_A_DIGIT) {
                i++;
                continue;
            }
            int start = i;
            StringBuilder chars = new StringBuilder();
            while (i < d.length && (base32Digit(d[i]) != NOT_A_DIGIT || isBase32Separator(d[i]))) {
                if (base32Digit(d[i]) != NOT_A_DIGIT) {
                    chars.append((char) base32Digit(d[i]));
                }
                i++;
            }
            if (chars.length() >= BASE32_RUN_MIN) {
                for (int skip = 0; skip < BASE32_GROUP_CHARS; skip++) {
                    decodedWindows(bitDecode(chars, skip, BASE32_BITS), start, where, origin, prefix + "Base32", hits);
                }
            }
        }
    }

    /** Runs of Base64 (standard and URL-safe alphabets); every one of the 4 character alignments. */
    private void base64Runs(byte[] d, String where, int[] origin, String prefix, List<Hit> hits) {
        int i = 0;
        while (i < d.length) {
            if (base64Digit(d[i]) == NOT_A_DIGIT) {
                i++;
                continue;
            }
            int start = i;
            StringBuilder chars = new StringBuilder();
            while (i < d.length && base64Digit(d[i]) != NOT_A_DIGIT) {
                chars.append((char) base64Digit(d[i]));
                i++;
            }
            if (chars.length() >= BASE64_RUN_MIN) {
                for (int skip = 0; skip < BASE64_GROUP_CHARS; skip++) {
                    decodedWindows(bitDecode(chars, skip, BASE64_BITS), start, where, origin, prefix + "Base64", hits);
                }
            }
        }
    }

    /**
     * Runs of decimal byte values, signed or not, separated by commas and spaces: what
     * {@code Arrays.toString(byte[])} prints.
     */
    private void decimalRuns(byte[] d, String where, int[] origin, String prefix, List<Hit> hits) {
        int i = 0;
        while (i < d.length) {
            int start = i;
            ByteArrayOutputStream values = new ByteArrayOutputStream();
            while (i < d.length) {
                int j = i;
                boolean negative = d[j] == '-';
                if (negative) {
                    j++;
                }
                int value = 0;
                int digits = 0;
                while (j < d.length && d[j] >= '0' && d[j] <= '9' && digits <= MAX_DECIMAL_DIGITS) {
                    value = value * DECIMAL_RADIX + (d[j] - '0');
                    digits++;
                    j++;
                }
                if (digits == 0 || digits > MAX_DECIMAL_DIGITS || (negative ? value > -Byte.MIN_VALUE : value > UNSIGNED_BYTE_MAX)) {
                    break;
                }
                values.write(negative ? -value : value);
                i = j;
                while (i < d.length && (d[i] == ',' || d[i] == ' ')) {
                    i++;
                }
            }
            if (values.size() >= WINDOW) {
                decodedWindows(values.toByteArray(), start, where, origin, prefix + "decimal bytes", hits);
            }
            if (i == start) {
                i++;
            }
        }
    }

    /** Digits of {@code bits} bits each (held as char values), from {@code skip} on, as bytes. */
    private static byte[] bitDecode(CharSequence digits, int skip, int bits) {
        int n = Math.max(0, (digits.length() - skip) * bits / BITS_PER_BYTE);
        byte[] out = new byte[n];
        int acc = 0;
        int have = 0;
        int o = 0;
        for (int i = skip; i < digits.length() && o < n; i++) {
            acc = (acc << bits) | digits.charAt(i);
            have += bits;
            if (have >= BITS_PER_BYTE) {
                have -= BITS_PER_BYTE;
                out[o++] = (byte) (acc >>> have);
                acc &= (1 << have) - 1;
            }
        }
        return out;
    }

    private static byte[] hexDecode(CharSequence digits, int parity) {
        int n = (digits.length() - parity) / 2;
        byte[] out = new byte[n];
        for (int k = 0; k < n; k++) {
            int hi = Character.digit(digits.charAt(parity + 2 * k), HEX_RADIX);
            int lo = Character.digit(digits.charAt(parity + 2 * k + 1), HEX_RADIX);
            out[k] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    private static byte[] percentDecode(byte[] d, int[] origin) {
        byte[] out = new byte[d.length];
        int o = 0;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == '%' && i + 2 < d.length && hexDigit(d[i + 1]) != NOT_A_DIGIT && hexDigit(d[i + 2]) != NOT_A_DIGIT) {
                origin[o] = i;
                out[o++] = (byte) (hexDigit(d[i + 1]) << 4 | hexDigit(d[i + 2]));
                i += 2;
            } else {
                origin[o] = i;
                out[o++] = d[i];
            }
        }
        return java.util.Arrays.copyOf(out, o);
    }

    private static int[] identity(int n) {
        int[] a = new int[Math.max(n, 1)];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }

    private static boolean containsByte(byte[] d, char c) {
        for (byte b : d) {
            if (b == c) {
                return true;
            }
        }
        return false;
    }

    private static int hexDigit(byte b) {
        return b < 0 ? NOT_A_DIGIT : Character.digit((char) b, HEX_RADIX);
    }

    private static boolean isHexSeparator(byte b) {
        return b == ' ' || b == ':' || b == '-';
    }

    private static int base32Digit(byte b) {
        if (b < 0) {
            return NOT_A_DIGIT;
        }
        return BASE32_ALPHABET.indexOf(Character.toUpperCase((char) b));
    }

    private static boolean isBase32Separator(byte b) {
        return b == ' ' || b == '-' || b == '=';
    }

    private static int base64Digit(byte b) {
        if (b == '-') {
            return BASE64_ALPHABET.indexOf('+');
        }
        if (b == '_') {
            return BASE64_ALPHABET.indexOf('/');
        }
        return b < 0 ? NOT_A_DIGIT : BASE64_ALPHABET.indexOf((char) b);
    }

    private static long pack(byte[] b, int off) {
        long v = 0;
        for (int k = 0; k < WINDOW; k++) {
            v = (v << BITS_PER_BYTE) | (b[off + k] & 0xFF);
        }
        return v;
    }
}
