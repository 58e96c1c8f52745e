package dev.otptoken.host.session;

import dev.otptoken.protocol.oath.OtpFormat;
import dev.otptoken.protocol.oath.SteamCode;
import java.util.Objects;

/** A one-time code as shown to the user: its digits, zero-padded, or a Steam account's five characters. */
public record Code(String value) {
    public Code {
        Objects.requireNonNull(value);
    }

    /** The code of a dynamic-truncation value (a {@code 76} payload) with {@code digits} digits. */
    static Code fromTruncated(int digits, int truncated) {
        return new Code(OtpFormat.format(OtpFormat.reduce(truncated, digits), digits));
    }

    /** A Steam account's code: five characters of Steam's alphabet from the full HMAC {@code hmac[off, off+len)}. */
    static Code steam(byte[] hmac, int off, int len) {
        return new Code(SteamCode.fromHmac(hmac, off, len));
    }
}
