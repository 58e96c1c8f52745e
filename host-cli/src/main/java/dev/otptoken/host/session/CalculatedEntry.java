package dev.otptoken.host.session;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One account in a CALCULATE ALL reply.
 *
 * @param id the stored name bytes
 * @param kind which tag answered: a code ({@code 76}), HOTP ({@code 77}) or touch ({@code 7C})
 * @param digits the account's digits, which every kind carries
 * @param code present for {@link Kind#CODE} only
 */
public record CalculatedEntry(byte[] id, Kind kind, int digits, Optional<Code> code) {
    /** The tag that followed the name. */
    public enum Kind { CODE, HOTP, TOUCH }

    public CalculatedEntry {
        id = id.clone();
        Objects.requireNonNull(kind);
        Objects.requireNonNull(code);
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CalculatedEntry e && Arrays.equals(id, e.id) && kind == e.kind
                && digits == e.digits && code.equals(e.code);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(id), kind, digits, code);
    }

    @Override
    public String toString() {
        return "CalculatedEntry[" + new String(id, StandardCharsets.UTF_8) + ", " + kind + ", " + digits
                + ", " + code + "]";
    }
}
