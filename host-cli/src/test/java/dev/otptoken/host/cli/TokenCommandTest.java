package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.session.Account;
import dev.otptoken.protocol.oath.AccountName;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.OathType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TokenCommandTest {
    private static Account account(String wire) {
        byte[] id = wire.getBytes(StandardCharsets.UTF_8);
        return new Account(id, AccountName.parse(OathType.TOTP, id), OathType.TOTP, HashAlgorithm.SHA1,
                OptionalInt.of(6), Optional.of(false));
    }

    private final List<Account> accounts = List.of(account("Example:alice"), account("Example:alice2"),
            account("60/Acme:Bob"));

    @Test
    void anExactNameSelectsThatAccountAlone() {
        assertThat(TokenCommand.match(accounts, "Example:alice")).extracting(Account::displayName)
                .containsExactly("Example:alice");
    }

    @Test
    void aQueryMatchesSubstringsIgnoringCase() {
        assertThat(TokenCommand.match(accounts, "ALICE")).hasSize(2);
        assertThat(TokenCommand.match(accounts, "bob")).extracting(Account::displayName).containsExactly("Acme:Bob");
        assertThat(TokenCommand.match(accounts, null)).hasSize(3);
        assertThat(TokenCommand.match(accounts, "zed")).isEmpty();
    }

    @Test
    void tableColumnsAreTwoSpacesApartWithoutTrailingBlanks() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TokenCommand.table(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                List.of(List.of("a", "TOTP", "30"), List.of("longer", "HOTP", "-", "touch")));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("a       TOTP  30\nlonger  HOTP  -   touch\n");
    }
}
