package dev.otptoken.protocol.oath;

/**
 * The one rule for the period prefix of a TOTP credential name, {@code [period/][issuer:]account},
 * used by the token and the host alike (docs/apdu-tlv-otp.md, "Names"). A prefix is one to
 * {@value #MAX_DIGITS} ASCII digits, then '/', then at least one more byte, and its value is
 * positive; anything else — {@code 60/} alone, {@code 0/x}, {@code /x}, {@code 1x/y} — is part
 * of the name, and the period is {@link Oath#DEFAULT_PERIOD}. That is what ykman's pattern
 * {@code ^((\d+)/)?(([^:]+):)?(.+)$} reads, except that ykman would take {@code 0/x} as period 0
 * and divide by it. Allocation-free: the firmware calls it on every CALCULATE.
 */
public final class PeriodPrefix {
    /** More digits than this cannot be an int period. */
    public static final int MAX_DIGITS = 9;
    private static final byte SEPARATOR = '/';
    private static final int DECIMAL = 10;

    private PeriodPrefix() {
    }

    /** Bytes of {@code name[off, off+len)} that the prefix takes, '/' included; 0 when there is none. */
    public static int length(byte[] name, int off, int len) {
        int value = 0;
        for (int i = 0; i < len && i <= MAX_DIGITS; i++) {
            int c = name[off + i];
            if (c == SEPARATOR) {
                return i > 0 && value > 0 && i + 1 < len ? i + 1 : 0;
            }
            if (c < '0' || c > '9') {
                return 0;
            }
            value = value * DECIMAL + (c - '0');
        }
        return 0;
    }

    /** The TOTP period the name {@code name[off, off+len)} gives: its prefix, else the default. */
    public static int period(byte[] name, int off, int len) {
        int prefix = length(name, off, len);
        if (prefix == 0) {
            return Oath.DEFAULT_PERIOD;
        }
        int value = 0;
        for (int i = 0; i < prefix - 1; i++) {
            value = value * DECIMAL + (name[off + i] - '0');
        }
        return value;
    }
}
