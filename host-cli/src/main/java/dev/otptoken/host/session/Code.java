package dev.otptoken.host.session;

import java.util.Objects;

/** A one-time code as shown to the user: its digits, zero-padded. */
public record Code(String value) {
    public Code {
        Objects.requireNonNull(value);
    }

    /** Truncates a dynamic-truncation value ({@code 76} payload) to {@code digits} digits. */
    static Code fromTruncated(int digits, int truncated) {
        long modulus = 1;
        for (int i = 0; i < digits; i++) {
            modulus *= 10;
        }
        long v = (truncated & 0x7FFF_FFFFL) % modulus;
        return new Code(String.format(java.util.Locale.ROOT, "%0" + digits + "d", v));
    }
}
