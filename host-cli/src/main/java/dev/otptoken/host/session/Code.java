package dev.otptoken.host.session;

import dev.otptoken.protocol.oath.OtpFormat;
import java.util.Objects;

/** A one-time code as shown to the user: its digits, zero-padded. */
public record Code(String value) {
    public Code {
        Objects.requireNonNull(value);
    }

    /** The code of a dynamic-truncation value (a {@code 76} payload) with {@code digits} digits. */
    static Code fromTruncated(int digits, int truncated) {
        return new Code(OtpFormat.format(OtpFormat.reduce(truncated, digits), digits));
    }
}
