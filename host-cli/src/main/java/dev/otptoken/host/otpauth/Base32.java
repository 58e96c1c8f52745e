package dev.otptoken.host.otpauth;

/**
 * RFC 4648 §6 Base32. Decoding is as lenient as authenticator QR codes need (lower case,
 * spaces, padding present or not) and strict about everything else: an unknown character
 * or a length no encoder can produce is refused. Case folding is done by hand on ASCII so
 * the default locale (Turkish dotless i) can never change a key.
 */
public final class Base32 {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final char PAD = '=';
    private static final int BITS_PER_CHAR = 5;
    private static final int BITS_PER_BYTE = 8;
    private static final int BLOCK_CHARS = 8;
    private static final int CHAR_MASK = 0x1F;
    private static final int BYTE_MASK = 0xFF;
    /** Remainders of (characters mod 8) that no whole number of bytes produces. */
    private static final boolean[] IMPOSSIBLE_REMAINDER = {false, true, false, true, false, false, true, false};

    private Base32() {
    }

    /** Upper-case Base32 with '=' padding to a multiple of 8 characters. */
    public static String encode(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length + 4) / 5 * BLOCK_CHARS);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << BITS_PER_BYTE) | (b & BYTE_MASK);
            bits += BITS_PER_BYTE;
            while (bits >= BITS_PER_CHAR) {
                bits -= BITS_PER_CHAR;
                sb.append(ALPHABET.charAt((buffer >> bits) & CHAR_MASK));
            }
        }
        if (bits > 0) {
            sb.append(ALPHABET.charAt((buffer << (BITS_PER_CHAR - bits)) & CHAR_MASK));
        }
        while (sb.length() % BLOCK_CHARS != 0) {
            sb.append(PAD);
        }
        return sb.toString();
    }

    /**
     * Decodes Base32, ignoring case, spaces and trailing padding. The caller owns (and should
     * wipe) the result.
     *
     * @throws InvalidBase32Exception for a character outside the alphabet, padding that is
     *     not at the end or does not complete an 8-character block, or an impossible length
     */
    public static byte[] decode(String text) throws InvalidBase32Exception {
        // First pass validates and counts, so the key is written once into an array of the
        // right size and no growable buffer leaves unwipeable copies behind.
        int dataChars = 0;
        int padChars = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ') {
                continue;
            }
            if (c == PAD) {
                padChars++;
            } else if (padChars > 0) {
                throw new InvalidBase32Exception("Base32 padding '=' in the middle of the text");
            } else if (valueOf(c) < 0) {
                throw new InvalidBase32Exception("invalid Base32 character at position " + (i + 1));
            } else {
                dataChars++;
            }
        }
        if (IMPOSSIBLE_REMAINDER[dataChars % BLOCK_CHARS]) {
            throw new InvalidBase32Exception("Base32 text has an impossible length ("
                    + dataChars + " characters)");
        }
        if (padChars > 0 && (dataChars + padChars) % BLOCK_CHARS != 0) {
            throw new InvalidBase32Exception("Base32 padding does not complete a block of 8 characters");
        }
        byte[] result = new byte[(int) ((long) dataChars * BITS_PER_CHAR / BITS_PER_BYTE)];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < text.length() && n < result.length; i++) {
            int value = valueOf(text.charAt(i));
            if (value < 0) {
                continue;
            }
            buffer = (buffer << BITS_PER_CHAR) | value;
            bits += BITS_PER_CHAR;
            if (bits >= BITS_PER_BYTE) {
                bits -= BITS_PER_BYTE;
                result[n++] = (byte) ((buffer >> bits) & BYTE_MASK);
            }
        }
        return result;
    }

    private static int valueOf(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= '2' && c <= '7') {
            return c - '2' + 26;
        }
        return -1;
    }
}
