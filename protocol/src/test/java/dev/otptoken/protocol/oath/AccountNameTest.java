package dev.otptoken.protocol.oath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccountNameTest {

    private static String wire(AccountName n, OathType t) {
        return new String(n.encode(t), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
        "TOTP, 30, Example, alice@example.com, Example:alice@example.com",
        "TOTP, 60, Example, alice,              60/Example:alice",
        "TOTP, 30, NULL,    alice,              alice",
        "TOTP, 15, NULL,    alice,              15/alice",
        "HOTP, 60, Example, alice,              Example:alice",
        "HOTP, 0,  NULL,    bob,                bob",
    })
    void encodesLikeYkman(OathType type, int period, String issuer, String account, String expected)
            throws InvalidNameException {
        AccountName name = AccountName.of(type, period, issuer, account);
        assertThat(wire(name, type)).isEqualTo(expected);
        assertThat(AccountName.parse(type, name.encode(type))).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
        "TOTP, 60/Example:alice, 60, Example, alice",
        "TOTP, Example:alice,    30, Example, alice",
        "TOTP, 60/alice,         60, NULL,    alice",
        "TOTP, 60/,              30, NULL,    60/",
        "TOTP, 0/x,              30, NULL,    0/x",
        "TOTP, 00/Acme:x,        30, 00/Acme, x",
        "TOTP, 007/Acme:x,       7,  Acme,    x",
        "TOTP, /x,               30, NULL,    /x",
        "TOTP, 1x/y,             30, NULL,    1x/y",
        "TOTP, 1234567890/x,     30, NULL,    1234567890/x",
        "TOTP, :alice,           30, NULL,    :alice",
        "TOTP, iss:,             30, NULL,    iss:",
        "TOTP, a:b:c,            30, a,       b:c",
        "TOTP, x1/alice,         30, NULL,    x1/alice",
        "HOTP, 60/Example:alice, 0,  60/Example, alice",
        "HOTP, :alice,           0,  '',      alice",
        "HOTP, plain,            0,  NULL,    plain",
    })
    void parsesLikeYkman(OathType type, String wire, int period, String issuer, String account) {
        AccountName name = AccountName.parse(type, wire.getBytes(StandardCharsets.UTF_8));
        assertThat(name).isEqualTo(new AccountName(period, issuer, account));
    }

    @Test
    void displayJoinsIssuerAndAccount() {
        assertThat(new AccountName(60, "GitHub", "me").display()).isEqualTo("GitHub:me");
        assertThat(new AccountName(30, null, "me").display()).isEqualTo("me");
    }

    @Test
    void refusesTooLongWithByteCount() {
        String account = "a".repeat(63);
        assertThatThrownBy(() -> AccountName.of(OathType.TOTP, 30, "Example", account))
                .isInstanceOf(InvalidNameException.class)
                .hasMessage("account name is 71 bytes; the token holds at most 64");
    }

    @Test
    void countsUtf8BytesNotChars() throws InvalidNameException {
        // 32 two-byte characters = 64 bytes: fits; one more does not.
        String fits = "\u00e9".repeat(32);
        assertThat(AccountName.of(OathType.HOTP, 0, null, fits).encode(OathType.HOTP)).hasSize(64);
        assertThatThrownBy(() -> AccountName.of(OathType.HOTP, 0, null, fits + "x"))
                .hasMessage("account name is 65 bytes; the token holds at most 64");
    }

    @Test
    void periodPrefixCountsTowardTheLimit() {
        assertThatThrownBy(() -> AccountName.of(OathType.TOTP, 60, null, "a".repeat(62)))
                .hasMessage("account name is 65 bytes; the token holds at most 64");
    }

    @Test
    void refusesEmptyAndAmbiguousNames() {
        assertThatThrownBy(() -> AccountName.of(OathType.TOTP, 30, "x", ""))
                .isInstanceOf(InvalidNameException.class).hasMessage("account name is empty");
        assertThatThrownBy(() -> AccountName.of(OathType.TOTP, 30, null, "12/abc"))
                .isInstanceOf(InvalidNameException.class).hasMessageContaining("'12/abc' would read back as 'abc'");
        assertThatThrownBy(() -> AccountName.of(OathType.HOTP, 0, null, "a:b"))
                .isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> AccountName.of(OathType.TOTP, 30, "a:b", "c"))
                .isInstanceOf(InvalidNameException.class)
                .hasMessage("issuer 'a:b' contains ':', which separates issuer and account");
        assertThatThrownBy(() -> AccountName.of(OathType.TOTP, 0, null, "c"))
                .hasMessage("TOTP period must be positive (got 0)");
    }

    @Test
    void emptyIssuerMeansNone() throws InvalidNameException {
        assertThat(AccountName.of(OathType.TOTP, 30, "", "me").issuer()).isNull();
    }

    @Property
    void ofEncodeParseRoundTrips(@ForAll OathType type, @ForAll("periods") int period,
            @ForAll("issuers") String issuer, @ForAll("accounts") String account) {
        AccountName name;
        try {
            name = AccountName.of(type, period, issuer, account);
        } catch (InvalidNameException e) {
            Assume.that(false);
            return;
        }
        assertThat(AccountName.parse(type, name.encode(type))).isEqualTo(name);
        assertThat(name.encode(type).length).isBetween(1, Oath.MAX_NAME_LENGTH);
    }

    @Property
    void parseAcceptsAnyBytes(@ForAll OathType type, @ForAll byte[] bytes) {
        AccountName name = AccountName.parse(type, bytes);
        assertThat(name.account()).isNotNull();
    }

    @Property
    void parseOfWellFormedUtf8IsStable(@ForAll OathType type, @ForAll("accounts") String text) {
        // Re-encoding what was parsed gives the same bytes back when the name is canonical.
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        AccountName name = AccountName.parse(type, bytes);
        // ykman reads HOTP ":a" as an empty issuer, which of() normalises to none.
        Assume.that(name.issuer() == null || !name.issuer().isEmpty());
        try {
            AccountName again = AccountName.of(type, name.period(), name.issuer(), name.account());
            assertThat(again.encode(type)).isEqualTo(name.encode(type));
        } catch (InvalidNameException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<Integer> periods() {
        return Arbitraries.oneOf(Arbitraries.just(30), Arbitraries.integers().between(-5, 4000));
    }

    @Provide
    Arbitrary<String> issuers() {
        return Arbitraries.oneOf(Arbitraries.just(null),
                Arbitraries.strings().withChars("ab:/1 \u00e9\u4e2d").ofMaxLength(20));
    }

    @Provide
    Arbitrary<String> accounts() {
        return Arbitraries.strings().withChars("ab:/1@ .\u00e9\u4e2d").ofMinLength(0).ofMaxLength(70);
    }
}
