package dev.otptoken.host.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.oath.AccountName;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.OathType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AccountTest {
    private static Account account(String wire) {
        byte[] id = wire.getBytes(StandardCharsets.UTF_8);
        return new Account(id, AccountName.parse(OathType.TOTP, id), OathType.TOTP, HashAlgorithm.SHA1,
                OptionalInt.of(6), Optional.of(false));
    }

    private final List<Account> accounts = List.of(account("Example:alice"), account("Example:alice2"),
            account("60/Acme:Bob"));

    @Test
    void findAcceptsTheStoredNameWithPeriodToo() {
        assertThat(Account.find(accounts, "60/Acme:Bob")).isEqualTo(accounts.get(2));
        assertThat(Account.find(accounts, "Acme:Bob")).isEqualTo(accounts.get(2));
    }

    @Test
    void findWantsTheWholeNameExactly() {
        assertThat(Account.find(accounts, "Example:alice")).isEqualTo(accounts.get(0));
        assertThat(Account.find(accounts, "alice")).isNull();
        assertThat(Account.find(accounts, "acme:bob")).isNull();
    }
}
