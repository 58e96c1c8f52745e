package dev.otptoken.host.session;

import java.util.Objects;
import java.util.Optional;

/**
 * An account and the code one CALCULATE ALL gave it ({@link OathSession#listWithCodes}).
 *
 * @param code present for a TOTP account of the default period without touch; empty for
 *             HOTP and touch accounts (named, not computed) and for other periods
 */
public record AccountCode(Account account, Optional<Code> code) {
    public AccountCode {
        Objects.requireNonNull(account);
        Objects.requireNonNull(code);
    }
}
