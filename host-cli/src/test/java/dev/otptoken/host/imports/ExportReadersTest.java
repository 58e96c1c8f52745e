package dev.otptoken.host.imports;

import static dev.otptoken.host.imports.ExportFixtures.PASSWORD;
import static dev.otptoken.host.imports.ExportFixtures.accounts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.otptoken.host.imports.ExportFixtures.Account;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.host.otpauth.Skipped;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.OathType;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each format read from files made as the apps make them (ExportFixtures): exact results, and every refusal. */
class ExportReadersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExportPassword RIGHT = what -> PASSWORD.toCharArray();
    private static final ExportPassword WRONG = what -> "Tr0ub4dor&3".toCharArray();
    private static final ExportPassword NEVER = what -> {
        throw new AssertionError("the password was asked");
    };

    @TempDir
    Path dir;

    /** What every reader must give for accounts(prefix): seven accounts, the MD5 one skipped. */
    private static void assertExact(Imported imported, String prefix, String format, boolean uriList) {
        List<Account> expected = accounts(prefix);
        assertThat(imported.format()).isEqualTo(format);
        List<OtpCredential> got = imported.credentials();
        List<Account> stored = expected.stream().filter(Account::stored).toList();
        assertThat(got).hasSize(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            Account a = stored.get(i);
            OtpCredential c = got.get(i);
            assertThat(c.name().display()).as(a.name()).isEqualTo(a.name());
            assertThat(c.secret().copy()).isEqualTo(HexFormat.of().parseHex(a.hexKey()));
            switch (a.kind()) {
                case STEAM -> {
                    assertThat(c.issuer()).isEqualTo("Steam");
                    assertThat(c.type()).isEqualTo(OathType.TOTP);
                    assertThat(c.algorithm()).isEqualTo(HashAlgorithm.SHA1);
                    assertThat(c.period()).isEqualTo(30);
                }
                case HOTP -> {
                    assertThat(c.type()).isEqualTo(OathType.HOTP);
                    assertThat(c.counter()).isEqualTo(a.counter());
                    assertThat(c.digits()).isEqualTo(a.digits());
                }
                case TOTP -> {
                    assertThat(c.type()).isEqualTo(OathType.TOTP);
                    assertThat(c.algorithm().name()).isEqualTo(a.algorithm());
                    assertThat(c.digits()).isEqualTo(a.digits());
                    assertThat(c.period()).isEqualTo(a.period());
                }
                default -> throw new AssertionError(a.kind());
            }
        }
        Skipped md5 = uriList ? new Skipped("line 10", "unsupported algorithm MD5 (only SHA1, SHA256, SHA512)")
                : new Skipped(prefix + " Old:md5", "MD5 not supported by the token");
        assertThat(imported.skipped()).containsExactly(md5);
        assertThat(imported.toString()).doesNotContain(expected.get(0).base32());
        imported.destroy();
        assertThat(imported.isDestroyed()).isTrue();
    }

    private static Imported read(byte[] file, ExportPassword password) throws ImportException {
        ExportReader reader = ExportReaders.recognise(file).orElseThrow();
        return reader.read(file, password);
    }

    @Test
    void aegisPlainAndEncrypted() throws Exception {
        assertExact(read(ExportFixtures.aegisPlain(accounts("A")), NEVER), "A", "Aegis vault", false);
        assertExact(read(ExportFixtures.aegisEncrypted(accounts("B"), PASSWORD), RIGHT), "B", "Aegis vault", false);
    }

    @Test
    void andOtpPlainAndEncrypted() throws Exception {
        assertExact(read(ExportFixtures.andOtpPlain(accounts("A")), NEVER), "A", "andOTP backup", false);
        assertExact(read(ExportFixtures.andOtpEncrypted(accounts("B"), PASSWORD), RIGHT), "B", "andOTP backup", false);
    }

    @Test
    void twoFasPlainAndEncrypted() throws Exception {
        assertExact(read(ExportFixtures.twoFasPlain(accounts("A")), NEVER), "A", "2FAS backup", false);
        assertExact(read(ExportFixtures.twoFasEncrypted(accounts("B"), PASSWORD), RIGHT), "B", "2FAS backup", false);
    }

    @Test
    void uriListWithCommentsBlankLinesAndCrLf() throws Exception {
        assertExact(read(ExportFixtures.uriList(accounts("U")), NEVER), "U", "otpauth URI list", true);
    }

    @Test
    void eachFixtureIsRecognisedByItsOwnReaderOnly() {
        List<Account> a = accounts("X");
        assertThat(owners(ExportFixtures.aegisPlain(a))).containsExactly("Aegis vault");
        assertThat(owners(ExportFixtures.aegisEncryptedFast(a, PASSWORD))).containsExactly("Aegis vault");
        assertThat(owners(ExportFixtures.andOtpPlain(a))).containsExactly("andOTP backup");
        assertThat(owners(ExportFixtures.andOtpEncryptedFast(a, PASSWORD))).containsExactly("andOTP backup");
        assertThat(owners(ExportFixtures.twoFasPlain(a))).containsExactly("2FAS backup");
        assertThat(owners(ExportFixtures.twoFasEncrypted(a, PASSWORD))).containsExactly("2FAS backup");
        assertThat(owners(ExportFixtures.uriList(a))).containsExactly("otpauth URI list");
        assertThat(owners("{\"hello\": 1}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(owners("https://example.com/\n".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(owners(new byte[0])).isEmpty();
    }

    private static List<String> owners(byte[] content) {
        return ExportReaders.ALL.stream().filter(r -> r.recognises(content)).map(ExportReader::format).toList();
    }

    @Test
    void aWrongPasswordIsWrongExportPasswordNamingNoSecret() {
        List<Account> a = accounts("W");
        for (byte[] file : List.of(ExportFixtures.aegisEncryptedFast(a, PASSWORD), ExportFixtures.andOtpEncryptedFast(a, PASSWORD),
                ExportFixtures.twoFasEncrypted(a, PASSWORD))) {
            assertThatThrownBy(() -> read(file, WRONG)).isInstanceOf(WrongExportPasswordException.class)
                    .hasMessageStartingWith("wrong password for the ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Tr0ub4dor", PASSWORD, a.get(0).base32(),
                            a.get(0).hexKey()).doesNotContain("\n"));
        }
    }

    @Test
    void aegisWithATamperedTagOrTruncatedContentIsDamagedNotAWrongPassword() throws Exception {
        ObjectNode vault = (ObjectNode) JSON.readTree(ExportFixtures.aegisEncryptedFast(accounts("T"), PASSWORD));
        ObjectNode params = (ObjectNode) vault.get("header").get("params");
        String tag = params.get("tag").asText();
        params.put("tag", (tag.charAt(0) == '0' ? "1" : "0") + tag.substring(1));
        assertThatThrownBy(() -> read(JSON.writeValueAsBytes(vault), RIGHT))
                .isExactlyInstanceOf(ImportException.class)
                .hasMessage("Aegis vault: the content does not match its authentication tag: the file is truncated or altered");
        params.put("tag", tag);
        String db = vault.get("db").asText();
        vault.put("db", db.substring(0, db.length() - 8));
        assertThatThrownBy(() -> read(JSON.writeValueAsBytes(vault), RIGHT))
                .isExactlyInstanceOf(ImportException.class).hasMessageContaining("truncated or altered");
    }

    @Test
    void truncatedCiphertextsAreRefused() {
        byte[] andOtp = ExportFixtures.andOtpEncryptedFast(accounts("T"), PASSWORD);
        assertThatThrownBy(() -> new AndOtpReader().read(Arrays.copyOf(andOtp, 40), RIGHT))
                .isExactlyInstanceOf(ImportException.class).hasMessageContaining("truncated (40 bytes");
        assertThatThrownBy(() -> new AndOtpReader().read(Arrays.copyOf(andOtp, andOtp.length - 1), RIGHT))
                .isInstanceOf(WrongExportPasswordException.class).hasMessageContaining("truncated or altered");
        String twoFas = "{\"schemaVersion\":4,\"services\":[],\"servicesEncrypted\":\"AAAA:AAAA:AAAAAAAAAAAAAAAA\"}";
        assertThatThrownBy(() -> read(twoFas.getBytes(StandardCharsets.UTF_8), NEVER))
                .isExactlyInstanceOf(ImportException.class)
                .hasMessage("2FAS backup: the ciphertext is truncated (shorter than its tag)");
    }

    @Test
    void workFactorsBeyondTheBoundsAreRefusedBeforeThePasswordIsAsked() {
        byte[] aegis = ExportFixtures.aegisEncrypted(accounts("N"), PASSWORD, 1L << 40, 8, 1);
        assertThatThrownBy(() -> read(aegis, NEVER)).isExactlyInstanceOf(ImportException.class)
                .hasMessage("Aegis vault: scrypt N 1099511627776 refused: a power of two from 2 to 2^20 is accepted");
        byte[] memory = ExportFixtures.aegisEncrypted(accounts("N"), PASSWORD, 1L << 20, 32, 1);
        assertThatThrownBy(() -> read(memory, NEVER)).hasMessageContaining("beyond 128 MiB of memory");
        byte[] work = ExportFixtures.aegisEncrypted(accounts("N"), PASSWORD, 1L << 17, 8, 2);
        assertThatThrownBy(() -> read(work, NEVER))
                .hasMessage("Aegis vault: scrypt N 131072, r 8, p 2 refused: beyond 128 MiB of memory or N·r·p of 2^20");
        byte[] notPowerOfTwo = ExportFixtures.aegisEncrypted(accounts("N"), PASSWORD, 3 << 10, 8, 1);
        assertThatThrownBy(() -> read(notPowerOfTwo, NEVER)).hasMessageContaining("scrypt N 3072 refused");
        byte[] andOtp = ExportFixtures.andOtpEncryptedFast(accounts("N"), PASSWORD);
        andOtp[1] = 0x7f; // 2^22 + ... iterations
        assertThatThrownBy(() -> read(andOtp, NEVER)).isExactlyInstanceOf(ImportException.class)
                .hasMessageStartingWith("andOTP backup: PBKDF2 iteration count 83").hasMessageEndingWith(
                        "refused: 1 to 2000000 are accepted");
    }

    @Test
    void aVaultOnlyABiometricSlotOpensIsRefusedWithTheRemedy() throws Exception {
        ObjectNode vault = (ObjectNode) JSON.readTree(ExportFixtures.aegisEncrypted(accounts("B"), PASSWORD));
        ((com.fasterxml.jackson.databind.node.ArrayNode) vault.get("header").get("slots")).remove(1);
        assertThatThrownBy(() -> read(JSON.writeValueAsBytes(vault), NEVER))
                .hasMessageStartingWith("Aegis vault: no password slot");
    }

    @Test
    void deepNestingIsAnImportExceptionNotAStackOverflow() throws Exception {
        String deepArray = "[".repeat(10_000) + "]".repeat(10_000);
        assertThatThrownBy(() -> new AndOtpReader().read(deepArray.getBytes(StandardCharsets.UTF_8), NEVER))
                .isExactlyInstanceOf(ImportException.class)
                .hasMessage("andOTP backup: refused: JSON nested more than 64 levels deep");
        String deepVault = "{\"version\":1,\"header\":{},\"db\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_001);
        assertThatThrownBy(() -> new AegisReader().read(deepVault.getBytes(StandardCharsets.UTF_8), NEVER))
                .isExactlyInstanceOf(ImportException.class)
                .hasMessage("Aegis vault: refused: JSON nested more than 64 levels deep");
        Path file = Files.writeString(dir.resolve("deep.json"), deepVault);
        assertThatThrownBy(() -> ExportFiles.read(file, NEVER)).isExactlyInstanceOf(ImportException.class)
                .hasMessage(file + ": refused: JSON nested more than 64 levels deep");
    }

    @Test
    void aHugeFileIsRefusedBeforeItIsRead() throws Exception {
        Path huge = dir.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(100L * 1024 * 1024); // sparse: no 100 MB written or read
        }
        assertThatThrownBy(() -> ExportFiles.read(huge, NEVER)).isExactlyInstanceOf(ImportException.class)
                .hasMessage(huge + ": 104857600 bytes: larger than the 33554432 bytes an export is read up to");
    }

    /** A pipe has no size to look at first: it is read one byte past the cap and refused, its bytes wiped. */
    @Test
    void contentBeyondTheCapIsRefusedAndWiped() {
        byte[] content = new byte[ExportSize.MAX_BYTES + 1];
        Arrays.fill(content, (byte) '{');
        Path pipe = Path.of("/dev/stdin");
        assertThatThrownBy(() -> ExportFiles.read(pipe, content, NEVER)).isExactlyInstanceOf(ImportException.class)
                .hasMessage(pipe + ": larger than the 33554432 bytes an export is read up to");
        assertThat(content).containsOnly((byte) 0);
    }

    @Test
    void aFileOfNoKnownFormatIsOneLineNamingTheFormats() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "my passwords\nare elsewhere\n");
        assertThatThrownBy(() -> ExportFiles.read(notes, NEVER)).isExactlyInstanceOf(ImportException.class)
                .hasMessage(notes + ": not a QR image, a text file of otpauth URIs or an export otptoken reads (Aegis"
                        + " vault, 2FAS backup, andOTP backup, Authenticator Pro backup, Bitwarden JSON export, Proton"
                        + " Authenticator export, PSKC, Bitwarden CSV export, Ente Auth export, otpauth URI list)");
        Path broken = Files.writeString(dir.resolve("broken.json"), "[{\"secret\": GEZDGNBVGY3TQOJQ, \"type\": \"TOTP\"}]");
        assertThatThrownBy(() -> ExportFiles.read(broken, NEVER)).isExactlyInstanceOf(ImportException.class)
                .hasMessage(broken + ": not valid JSON").hasNoCause();
        Path empty = Files.createFile(dir.resolve("empty"));
        assertThatThrownBy(() -> ExportFiles.read(empty, NEVER)).hasMessage(empty + ": empty file");
        assertThatThrownBy(() -> ExportFiles.read(dir.resolve("missing"), NEVER))
                .hasMessage("cannot read " + dir.resolve("missing") + ": no such file");
        assertThatThrownBy(() -> ExportFiles.read(dir, NEVER)).hasMessage("cannot read " + dir + ": is a directory");
    }

    @Test
    void theFileIsNamedInEveryMessageAndThePasswordIsAskedWithIt() throws Exception {
        Path vault = Files.write(dir.resolve("vault.json"), ExportFixtures.aegisEncryptedFast(accounts("F"), PASSWORD));
        AtomicInteger asked = new AtomicInteger();
        assertThatThrownBy(() -> ExportFiles.read(vault, what -> {
            assertThat(what).isEqualTo(vault + " (Aegis vault)");
            asked.incrementAndGet();
            return "nope".toCharArray();
        })).isInstanceOf(WrongExportPasswordException.class)
                .hasMessage(vault + ": wrong password for the Aegis vault (no password slot opens)");
        assertThat(asked).hasValue(1);
    }

    @Test
    void entriesTheTokenCannotStoreAreSkippedWithTheReason() throws Exception {
        String aegis = """
                {"version":1,"header":{"slots":null,"params":null},"db":{"version":2,"entries":[
                 {"type":"yandex","name":"y","issuer":"Yandex","info":{"secret":"GEZDGNBV","algo":"SHA256","digits":8,"period":30}},
                 {"type":"totp","name":"five","issuer":"X","info":{"secret":"GEZDGNBV","algo":"SHA1","digits":5,"period":30}},
                 {"type":"totp","name":"slow","issuer":"X","info":{"secret":"GEZDGNBV","algo":"SHA1","digits":6,"period":7200}},
                 {"type":"hotp","name":"big","issuer":"X","info":{"secret":"GEZDGNBV","algo":"SHA1","digits":6,"counter":4294967296}},
                 {"type":"totp","name":"bad","issuer":"X","info":{"secret":"!!","algo":"SHA1","digits":6,"period":30}},
                 {"type":"totp","name":"","issuer":"","info":{"secret":"GEZDGNBV","algo":"SHA1","digits":6,"period":30}},
                 {"type":"totp","name":"","issuer":"GitHub","info":{"secret":"GEZDGNBV","algo":"SHA1","digits":6,"period":30}}
                ]}}""";
        Imported imported = new AegisReader().read(aegis.getBytes(StandardCharsets.UTF_8), NEVER);
        assertThat(imported.skipped()).containsExactly(
                new Skipped("Yandex:y", "type yandex not supported by the token"),
                new Skipped("X:five", "5 digits not supported by the token (6 to 8)"),
                new Skipped("X:slow", "period 7200 s not supported by the token (1 to 3600)"),
                new Skipped("X:big", "counter 4294967296 not supported by the token (0 to 4294967295)"),
                new Skipped("X:bad", "secret is not valid Base32"),
                new Skipped("(unnamed)", "no name"));
        assertThat(imported.credentials()).singleElement()
                .satisfies(c -> assertThat(c.name().display()).isEqualTo("GitHub"));
        imported.destroy();
    }

    @Test
    void versionsNewerThanKnownAreRefused() {
        assertThatThrownBy(() -> new AegisReader().read(
                "{\"version\":2,\"header\":{},\"db\":{}}".getBytes(StandardCharsets.UTF_8), NEVER))
                .hasMessage("Aegis vault: version 2 is not supported (1)");
        assertThatThrownBy(() -> new TwoFasReader().read(
                "{\"schemaVersion\":5,\"services\":[]}".getBytes(StandardCharsets.UTF_8), NEVER))
                .hasMessage("2FAS backup: schema version 5 is not supported (1 to 4)");
    }
}
