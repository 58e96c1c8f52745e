package dev.otptoken.host.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.oath.AccountName;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class OathSessionTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String SELECT = "00 A4 04 00 07 A0 00 00 05 27 21 01";
    private static final String SALT = "0102030405060708";
    private static final String SELECTED = "79 03 05 07 00 71 08 " + SALT + " 90 00";
    /** "Example:alice" */
    private static final String NAME = "4578616d706c653a616c696365";
    /** RFC 4226 / 6238 SHA-1 key "12345678901234567890". */
    private static final String RFC_KEY = "3132333435363738393031323334353637383930";
    /** RFC 6238: T = 59 s is step 1. */
    private static final Instant T59 = Instant.ofEpochSecond(59);

    private final ScriptedTransport token = new ScriptedTransport();
    private final OathSession session = new OathSession(token, new FixedRandom());

    private static SecretBytes secret(String hex) {
        return SecretBytes.wrap(HEX.parseHex(hex));
    }

    @Test
    void selectReadsVersionAndUnlockedState() throws Exception {
        token.expect(SELECT, SELECTED);
        assertThat(session.select()).isEqualTo(new Selection("5.7.0", false));
        token.assertDone();
    }

    @Test
    void putTotpSha1IsExactlyWhatYkmanSends() throws Exception {
        token.expect("00 01 00 00 27 71 0D " + NAME + " 73 16 21 06 " + RFC_KEY, "90 00");
        session.put(AccountName.of(OathType.TOTP, 30, "Example", "alice"), OathType.TOTP, HashAlgorithm.SHA1, 6,
                secret(RFC_KEY), 0, false);
        token.assertDone();
    }

    @Test
    void theBytesAPutWasSentInHoldNoKeyOnceItIsAnswered() throws Exception {
        java.util.List<byte[]> sent = new java.util.ArrayList<>();
        OathSession recorded = new OathSession(command -> {
            sent.add(command);
            return new byte[] {(byte) 0x6A, (byte) 0x84};
        }, new FixedRandom());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> recorded.put(
                AccountName.of(OathType.TOTP, 30, "Example", "alice"), OathType.TOTP, HashAlgorithm.SHA1, 6,
                secret(RFC_KEY), 0, false)).isInstanceOf(dev.otptoken.protocol.apdu.ApduException.class);
        assertThat(sent).singleElement().satisfies(bytes -> assertThat(dev.otptoken.testing.SecretSlices
                .holdsSliceOf(bytes, java.util.HexFormat.of().parseHex(RFC_KEY.replace(" ", "")))).isFalse());
    }

    @Test
    void putHotpPadsShortKeyAndSendsCounterAsImf() throws Exception {
        // 10-byte key, zero-padded to 14; HOTP SHA-256 8 digits; counter 5
        token.expect("00 01 00 00 27 71 0D " + NAME + " 73 10 12 08 31323334353637383930 00000000"
                + " 7A 04 00 00 00 05", "90 00");
        session.put(AccountName.of(OathType.HOTP, 30, "Example", "alice"), OathType.HOTP, HashAlgorithm.SHA256, 8,
                secret("31323334353637383930"), 5, false);
        token.assertDone();
    }

    @Test
    void putTouchSendsThePropertyWithoutLength() throws Exception {
        token.expect("00 01 00 00 29 71 0D " + NAME + " 73 16 21 06 " + RFC_KEY + " 78 02", "90 00");
        session.put(AccountName.of(OathType.TOTP, 30, "Example", "alice"), OathType.TOTP, HashAlgorithm.SHA1, 6,
                secret(RFC_KEY), 0, true);
        token.assertDone();
    }

    @Test
    void putRefusedForSpaceIsAnApduExceptionNamingTheStatusWord() {
        token.expect("00 01 00 00 27 71 0D " + NAME + " 73 16 21 06 " + RFC_KEY, "6A 84");
        assertThatThrownBy(() -> session.put(AccountName.of(OathType.TOTP, 30, "Example", "alice"), OathType.TOTP,
                HashAlgorithm.SHA1, 6, secret(RFC_KEY), 0, false))
                .isInstanceOfSatisfying(ApduException.class, e -> assertThat(e.statusWord()).isEqualTo(0x6A84));
    }

    @Test
    void lockedTokenIsPasswordRequired() {
        token.expect("00 A1 00 00 00", "69 82");
        assertThatThrownBy(() -> session.list(T59)).isInstanceOf(PasswordRequiredException.class);
    }

    @Test
    void deleteOfUnknownNameIs6984() {
        token.expect("00 02 00 00 05 71 03 626f62", "69 84");
        assertThatThrownBy(() -> session.delete("bob".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOfSatisfying(ApduException.class, e -> assertThat(e.statusWord()).isEqualTo(0x6984));
    }

    @Test
    void listIsEnrichedByCalculateAllWhoseReplyChains() throws Exception {
        // LIST: "Example:alice" TOTP/SHA1, "60/Acme:bob" TOTP/SHA256, "hotp" HOTP/SHA1
        String acme = HEX.formatHex("60/Acme:bob".getBytes(StandardCharsets.US_ASCII));
        String hotp = HEX.formatHex("hotp".getBytes(StandardCharsets.US_ASCII));
        token.expect("00 A1 00 00 00", "72 0E 21 " + NAME + " 72 0C 22 " + acme + " 72 05 11 " + hotp + " 90 00");
        token.expect("00 A4 00 01 0A 74 08 0000000000000001",
                "71 0D " + NAME + " 76 05 06 4C93CF18 61 19");
        token.expect("00 A5 00 00", "71 0B " + acme + " 7C 01 08 71 04 " + hotp + " 77 01 07 90 00");
        List<Account> accounts = session.list(T59);
        assertThat(accounts).extracting(Account::displayName).containsExactly("Example:alice", "Acme:bob", "hotp");
        assertThat(accounts.get(0).digits()).isEqualTo(OptionalInt.of(6));
        assertThat(accounts.get(0).touch()).isEqualTo(Optional.of(false));
        assertThat(accounts.get(1).algorithm()).isEqualTo(HashAlgorithm.SHA256);
        assertThat(accounts.get(1).period()).isEqualTo(60);
        assertThat(accounts.get(1).digits()).isEqualTo(OptionalInt.of(8));
        assertThat(accounts.get(1).touch()).isEqualTo(Optional.of(true));
        assertThat(accounts.get(2).type()).isEqualTo(OathType.HOTP);
        assertThat(accounts.get(2).digits()).isEqualTo(OptionalInt.of(7));
        assertThat(accounts.get(2).touch()).isEmpty();
        token.assertDone();
    }

    @Test
    void calculateAllGivesTruncatedCodes() throws Exception {
        token.expect("00 A4 00 01 0A 74 08 0000000000000001", "71 0D " + NAME + " 76 05 06 4C93CF18 90 00");
        List<CalculatedEntry> all = session.calculateAll(T59);
        assertThat(all).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(CalculatedEntry.Kind.CODE);
            // RFC 4226 count 0: 0x4C93CF18 -> 755224
            assertThat(e.code()).contains(new Code("755224"));
        });
    }

    @Test
    void calculateSendsTheHostTimeStepOfTheAccountPeriod() throws Exception {
        token.expect("00 A2 00 01 19 71 0D " + NAME + " 74 08 0000000000000001", "76 05 08 4C93CF18 90 00");
        Account a = new Account(NAME_BYTES, AccountName.parse(OathType.TOTP, NAME_BYTES), OathType.TOTP,
                HashAlgorithm.SHA1, OptionalInt.of(8), Optional.of(false));
        assertThat(session.calculate(a, T59)).isEqualTo(new Code("84755224"));
    }

    @Test
    void tokenClockCodeSendsAnEmptyChallenge() throws Exception {
        token.expect("00 A2 00 01 11 71 0D " + NAME + " 74 00", "76 05 06 00000001 90 00");
        assertThat(session.codeFromTokenClock(NAME_BYTES)).isEqualTo(new Code("000001"));
    }

    /** "Steam:alice" */
    private static final String STEAM = "537465616d3a616c696365";
    /** HMAC-SHA1 of KeePassXC's Steam key (63BEDWCQZKTQWPESARIERL5DTTQFCJTK) at 1511200518 s, step 0x0300A2E6. */
    private static final String STEAM_HMAC = "26e17f9378f9606aa7827cee79b85a4b0e8fa58c";

    private static Account steamAccount() {
        byte[] id = HEX.parseHex(STEAM);
        return new Account(id, AccountName.parse(OathType.TOTP, id), OathType.TOTP, HashAlgorithm.SHA1,
                OptionalInt.of(6), Optional.of(false));
    }

    /** As ykman's calculate_steam: CALCULATE with P2 00 (full response), five Steam characters of the HMAC. */
    @Test
    void aSteamAccountIsCalculatedWithTheFullResponse() throws Exception {
        token.expect("00 A2 00 00 17 71 0B " + STEAM + " 74 08 000000000300A2E6", "75 15 06 " + STEAM_HMAC + " 90 00");
        assertThat(session.calculate(steamAccount(), Instant.ofEpochSecond(1511200518))).isEqualTo(new Code("FR8RV"));
        token.assertDone();
    }

    @Test
    void aSteamAccountFromTheTokenClockSendsAnEmptyChallengeForTheFullResponse() throws Exception {
        token.expect("00 A2 00 00 0F 71 0B " + STEAM + " 74 00", "75 15 06 " + STEAM_HMAC + " 90 00");
        assertThat(session.codeFromTokenClock(steamAccount())).isEqualTo(new Code("FR8RV"));
        token.assertDone();
    }

    @Test
    void aShortFullResponseIsAnIoError() {
        token.expect("00 A2 00 00 17 71 0B " + STEAM + " 74 08 000000000300A2E6", "75 05 06 26e17f93 90 00");
        assertThatThrownBy(() -> session.calculate(steamAccount(), Instant.ofEpochSecond(1511200518)))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("full CALCULATE answer has 5 bytes");
    }

    /** CALCULATE ALL's digits are not a Steam code: the listed code is left out, to be computed in full. */
    @Test
    void listWithCodesKeepsNoDigitsForASteamAccount() throws Exception {
        token.expect("00 A1 00 00 00", "72 0C 21 " + STEAM + " 72 0E 21 " + NAME + " 90 00");
        token.expect("00 A4 00 01 0A 74 08 000000000300A2E6",
                "71 0B " + STEAM + " 76 05 06 79B85A4B 71 0D " + NAME + " 76 05 06 4C93CF18 90 00");
        List<AccountCode> listed = session.listWithCodes(Instant.ofEpochSecond(1511200518));
        assertThat(listed.get(0).account().isSteam()).isTrue();
        assertThat(listed.get(0).code()).isEmpty();
        assertThat(listed.get(1).account().isSteam()).isFalse();
        assertThat(listed.get(1).code()).contains(new Code("755224"));
        token.assertDone();
    }

    @Test
    void renameAndResetAreExact() throws Exception {
        token.expect("00 05 00 00 0A 71 03 626f62 71 03 626f63", "90 00");
        session.rename("bob".getBytes(StandardCharsets.US_ASCII), "boc".getBytes(StandardCharsets.US_ASCII));
        token.expect("00 04 DE AD 00", "90 00");
        token.expect(SELECT, "79 03 05 07 00 71 08 1112131415161718 90 00");
        assertThat(session.reset().locked()).isFalse();
        token.assertDone();
    }

    // VALIDATE vector: PBKDF2-HMAC-SHA1("correct horse", 0102030405060708, 1000, 16)
    //   = 49561f12fb17065dd680fc5a61d740a6; token challenge a1..a8; our challenge 01..08.
    private static final String LOCKED = "79 03 05 07 00 71 08 " + SALT + " 74 08 a1a2a3a4a5a6a7a8 7B 01 01 90 00";
    private static final String VALIDATE = "00 A3 00 00 20 75 14 a51bc17e7acfa44e5f1a04ced4b938af52ee691d"
            + " 74 08 0102030405060708";
    private static final String TOKEN_PROOF = "7d5e3d5d53a0d1891ffc3c22bb250caadc8e622a";

    @Test
    void unlockSendsThePbkdf2ResponseAndChecksTheTokensProof() throws Exception {
        token.expect(SELECT, LOCKED);
        token.expect(VALIDATE, "75 14 " + TOKEN_PROOF + " 90 00");
        assertThat(session.select().locked()).isTrue();
        session.unlock("correct horse".toCharArray());
        token.assertDone();
    }

    @Test
    void aTokenThatCannotProveTheKeyIsRejected() throws Exception {
        token.expect(SELECT, LOCKED);
        token.expect(VALIDATE, "75 14 " + "00".repeat(20) + " 90 00");
        session.select();
        assertThatThrownBy(() -> session.unlock("correct horse".toCharArray()))
                .isInstanceOf(WrongPasswordException.class);
    }

    @Test
    void wrongPasswordIs6984FromValidate() throws Exception {
        token.expect(SELECT, LOCKED);
        token.expect(VALIDATE, "69 84");
        session.select();
        assertThatThrownBy(() -> session.unlock("correct horse".toCharArray()))
                .isInstanceOf(WrongPasswordException.class);
    }

    @Test
    void setPasswordSendsKeyChallengeAndProof() throws Exception {
        token.expect(SELECT, SELECTED);
        token.expect("00 03 00 00 33 73 11 21 49561f12fb17065dd680fc5a61d740a6 74 08 0102030405060708 75 14 "
                + TOKEN_PROOF, "90 00");
        session.select();
        session.setPassword("correct horse".toCharArray());
        token.assertDone();
    }

    @Test
    void clearPasswordSendsAnEmptyKey() throws Exception {
        token.expect("00 03 00 00 02 73 00", "90 00");
        session.clearPassword();
        token.assertDone();
    }

    @Test
    void derivedKeyMatchesPbkdf2Vector() {
        assertThat(HEX.formatHex(OathSession.deriveKey("correct horse".toCharArray(), HEX.parseHex(SALT))))
                .isEqualTo("49561f12fb17065dd680fc5a61d740a6");
    }

    private static final byte[] NAME_BYTES = HEX.parseHex(NAME);
}
