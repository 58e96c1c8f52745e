package dev.otptoken.host.provision;

import dev.otptoken.host.session.TokenAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Writing stopped part-way: at which token, what every token holds now, and the account it
 * failed at and why (absent only when an {@link Error}, not an exception, stopped it).
 */
public record ProvisionStop(TokenAddress stoppedAt, List<TokenReport> tokens, Optional<Failure> failure) {
    public ProvisionStop {
        Objects.requireNonNull(stoppedAt, "stoppedAt");
        tokens = List.copyOf(tokens);
        Objects.requireNonNull(failure, "failure");
    }

    /** The account being written or proven when the token failed, and the exception that stopped it. */
    public record Failure(String account, Exception cause) {
        public Failure {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(cause, "cause");
        }
    }
}
