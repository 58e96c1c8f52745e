package dev.otptoken.host.otpauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OtpAuthUriTest {
    /** Base32 of "Hello!" DE AD BE EF. */
    static final String SECRET_B32 = "JBSWY3DPEHPK3PXP";
    static final String SECRET_HEX = "48656c6c6f21deadbeef";

    private static String hex(OtpCredential c) {
        return c.secret().use(b -> HexFormat.of().formatHex(b));
    }

    @Test
    void parsesGoogleExample() throws InvalidUriException {
        OtpCredential c = OtpAuthUri.parse(
                "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example");
        assertThat(c.type()).isEqualTo(OathType.TOTP);
        assertThat(c.issuer()).isEqualTo("Example");
        assertThat(c.account()).isEqualTo("alice@google.com");
        assertThat(c.algorithm()).isEqualTo(HashAlgorithm.SHA1);
        assertThat(c.digits()).isEqualTo(6);
        assertThat(c.period()).isEqualTo(30);
        assertThat(c.counter()).isZero();
        assertThat(hex(c)).isEqualTo(SECRET_HEX);
        assertThat(c.name().encode(OathType.TOTP)).isEqualTo("Example:alice@google.com".getBytes(StandardCharsets.UTF_8));
    }

    /** Aegis's export of a Steam account: type steam, digits 5. */
    @Test
    void aSteamUriAsAegisWritesItIsStoredTheWayYkmanRecognisesSteam() throws InvalidUriException {
        OtpCredential c = OtpAuthUri.parse("otpauth://steam/Steam:alice?secret=" + SECRET_B32
                + "&issuer=Steam&algorithm=SHA1&digits=5&period=30");
        assertSteam(c, "alice");
        assertThat(c.name().encode(OathType.TOTP)).isEqualTo("Steam:alice".getBytes(StandardCharsets.UTF_8));
        assertSteam(OtpAuthUri.parse("OTPAUTH://STEAM/bob?secret=" + SECRET_B32), "bob");
        assertSteam(OtpAuthUri.parse("otpauth://steam/Valve:carol?secret=" + SECRET_B32), "Valve carol");
    }

    @Test
    void aTotpUriOfIssuerSteamOrEncoderSteamIsASteamAccount() throws InvalidUriException {
        assertSteam(OtpAuthUri.parse("otpauth://totp/Steam:alice?secret=" + SECRET_B32 + "&digits=5"), "alice");
        assertSteam(OtpAuthUri.parse("otpauth://totp/alice?secret=" + SECRET_B32 + "&issuer=Steam"), "alice");
        assertSteam(OtpAuthUri.parse("otpauth://totp/Valve:dave?secret=" + SECRET_B32 + "&encoder=steam&digits=5"),
                "Valve dave");
        // HOTP of issuer Steam, and an issuer that is not exactly Steam, stay what they say
        OtpCredential hotp = OtpAuthUri.parse("otpauth://hotp/Steam:erin?secret=" + SECRET_B32);
        assertThat(hotp.type()).isEqualTo(OathType.HOTP);
        assertThat(hotp.issuer()).isEqualTo("Steam");
        OtpCredential lower = OtpAuthUri.parse("otpauth://totp/steam:frank?secret=" + SECRET_B32 + "&digits=8");
        assertThat(lower.digits()).isEqualTo(8);
        assertThat(SteamAccount.isSteam(lower.type(), lower.issuer())).isFalse();
    }

    @ParameterizedTest
    @MethodSource("steamRefusals")
    void aSteamUriThatIsNotSteamsTotpIsRefusedInOneLine(String uri, String message) {
        assertThatThrownBy(() -> OtpAuthUri.parse(uri)).isInstanceOf(InvalidUriException.class).hasMessage(message);
    }

    static Stream<Arguments> steamRefusals() {
        String s = "secret=" + SECRET_B32;
        String notSteam = "a Steam account is TOTP with SHA1 and a period of 30 seconds; this URI says otherwise";
        return Stream.of(
                Arguments.of("otpauth://steam/alice?" + s + "&algorithm=SHA256", notSteam),
                Arguments.of("otpauth://totp/Steam:alice?" + s + "&period=60", notSteam),
                Arguments.of("otpauth://steam/alice?" + s + "&digits=4", "digits must be 6, 7 or 8 (got 4)"),
                Arguments.of("otpauth://steam/alice", "missing secret parameter"),
                Arguments.of("otpauth://steam/Steam:?" + s, "missing account name in the label"));
    }

    private static void assertSteam(OtpCredential c, String account) {
        assertThat(c.type()).isEqualTo(OathType.TOTP);
        assertThat(c.issuer()).isEqualTo("Steam");
        assertThat(c.account()).isEqualTo(account);
        assertThat(c.algorithm()).isEqualTo(HashAlgorithm.SHA1);
        assertThat(c.digits()).isEqualTo(6);
        assertThat(c.period()).isEqualTo(30);
        assertThat(hex(c)).isEqualTo(SECRET_HEX);
        assertThat(SteamAccount.isSteam(c.type(), c.issuer())).isTrue();
    }

    @Test
    void parsesEveryParameterCaseInsensitively() throws InvalidUriException {
        OtpCredential c = OtpAuthUri.parse(
                "OTPAUTH://TOTP/ACME%20Co%3A%20%20john.doe%40email.com?SECRET=jbsw y3dp ehpk 3pxp"
                + "&algorithm=sha512&digits=8&period=60&image=https%3A%2F%2Fx");
        assertThat(c.issuer()).isEqualTo("ACME Co");
        assertThat(c.account()).isEqualTo("john.doe@email.com");
        assertThat(c.algorithm()).isEqualTo(HashAlgorithm.SHA512);
        assertThat(c.digits()).isEqualTo(8);
        assertThat(c.period()).isEqualTo(60);
        assertThat(new String(c.name().encode(OathType.TOTP), StandardCharsets.UTF_8))
                .isEqualTo("60/ACME Co:john.doe@email.com");
    }

    @Test
    void plusStaysPlusInTheLabelButIsSpaceInParameters() throws InvalidUriException {
        OtpCredential c = OtpAuthUri.parse("otpauth://totp/a+b?secret=JBSWY3DPEHPK3PXP&issuer=Big+Corp");
        assertThat(c.account()).isEqualTo("a+b");
        assertThat(c.issuer()).isEqualTo("Big Corp");
    }

    @Test
    void issuerParameterWinsOverLabelPrefix() throws InvalidUriException {
        OtpCredential c = OtpAuthUri.parse("otpauth://totp/Old:me?secret=JBSWY3DPEHPK3PXP&issuer=New");
        assertThat(c.issuer()).isEqualTo("New");
        assertThat(c.account()).isEqualTo("me");
        OtpCredential noPrefix = OtpAuthUri.parse("otpauth://totp/me?secret=JBSWY3DPEHPK3PXP&issuer=New");
        assertThat(noPrefix.name().display()).isEqualTo("New:me");
        OtpCredential noIssuer = OtpAuthUri.parse("otpauth://totp/me?secret=JBSWY3DPEHPK3PXP");
        assertThat(noIssuer.issuer()).isNull();
    }

    @Test
    void hotpCounterDefaultsToZero() throws InvalidUriException {
        OtpCredential c = OtpAuthUri.parse("otpauth://hotp/me?secret=JBSWY3DPEHPK3PXP");
        assertThat(c.type()).isEqualTo(OathType.HOTP);
        assertThat(c.counter()).isZero();
        assertThat(c.period()).isZero();
        assertThat(OtpAuthUri.parse("otpauth://hotp/me?secret=JBSWY3DPEHPK3PXP&counter=4294967295").counter())
                .isEqualTo(4294967295L);
    }

    static Stream<Arguments> badUris() {
        String s = "secret=" + SECRET_B32;
        return Stream.of(
                Arguments.of("", "empty URI"),
                Arguments.of("https://example.com", "not an otpauth:// URI"),
                Arguments.of("otpauth://", "missing OTP type (otpauth://totp/... or otpauth://hotp/...)"),
                Arguments.of("otpauth://totp", "missing account label (otpauth://totp/LABEL?secret=...)"),
                Arguments.of("otpauth://motp/me?" + s, "unsupported OTP type 'motp' (only totp, hotp and steam)"),
                Arguments.of("otpauth://totp/?" + s, "missing account name in the label"),
                Arguments.of("otpauth://totp/Issuer:?" + s, "missing account name in the label"),
                Arguments.of("otpauth://totp/me", "missing secret parameter"),
                Arguments.of("otpauth://totp/me?secret=", "empty secret"),
                Arguments.of("otpauth://totp/me?secret=JBSWY3DP!", "secret is not valid Base32: invalid Base32 character at position 9"),
                Arguments.of("otpauth://totp/me?secret=JBSWY3DPE", "secret is not valid Base32: Base32 text has an impossible length (9 characters)"),
                Arguments.of("otpauth://totp/me?" + s + "&algorithm=MD5", "unsupported algorithm MD5 (only SHA1, SHA256, SHA512)"),
                Arguments.of("otpauth://totp/me?" + s + "&algorithm=sha224", "unsupported algorithm SHA224 (only SHA1, SHA256, SHA512)"),
                Arguments.of("otpauth://totp/me?" + s + "&digits=5", "digits must be 6, 7 or 8 (got 5)"),
                Arguments.of("otpauth://totp/me?" + s + "&digits=10", "digits must be 6, 7 or 8 (got 10)"),
                Arguments.of("otpauth://totp/me?" + s + "&digits=99999999999999999999",
                        "digits must be 6, 7 or 8 (got a 20-digit number)"),
                Arguments.of("otpauth://hotp/me?" + s + "&counter=18446744073709551616",
                        "counter must be between 0 and 4294967295 (got a 20-digit number)"),
                Arguments.of("otpauth://totp/me?" + s + "&digits=six", "digits must be 6, 7 or 8 (got six)"),
                Arguments.of("otpauth://totp/me?" + s + "&period=0", "period must be between 1 and 3600 seconds (got 0)"),
                Arguments.of("otpauth://totp/me?" + s + "&period=-30", "period must be between 1 and 3600 seconds (got -30)"),
                Arguments.of("otpauth://totp/me?" + s + "&period=3601", "period must be between 1 and 3600 seconds (got 3601)"),
                Arguments.of("otpauth://hotp/me?" + s + "&counter=-1", "counter must be between 0 and 4294967295 (got -1)"),
                Arguments.of("otpauth://hotp/me?" + s + "&counter=4294967296", "counter must be between 0 and 4294967295 (got 4294967296)"),
                Arguments.of("otpauth://totp/me?" + s + "&" + s, "parameter 'secret' appears twice"),
                Arguments.of("otpauth://totp/a%2?" + s, "malformed percent escape in the label"),
                Arguments.of("otpauth://totp/a%FF?" + s, "the label is not valid UTF-8"),
                Arguments.of("otpauth://totp/Example:" + "a".repeat(60) + "?" + s,
                        "account name is 68 bytes; the token holds at most 64"),
                Arguments.of("otpauth://totp/Iss:me?" + s + "&issuer=a%3Ab",
                        "issuer 'a:b' contains ':', which separates issuer and account"));
    }

    @ParameterizedTest
    @MethodSource("badUris")
    void refusesWithExactMessage(String uri, String message) {
        assertThatThrownBy(() -> OtpAuthUri.parse(uri))
                .isInstanceOf(InvalidUriException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @MethodSource("badUris")
    void noMessageContainsTheSecretOrTheUri(String uri, String message) {
        Throwable t = catchThrowable(() -> OtpAuthUri.parse(uri));
        assertThat(t.getMessage()).doesNotContain(SECRET_B32).doesNotContainIgnoringCase(SECRET_HEX);
        if (uri.contains("secret")) {
            assertThat(t.getMessage()).doesNotContain(uri);
        }
    }

    @Test
    void toStringRedactsTheSecret() throws InvalidUriException {
        OtpCredential c = OtpAuthUri.parse("otpauth://totp/Example:alice?secret=" + SECRET_B32 + "&period=45");
        assertThat(c.toString())
                .isEqualTo("OtpCredential[TOTP Example:alice, SHA1, digits=6, period=45, secret redacted, 10 bytes]")
                .doesNotContain(SECRET_B32).doesNotContainIgnoringCase(SECRET_HEX);
        c.destroy();
        assertThat(c.isDestroyed()).isTrue();
        assertThat(c.toString()).endsWith("secret destroyed]");
    }

    @Test
    void formatThenParseGivesTheSameCredential() throws Exception {
        OtpCredential c = new OtpCredential(OathType.HOTP, "Ex Co", "bob+1@x", HashAlgorithm.SHA256, 7, 30, 42,
                SecretBytes.copyOf(HexFormat.of().parseHex(SECRET_HEX)));
        String uri = OtpAuthUri.format(c);
        assertThat(uri).isEqualTo("otpauth://hotp/Ex%20Co:bob%2B1@x?secret=" + SECRET_B32
                + "&issuer=Ex%20Co&algorithm=SHA256&digits=7&counter=42");
        OtpCredential back = OtpAuthUri.parse(uri);
        assertThat(back.toString()).isEqualTo(c.toString());
        assertThat(hex(back)).isEqualTo(SECRET_HEX);
    }

    @Property
    void formatParseRoundTrips(@ForAll OathType type, @ForAll HashAlgorithm algorithm,
            @ForAll("names") String account, @ForAll("issuers") String issuer,
            @ForAll("keys") byte[] key) throws Exception {
        OtpCredential c;
        try {
            c = new OtpCredential(type, issuer, account, algorithm, 6, 30, 0, SecretBytes.copyOf(key));
        } catch (dev.otptoken.protocol.oath.InvalidNameException e) {
            return;
        }
        OtpCredential back = OtpAuthUri.parse(OtpAuthUri.format(c));
        assertThat(back.toString()).isEqualTo(c.toString());
        assertThat(back.secret().copy()).isEqualTo(key);
    }

    @Property
    void anyTextParsesOrIsRefusedWithTheCheckedException(@ForAll("uriLike") String text) {
        try {
            OtpCredential c = OtpAuthUri.parse(text);
            assertThat(c.secret().length()).isPositive();
        } catch (InvalidUriException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withChars("ab @+%é中 ").ofMinLength(1).ofMaxLength(20)
                .filter(s -> !s.isBlank() && s.strip().equals(s));
    }

    @Provide
    Arbitrary<String> issuers() {
        return Arbitraries.oneOf(Arbitraries.just(null), names());
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(80);
    }

    @Provide
    Arbitrary<String> uriLike() {
        Arbitrary<String> tail = Arbitraries.strings()
                .withChars("otpahuTOHP:/?&=%+#secrtigdlmJBSWY3DPEHK2X7 0123456789aA:-é")
                .ofMaxLength(80);
        return Arbitraries.oneOf(tail, tail.map(t -> "otpauth://totp/" + t),
                tail.map(t -> "otpauth://hotp/a?secret=JBSWY3DP&" + t), Arbitraries.strings());
    }
}
