package dev.otptoken.host.provision;

import dev.otptoken.host.session.TokenAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one token holds of the input: each account's name (as {@code list} shows it, not yet
 * made terminal-safe) and its state, in the input's order.
 */
public record TokenReport(TokenAddress token, List<String> names, List<AccountState> states) {
    public TokenReport {
        Objects.requireNonNull(token, "token");
        names = List.copyOf(names);
        states = List.copyOf(states);
        if (names.size() != states.size()) {
            throw new IllegalArgumentException(names.size() + " names but " + states.size() + " states");
        }
    }

    /** The names of the accounts in {@code state}, in the input's order. */
    public List<String> names(AccountState state) {
        List<String> in = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (states.get(i) == state) {
                in.add(names.get(i));
            }
        }
        return in;
    }

    /** Every account is in and proven. */
    public boolean allProven() {
        return states.stream().allMatch(s -> s == AccountState.PROVEN);
    }
}
