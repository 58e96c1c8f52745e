package dev.otptoken.host.imports.pskc;

import static dev.otptoken.host.imports.ImportVectors.KEY20;
import static dev.otptoken.host.imports.ImportVectors.KEY32;
import static dev.otptoken.host.imports.ImportVectors.KEY64;
import static dev.otptoken.host.imports.ImportVectors.assertCredential;
import static dev.otptoken.host.imports.pskc.PskcFiles.HMAC_SHA1;
import static dev.otptoken.host.imports.pskc.PskcFiles.HMAC_SHA256;
import static dev.otptoken.host.imports.pskc.PskcFiles.HOTP;
import static dev.otptoken.host.imports.pskc.PskcFiles.TOTP;
import static dev.otptoken.host.imports.pskc.PskcFiles.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.otptoken.host.imports.ExportPassword;
import dev.otptoken.host.imports.ImportException;
import dev.otptoken.host.imports.Imported;
import dev.otptoken.host.imports.WrongExportPasswordException;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.OathType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PskcReaderTest {
    static final byte[] PSK = PskcFiles.hex("00112233445566778899aabbccddeeff");
    static final byte[] MAC_KEY = PskcFiles.hex("1122334455667788990011223344556677889900aabbccddeeff0011");

    private final PskcReader reader = new PskcReader();

    private static ExportPassword never() {
        return file -> {
            throw new AssertionError("a plain file asked for a password");
        };
    }

    private static ExportPassword given(String password, AtomicInteger asked) {
        return file -> {
            asked.incrementAndGet();
            return password.toCharArray();
        };
    }

    @Test
    void readsRfc6030Figure2PlainKey() throws ImportException {
        assertThat(reader.recognises(utf8(PskcFiles.FIGURE_2))).isTrue();
        Imported got = reader.read(utf8(PskcFiles.FIGURE_2), never());
        assertThat(got.format()).isEqualTo("PSKC");
        assertThat(got.skipped()).isEmpty();
        assertThat(got.credentials()).hasSize(1);
        assertCredential(got.credentials().get(0), OathType.HOTP, "Issuer-A", "12345678", HashAlgorithm.SHA1, 6, 0, 0,
                KEY20);
    }

    /** RFC 6030's figure 6 (a pre-shared key) and figure 7 (PBKDF2 of "qwerty"): both hold RFC 4226's key. */
    @ParameterizedTest
    @CsvSource({
        "6, 12345678901234567890123456789012, Issuer",
        "7, qwerty, Example-Issuer"})
    void readsRfc6030EncryptedFiguresCheckingTheirMac(int figure, String password, String issuer)
            throws ImportException {
        AtomicInteger asked = new AtomicInteger();
        String file = figure == 6 ? PskcFiles.FIGURE_6 : PskcFiles.FIGURE_7;
        Imported got = reader.read(utf8(file), given(password, asked));
        assertThat(asked).as("the key is asked once").hasValue(1);
        assertThat(got.credentials()).hasSize(1);
        assertCredential(got.credentials().get(0), OathType.HOTP, issuer, "987654321", HashAlgorithm.SHA1, 8, 0, 0,
                KEY20);
    }

    @Test
    void wrongPreSharedKeyIsAWrongPassword() {
        assertThatThrownBy(() -> reader.read(utf8(PskcFiles.FIGURE_6),
                given("ffeeddccbbaa99887766554433221100", new AtomicInteger())))
                .isInstanceOf(WrongExportPasswordException.class)
                .hasMessage("PSKC: wrong pre-shared key (the MAC key does not decrypt)");
    }

    @Test
    void preSharedKeyThatIsNoHexOrOfTheWrongLengthIsAWrongPassword() {
        assertThatThrownBy(() -> reader.read(utf8(PskcFiles.FIGURE_6), given("qwerty", new AtomicInteger())))
                .isInstanceOf(WrongExportPasswordException.class).hasMessageContaining("hex digits");
        assertThatThrownBy(() -> reader.read(utf8(PskcFiles.FIGURE_6), given("00112233", new AtomicInteger())))
                .isInstanceOf(WrongExportPasswordException.class).hasMessageContaining("4 bytes");
    }

    @Test
    void wrongPbkdf2PasswordIsAWrongPassword() {
        assertThatThrownBy(() -> reader.read(utf8(PskcFiles.FIGURE_7), given("azerty", new AtomicInteger())))
                .isInstanceOf(WrongExportPasswordException.class)
                .hasMessage("PSKC: wrong password (the MAC key does not decrypt)");
    }

    static List<PskcFiles.Key> vectors() {
        return PskcFiles.list(
                new PskcFiles.Key("t1", TOTP, "Example", null, "alice@example.com", "HMAC-SHA1", 6, 30, null, KEY20),
                new PskcFiles.Key("t2", TOTP, "Bank", "Bank:bob", null, "HMAC-SHA256", 8, 60, null, KEY32),
                new PskcFiles.Key("t3", TOTP, "Zürich Bänk", "Jürgen 🙂", null, "SHA-512", 7, 20, null, KEY64),
                new PskcFiles.Key("h1", HOTP, "Vendor", null, null, null, 6, null, 5L, KEY20),
                new PskcFiles.Key("t4", TOTP, "Fifty", "carol", null, "sha256", 8, 50, null, KEY32));
    }

    private static void assertVectors(Imported got) {
        assertThat(got.skipped()).isEmpty();
        List<OtpCredential> c = got.credentials();
        assertThat(c).hasSize(5);
        assertCredential(c.get(0), OathType.TOTP, "Example", "alice@example.com", HashAlgorithm.SHA1, 6, 30, 0, KEY20);
        assertCredential(c.get(1), OathType.TOTP, "Bank", "bob", HashAlgorithm.SHA256, 8, 60, 0, KEY32);
        assertCredential(c.get(2), OathType.TOTP, "Zürich Bänk", "Jürgen 🙂", HashAlgorithm.SHA512, 7, 20, 0, KEY64);
        assertCredential(c.get(3), OathType.HOTP, "Vendor", "h1", HashAlgorithm.SHA1, 6, 0, 5, KEY20);
        assertCredential(c.get(4), OathType.TOTP, "Fifty", "carol", HashAlgorithm.SHA256, 8, 50, 0, KEY32);
    }

    @Test
    void readsPlainKeysOfEveryHashDigitsAndPeriod() throws Exception {
        assertVectors(reader.read(utf8(PskcFiles.build(null, vectors())), never()));
    }

    @Test
    void readsKeysEncryptedWithAPreSharedKeyAndHmacSha256() throws Exception {
        String file = PskcFiles.build(PskcFiles.Protection.psk(PSK, HMAC_SHA256, MAC_KEY), vectors());
        AtomicInteger asked = new AtomicInteger();
        assertVectors(reader.read(utf8(file), given("00112233 44556677 8899AABB CCDDEEFF", asked)));
        assertThat(asked).as("the key is asked once per file").hasValue(1);
    }

    @Test
    void readsKeysEncryptedWithPbkdf2Sha256() throws Exception {
        PskcFiles.Protection p = PskcFiles.Protection.pbkdf2("correct horse".toCharArray(), PskcFiles.hex("0102030405060708"),
                2000, "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", HMAC_SHA1, MAC_KEY);
        assertVectors(reader.read(utf8(PskcFiles.build(p, vectors())), given("correct horse", new AtomicInteger())));
    }

    private static String pskFile() throws Exception {
        return PskcFiles.build(PskcFiles.Protection.psk(PSK, HMAC_SHA1, MAC_KEY), vectors());
    }

    /** The n-th Base64 text of an element in {@code file}. */
    private static String nth(String file, String element, int n) {
        int at = -1;
        for (int i = 0; i <= n; i++) {
            at = file.indexOf("<" + element + ">", at + 1);
        }
        int start = at + element.length() + 2;
        return file.substring(start, file.indexOf("<", start));
    }

    @Test
    void aWrongMacRefusesTheWholeFileBeforeAnyKeyIsDecrypted() throws Exception {
        String file = pskFile();
        String mac = nth(file, "ValueMAC", 3);
        byte[] m = java.util.Base64.getDecoder().decode(mac);
        m[0] ^= 1;
        String altered = file.replace(mac, java.util.Base64.getEncoder().encodeToString(m));
        Throwable e = catchThrowable(() -> reader.read(utf8(altered), given("00112233445566778899aabbccddeeff",
                new AtomicInteger())));
        assertThat(e).isInstanceOf(ImportException.class);
        assertThat(e).isNotInstanceOf(WrongExportPasswordException.class);
        assertThat(e).hasMessage("PSKC: the MAC of the Secret of key h1 does not match: the file was altered or the"
                + " key or password is wrong; nothing was decrypted");
    }

    @Test
    void aCiphertextAlteredUnderItsMacIsRefusedByTheMacNotByItsPadding() throws Exception {
        String file = pskFile();
        String cipher = nth(file, "xenc:CipherValue", 2);
        byte[] c = java.util.Base64.getDecoder().decode(cipher);
        c[c.length - 1] ^= 0x55;
        String altered = file.replace(cipher, java.util.Base64.getEncoder().encodeToString(c));
        assertThatThrownBy(() -> reader.read(utf8(altered), given("00112233445566778899aabbccddeeff",
                new AtomicInteger())))
                .isExactlyInstanceOf(ImportException.class)
                .hasMessageContaining("the MAC of the Secret of key t2 does not match");
    }

    @Test
    void truncatedCiphertextIsRefused() throws Exception {
        String file = pskFile();
        String cipher = nth(file, "xenc:CipherValue", 1);
        byte[] c = java.util.Base64.getDecoder().decode(cipher);
        String cut = java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(c, 24));
        assertThatThrownBy(() -> reader.read(utf8(file.replace(cipher, cut)), given("00", new AtomicInteger())))
                .isExactlyInstanceOf(ImportException.class)
                .hasMessage("PSKC: the ciphertext of the Secret of key t1 is 24 bytes, not an IV and whole AES blocks:"
                        + " truncated or malformed");
    }

    @Test
    void encryptedKeysWithoutAMacAreRefused() throws Exception {
        String file = pskFile();
        String noMac = file.replaceAll("(?s)<MACMethod.*?</MACMethod>", "");
        assertThatThrownBy(() -> reader.read(utf8(noMac), given("00112233445566778899aabbccddeeff",
                new AtomicInteger())))
                .isExactlyInstanceOf(ImportException.class)
                .hasMessageContaining("no MACMethod");
    }

    @Test
    void aWorkFactorBeyondTheBoundIsRefusedBeforeThePasswordIsAsked() throws Exception {
        PskcFiles.Protection p = PskcFiles.Protection.pbkdf2("pw".toCharArray(), PskcFiles.hex("0102030405060708"),
                10, null, HMAC_SHA1, MAC_KEY);
        String file = PskcFiles.build(p, vectors()).replace("<IterationCount>10<", "<IterationCount>1099511627776<");
        AtomicInteger asked = new AtomicInteger();
        assertThatThrownBy(() -> reader.read(utf8(file), given("pw", asked)))
                .isExactlyInstanceOf(ImportException.class)
                .hasMessage("PSKC: a PBKDF2 iteration count of 1099511627776; 1 to 1000000 are accepted");
        assertThat(asked).hasValue(0);
    }

    @Test
    void aDerivedKeyOfAnotherLengthThanTheCipherIsTheFilesFaultNotAWrongPassword() throws Exception {
        PskcFiles.Protection p = PskcFiles.Protection.pbkdf2("pw".toCharArray(), PskcFiles.hex("0102030405060708"),
                10, null, HMAC_SHA1, MAC_KEY);
        String file = PskcFiles.build(p, vectors()).replace("<KeyLength>16<", "<KeyLength>32<");
        assertThatThrownBy(() -> reader.read(utf8(file), given("pw", new AtomicInteger())))
                .isExactlyInstanceOf(ImportException.class)
                .hasMessage("PSKC: the key is 32 bytes but the MAC key's cipher needs 16");
    }

    @Test
    void aDoctypeIsRefusedSoNoExternalEntityIsRead() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE KeyContainer [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc">
                 <KeyPackage><Key Id="x" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:hotp">
                  <Issuer>&xxe;</Issuer><Data><Secret><PlainValue>MTIzNA==</PlainValue></Secret></Data>
                 </Key></KeyPackage></KeyContainer>
                """;
        assertThat(reader.recognises(utf8(xxe))).isTrue();
        assertThatThrownBy(() -> reader.read(utf8(xxe), never()))
                .isExactlyInstanceOf(ImportException.class)
                .hasMessage("PSKC: the file has a DOCTYPE, which PSKC files do not have; it is refused (no DTD, no"
                        + " entities) (line 2)");
    }

    @Test
    void billionLaughsIsRefusedWithoutExpandingAnything() {
        StringBuilder lol = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        for (int i = 1; i < 10; i++) {
            lol.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                lol.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
            }
            lol.append("\">\n");
        }
        lol.append("]>\n<KeyContainer Version=\"1.0\" xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\">")
                .append("<KeyPackage><Key Id=\"x\"><Issuer>&lol9;</Issuer></Key></KeyPackage></KeyContainer>");
        assertThatThrownBy(() -> reader.read(utf8(lol.toString()), never()))
                .isExactlyInstanceOf(ImportException.class)
                .hasMessageContaining("the file has a DOCTYPE");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "<KeyContainer Version=\"1.0\" xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\">"
                + "<a>".repeat(10_000) + "</a>".repeat(10_000) + "</KeyContainer>";
        assertThatThrownBy(() -> reader.read(utf8(deep), never()))
                .isExactlyInstanceOf(ImportException.class)
                .hasMessageStartingWith("PSKC: ");
    }

    @Test
    void keysTheTokenCannotHoldAreSkippedWithTheReasonAndTheRestRead() throws Exception {
        List<PskcFiles.Key> keys = new ArrayList<>(vectors());
        keys.add(new PskcFiles.Key("o1", "urn:ietf:params:xml:ns:keyprov:pskc#OCRA-1", "Bank", "ocra", null, null, 8,
                null, null, KEY20));
        keys.add(new PskcFiles.Key("m1", TOTP, "Old", "md5", null, "HMAC-MD5", 6, 30, null, KEY20));
        keys.add(new PskcFiles.Key("d9", TOTP, "Long", "nine", null, null, 9, 30, null, KEY20));
        Imported got = reader.read(utf8(PskcFiles.build(null, keys)), never());
        assertThat(got.credentials()).hasSize(5);
        assertThat(got.skipped()).extracting(s -> s.name() + ": " + s.reason()).containsExactly(
                "Bank:ocra: algorithm urn:ietf:params:xml:ns:keyprov:pskc#OCRA-1 is neither HOTP nor TOTP",
                "Old:md5: hash HMAC-MD5 not supported by the token (only SHA1, SHA256, SHA512)",
                "Long:nine: digits must be 6, 7 or 8 (got 9)");
    }

    @Test
    void otherDocumentsAreNotRecognisedAndNotRead() {
        assertThat(reader.recognises(utf8("{\"Authenticators\":[]}"))).isFalse();
        assertThat(reader.recognises(utf8("<html><body>KeyContainer</body></html>"))).isFalse();
        assertThat(reader.recognises(new byte[0])).isFalse();
        assertThatThrownBy(() -> reader.read(utf8("<html/>"), never()))
                .isExactlyInstanceOf(ImportException.class)
                .hasMessage("PSKC: the document is no KeyContainer of namespace urn:ietf:params:xml:ns:keyprov:pskc");
        assertThatThrownBy(() -> reader.read(utf8("<KeyContainer"), never()))
                .isExactlyInstanceOf(ImportException.class)
                .hasMessage("PSKC: not well-formed XML (line 1)");
    }

    @Test
    void aFileOf100MegabytesIsRefusedBySize() {
        byte[] huge = new byte[100 * 1024 * 1024];
        assertThatThrownBy(() -> reader.read(huge, never()))
                .isExactlyInstanceOf(ImportException.class)
                .hasMessage("PSKC: the file is 104857600 bytes; at most 33554432 are accepted");
    }

    @Test
    void noSecretInWhatIsShown() throws Exception {
        Imported got = reader.read(utf8(PskcFiles.build(null, vectors())), never());
        String shown = got + " " + got.credentials();
        assertThat(shown).doesNotContain("3132333435").doesNotContain("GEZDGNBV").doesNotContain("MTIzNDU2");
        got.destroy();
        assertThat(got.isDestroyed()).isTrue();
    }
}
