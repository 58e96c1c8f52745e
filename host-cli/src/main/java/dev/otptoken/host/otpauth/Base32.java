package dev.otptoken.host.otpauth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
    private static final int BLOCK_BYTES = 5;
    private static final int CHAR_MASK = 0x1F;
    private static final int BYTE_MASK = 0xFF;
    /** Remainders of (characters mod 8) that no whole number of bytes produces. */
    private static final boolean[] IMPOSSIBLE_REMAINDER = {false, true, false, true, false, false, true, false};

    private Base32() {
    }

    /** Upper-case Base32 with '=' padding to a multiple of 8 characters. */
    public static String encode(byte[] data) {
        byte[] ascii = encodeAscii(data);
        try {
            return new String(ascii, StandardCharsets.US_ASCII);
        } finally {
            Arrays.fill(ascii, (byte) 0);
        }
    }

    /**
     * {@link #encode} as ASCII bytes, for a key that must not become a {@code String}: the
     * caller owns (and should wipe) the result.
     */
    public static byte[] encodeAscii(byte[] data) {
        int blocks = (int) (((long) data.length + BLOCK_BYTES - 1) / BLOCK_BYTES);
        byte[] out = new byte[blocks * BLOCK_CHARS];
        int n = 0;
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << BITS_PER_BYTE) | (b & BYTE_MASK);
            bits += BITS_PER_BYTE;
            while (bits >= BITS_PER_CHAR) {
                bits -= BITS_PER_CHAR;
                out[n++] = (byte) ALPHABET.charAt((buffer >> bits) & CHAR_MASK);
            }
        }
        if (bits > 0) {
            out[n++] = (byte) ALPHABET.charAt((buffer << (BITS_PER_CHAR - bits)) & CHAR_MASK);
        }
        while (n < out.length) {
            out[n++] = (byte) PAD;
        }
        return out;
    }

    /**
     * Decodes Base32, ignoring case, spaces and trailing padding. The caller owns (and should
     * wipe) the result.
     *
     * @throws InvalidBase32Exception for a character outside the alphabet, padding that is
     *     not at the end or does not complete an 8-character block, or an impossible length
     */
    public static byte[] decode(String text) throws InvalidBase32Exception {
        return decode(text.length(), text::charAt);
    }

    /**
     * {@link #decode} of characters that must not become a {@code String}: a key typed at a
     * terminal ({@link java.io.Console#readPassword}). The caller still owns (and should wipe)
     * {@code text} and owns the result.
     */
    public static byte[] decode(char[] text) throws InvalidBase32Exception {
        return decode(text.length, i -> text[i]);
    }

    /**
     * {@link #decode} of the ASCII bytes {@code text[from, to)}, for a key read from a file
     * that must not become a {@code String}. A byte outside ASCII is an invalid character.
     */
    public static byte[] decodeAscii(byte[] text, int from, int to) throws InvalidBase32Exception {
        if (from < 0 || to < from || to > text.length) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + text.length + " bytes");
        }
        return decode(to - from, i -> (char) (text[from + i] & BYTE_MASK));
    }

    /** The text being decoded, one character at a time. */
    @FunctionalInterface
    private interface Chars {
        char at(int index);
    }

    private static byte[] decode(int length, Chars text) throws InvalidBase32Exception {
        // First pass validates and counts, so the key is written once into an array of the
        // right size and no growable buffer leaves unwipeable copies behind.
        int dataChars = 0;
        int padChars = 0;
        for (int i = 0; i < length; i++) {
            char c = text.at(i);
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
        for (int i = 0; i < length && n < result.length; i++) {
            int value = valueOf(text.at(i));
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
