package dev.otptoken.protocol.oath;

/** RFC 4226 §5.3 dynamic truncation and the decimal rendering of a code. */
public final class OtpFormat {
    /** Shortest HMAC truncation can read: offset up to 15 plus 4 bytes (SHA-1 is exactly this). */
    public static final int MIN_HMAC_LENGTH = 20;
    private static final int OFFSET_MASK = 0x0F;
    private static final int SIGN_MASK = 0x7F;
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private OtpFormat() {
    }

    /**
     * Dynamic truncation: four bytes at the offset given by the low nibble of the last byte,
     * top bit cleared so the result is the same on every platform (RFC 4226 §5.3).
     */
    public static int truncate(byte[] hmac) {
        if (hmac == null) {
            throw new IllegalArgumentException("HMAC shorter than " + MIN_HMAC_LENGTH + " bytes");
        }
        return truncate(hmac, 0, hmac.length);
    }

    /**
     * Dynamic truncation of the HMAC in {@code hmac[off, off+len)}; allocation-free, so the
     * firmware uses it on its own MAC buffer.
     */
    public static int truncate(byte[] hmac, int off, int len) {
        if (len < MIN_HMAC_LENGTH) {
            throw new IllegalArgumentException("HMAC shorter than " + MIN_HMAC_LENGTH + " bytes");
        }
        int offset = off + (hmac[off + len - 1] & OFFSET_MASK);
        return ((hmac[offset] & SIGN_MASK) << 24)
                | ((hmac[offset + 1] & 0xFF) << 16)
                | ((hmac[offset + 2] & 0xFF) << 8)
                | (hmac[offset + 3] & 0xFF);
    }

    /**
     * The code as a number: a truncated value (its top bit ignored, as a YKOATH {@code 76}
     * reply may carry it) modulo 10^digits. Allocation-free.
     */
    public static int reduce(int truncated, int digits) {
        return (truncated & Integer.MAX_VALUE) % modulus(digits);
    }

    /** 10^digits, for {@code digits} in {@link Oath#MIN_DIGITS}..{@link Oath#MAX_DIGITS}. */
    public static int modulus(int digits) {
        checkDigits(digits);
        return POWERS_OF_TEN[digits];
    }

    /**
     * The code for a truncated value: {@code value mod 10^digits}, zero-padded on the left, in
     * ASCII digits whatever the locale. Written out rather than through {@code String.format},
     * whose first use in a process loads the locale data (CLDR) for its number formatting: a
     * cost every {@code otptoken code} paid at start (docs/performance.md, "Start-up").
     */
    public static String format(int value, int digits) {
        if (value < 0) {
            throw new IllegalArgumentException("truncated value must not be negative");
        }
        int rest = value % modulus(digits);
        char[] code = new char[digits];
        for (int i = digits - 1; i >= 0; i--) {
            code[i] = (char) ('0' + rest % 10);
            rest /= 10;
        }
        return new String(code);
    }

    /** Throws IllegalArgumentException unless {@code digits} is one the token supports. */
    public static void checkDigits(int digits) {
        if (digits < Oath.MIN_DIGITS || digits > Oath.MAX_DIGITS) {
            throw new IllegalArgumentException(
                    "digits must be " + Oath.MIN_DIGITS + ".." + Oath.MAX_DIGITS + ": " + digits);
        }
    }
}
