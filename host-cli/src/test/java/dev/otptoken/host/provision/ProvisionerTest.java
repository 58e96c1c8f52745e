package dev.otptoken.host.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.host.imports.ExportFixtures;
import dev.otptoken.host.imports.ExportPassword;
import dev.otptoken.host.imports.WrongExportPasswordException;
import dev.otptoken.host.otpauth.InvalidUriException;
import dev.otptoken.host.otpauth.OtpInput;
import dev.otptoken.host.otpauth.MigrationBatch;
import dev.otptoken.host.otpauth.MigrationPayloadTest;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.host.qr.QrEncoder;
import dev.otptoken.host.session.ScriptedTransport;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.TokenAddress;
import dev.otptoken.protocol.apdu.ApduException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provisioning service against scripted tokens in exact hex, at host time 59 s. */
class ProvisionerTest {
    private static final String DEVICE_SELECT = "00 A4 04 00 08 F0 4F 54 50 54 4B 4E 01";
    /** A token without the device applet is asked for the management application next (a YubiKey's). */
    private static final String MANAGEMENT_SELECT = "00 A4 04 00 08 A0 00 00 05 27 47 11 17";
    private static final String SELECT = "00 A4 04 00 07 A0 00 00 05 27 21 01";
    private static final String SELECTED = "79 03 05 07 00 71 08 0102030405060708 90 00";
    private static final String LIST = "00 A1 00 00 00";
    private static final String CALCULATE_ALL = "00 A4 00 01 0A 74 08 0000000000000001";
    private static final String ALICE = "4578616d706c653a616c696365";
    private static final String URI = "otpauth://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            + "&issuer=Example";
    private static final String PUT_ALICE = "00 01 00 00 27 71 0D " + ALICE
            + " 73 16 21 06 3132333435363738393031323334353637383930";
    private static final String PUT_ALICE_TOUCH = "00 01 00 00 29 71 0D " + ALICE
            + " 73 16 21 06 3132333435363738393031323334353637383930 78 02";
    /** CALCULATE of alice for step 1 (T = 59 s); RFC 6238 gives 287082, 0x41397EEA truncated. */
    private static final String CALCULATE_ALICE = "00 A2 00 01 19 71 0D " + ALICE + " 74 08 0000000000000001";
    private static final String ALICE_CODE = "76 05 06 41397EEA 90 00";

    private static final TokenAddress PRIMARY = new TokenAddress.SerialPort("/dev/pts/4");
    private static final TokenAddress BACKUP = new TokenAddress.SerialPort("/dev/pts/5");

    private static final ExportPassword NO_PASSWORD = what -> {
        throw new AssertionError("a password was asked");
    };

    @TempDir
    Path dir;

    private final Map<String, ScriptedTransport> tokens = new HashMap<>();
    private final Recorder told = new Recorder();
    private final Token.Opener opener = port -> tokens.get(port.device());
    private final Provisioner provisioner = new Provisioner(opener, InstantSource.fixed(Instant.ofEpochSecond(59)),
            prompt -> null, told);

    /** Everything the provisioner told, in order. */
    private static final class Recorder implements ProvisionListener {
        final List<String> events = new ArrayList<>();
        final List<TokenReport> done = new ArrayList<>();
        ProvisionStop stop;

        @Override
        public void migrationBatch(Optional<Path> image, MigrationBatch batch) {
            events.add("batch " + image.map(Path::toString).orElse("uri") + " " + batch.accepted().size());
        }

        @Override
        public void incompleteExport(MigrationBatch.Incomplete export) {
            events.add("incomplete " + export.batchSize() + " " + export.missing());
        }

        @Override
        public void writing(List<TokenAddress> to) {
            events.add("writing " + String.join(" ", to.stream().map(TokenAddress::label).toList()));
        }

        @Override
        public void exportRead(OtpInput.Export export) {
            events.add("export " + export.file() + " " + export.credentials().size() + " " + export.skipped().size());
        }

        @Override
        public void touchToProve(TokenAddress token, String account) {
            events.add("touch " + token.label() + " " + account);
        }

        @Override
        public void tokenDone(TokenReport report) {
            events.add("done " + report.token().label());
            done.add(report);
        }

        @Override
        public void stopped(ProvisionStop s) {
            events.add("stopped " + s.stoppedAt().label());
            stop = s;
        }
    }

    private ScriptedTransport token(TokenAddress address) {
        ScriptedTransport t = new ScriptedTransport();
        tokens.put(address.label(), t);
        return t;
    }

    /** A token without a device applet that holds nothing. */
    private ScriptedTransport empty(TokenAddress address) {
        return token(address).expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED).expect(LIST, "90 00");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ProvisionerTest.class.getResourceAsStream("/qr/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    @Test
    void aUriIsOneAccountNamedAsListShowsIt() throws Exception {
        try (ProvisionBatch batch = provisioner.decodeUri(URI)) {
            assertThat(batch.names()).containsExactly("Example:alice");
            assertThat(batch.inputs()).hasSize(1);
            assertThat(batch.toString()).doesNotContain("GEZDGNBV");
        }
        assertThat(told.events).isEmpty();
    }

    @Test
    void closingTheBatchWipesEveryKey() throws Exception {
        ProvisionBatch batch = provisioner.decodeUri(resource("migration.txt"));
        List<OtpCredential> credentials = batch.credentials();
        assertThat(credentials).isNotEmpty().noneMatch(OtpCredential::isDestroyed);
        batch.close();
        assertThat(credentials).allMatch(OtpCredential::isDestroyed);
        assertThat(batch.isDestroyed()).isTrue();
    }

    @Test
    void aMigrationExportIsToldWithWhereItCameFrom() throws Exception {
        Path png = dir.resolve("export.png");
        QrEncoder.encodePng(resource("migration.txt"), png, 8);
        try (ProvisionBatch fromUri = provisioner.decodeUri(resource("migration.txt"));
             ProvisionBatch fromImage = provisioner.decodeImages(List.of(png))) {
            int n = fromUri.credentials().size();
            assertThat(fromImage.names()).isEqualTo(fromUri.names());
            assertThat(told.events).containsExactly("batch uri " + n, "batch " + png + " " + n);
        }
    }

    /** Code {@code index} (from 0) of a Google Authenticator export of 2 (id 99) holding Example:NAME, alice's key. */
    private static String codeOfTwo(int index, String name) throws IOException {
        return MigrationPayloadTest.uri(MigrationPayloadTest.payload(2, index, 99, MigrationPayloadTest.otp(
                "12345678901234567890".getBytes(StandardCharsets.US_ASCII), name, "Example", 1, 1, 2, 0)));
    }

    private static String firstOfTwoCodes() throws IOException {
        return codeOfTwo(0, "alice");
    }

    /** A text file of URIs holding one code of an export and an image holding the other make it whole. */
    @Test
    void theCodesOfTextFilesAndImagesCountTogether() throws Exception {
        Path file = Files.writeString(dir.resolve("uris.txt"), "# from a scanner app\n" + firstOfTwoCodes() + "\n");
        try (ProvisionBatch batch = provisioner.decodeFiles(List.of(file), NO_PASSWORD, false)) {
            assertThat(batch.incompleteExports()).containsExactly(new MigrationBatch.Incomplete(2, List.of(2)));
        }
        Path png = dir.resolve("second.png");
        QrEncoder.encodePng(codeOfTwo(1, "bob"), png, 8);
        try (ProvisionBatch batch = provisioner.decodeFiles(List.of(file, png), NO_PASSWORD, false)) {
            assertThat(batch.names()).containsExactly("Example:alice", "Example:bob");
            assertThat(batch.incompleteExports()).isEmpty();
        }
    }

    /**
     * Google Authenticator splits a large export into several QR codes: an input that holds some
     * of them is told once every token is checked, just before the writing, so that the user
     * scans the others too.
     */
    @Test
    void anExportOfWhichSomeCodesAreNotGivenIsToldBeforeTheWriting() throws Exception {
        empty(PRIMARY).expect(PUT_ALICE, "90 00").expect(CALCULATE_ALICE, ALICE_CODE);
        try (ProvisionBatch batch = provisioner.decodeUri(firstOfTwoCodes())) {
            assertThat(batch.incompleteExports()).containsExactly(new MigrationBatch.Incomplete(2, List.of(2)));
            provisioner.provision(batch, List.of(PRIMARY), new Provisioner.Options(false, false));
        }
        tokens.values().forEach(ScriptedTransport::assertDone);
        assertThat(told.events).containsExactly("batch uri 1", "incomplete 2 [2]", "writing /dev/pts/4",
                "done /dev/pts/4");
    }

    /** A refused token gets its refusal alone: no word of the codes missing from an input that is not written. */
    @Test
    void aRefusedTokenHearsNothingOfTheCodesNotGiven() throws Exception {
        token(PRIMARY).expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED)
                .expect(LIST, "72 0E 21 " + ALICE + " 90 00")
                .expect(CALCULATE_ALL, "71 0D " + ALICE + " 76 05 06 4C93CF18 90 00");
        try (ProvisionBatch batch = provisioner.decodeUri(firstOfTwoCodes())) {
            assertThatThrownBy(() -> provisioner.provision(batch, List.of(PRIMARY), new Provisioner.Options(false, false)))
                    .isInstanceOf(ProvisionInputException.class);
        }
        assertThat(told.events).containsExactly("batch uri 1");
    }

    @Test
    void everyImageIsDecodedAndANameTwiceIsRefused() throws Exception {
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        QrEncoder.encodePng(URI, a, 8);
        QrEncoder.encodePng(resource("hotp.txt"), b, 8);
        try (ProvisionBatch batch = provisioner.decodeImages(List.of(a, b))) {
            assertThat(batch.names()).containsExactly("Example:alice", "Example:bob");
            assertThat(batch.inputs()).hasSize(2);
        }
        assertThatThrownBy(() -> provisioner.decodeImages(List.of(a, b, a)))
                .isInstanceOf(ProvisionInputException.class).hasMessage("account Example:alice appears twice in the input");
    }

    @Test
    void filesAreImagesOrExportsByContentAndAllAreValidatedTogether() throws Exception {
        Path image = dir.resolve("looks-like.json"); // a PNG whatever its name
        QrEncoder.encodePng(URI, image, 8);
        Path vault = Files.write(dir.resolve("vault.png"), ExportFixtures.aegisPlain(ExportFixtures.accounts("V")));
        Path uris = Files.write(dir.resolve("uris"), ExportFixtures.uriList(ExportFixtures.accounts("U")));
        try (ProvisionBatch batch = provisioner.decodeFiles(List.of(image, vault, uris), NO_PASSWORD, false)) {
            assertThat(batch.names()).hasSize(15).startsWith("Example:alice", "V Sha1:six-30")
                    .contains("Steam:V gaben", "U Bücher:zoë@例え.jp");
            assertThat(batch.inputs()).hasSize(3);
        }
        assertThat(told.events).containsExactly("export " + vault + " 7 1", "export " + uris + " 7 1");
    }

    /**
     * A pipe ({@code provision /dev/stdin}, {@code provision <(curl ...)}) can be read only once:
     * it is read whole, then taken as an image or an export by its content, as a file is.
     */
    @Test
    void aPipeOfAnImageOrOfAnExportIsReadOnceAndRecognised() throws Exception {
        Path png = dir.resolve("alice.png");
        QrEncoder.encodePng(URI, png, 8);
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        Thread image = feed(fifo, Files.readAllBytes(png));
        try (ProvisionBatch batch = provisioner.decodeFiles(List.of(fifo), NO_PASSWORD, false)) {
            assertThat(batch.names()).containsExactly("Example:alice");
        }
        image.join();

        Thread vault = feed(fifo, ExportFixtures.aegisPlain(ExportFixtures.accounts("V")));
        try (ProvisionBatch batch = provisioner.decodeFiles(List.of(fifo), NO_PASSWORD, false)) {
            assertThat(batch.names()).hasSize(7).startsWith("V Sha1:six-30");
        }
        vault.join();

        Thread text = feed(fifo, "not a picture\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> provisioner.decodeFiles(List.of(fifo), NO_PASSWORD, false))
                .isInstanceOf(dev.otptoken.host.imports.ImportException.class)
                .hasMessageStartingWith(fifo + ": not a QR image, a text file of otpauth URIs or an export");
        text.join();
    }

    private static Thread feed(Path fifo, byte[] bytes) {
        Thread t = new Thread(() -> {
            try {
                Files.write(fifo, bytes);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        t.start();
        return t;
    }

    /** A file of which every line is skipped says why for each, as it does when one line is usable. */
    @Test
    void aFileOfOnlySkippedLinesGivesTheirReasons() throws Exception {
        Path uris = Files.writeString(dir.resolve("bad.txt"), "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP&digits=0\n"
                + "otpauth://totp/B:b?secret=JBSWY3DPEHPK3PXP&algorithm=MD5\n");
        assertThatThrownBy(() -> provisioner.decodeFiles(List.of(uris), NO_PASSWORD, false))
                .isInstanceOf(ProvisionInputException.class)
                .hasMessageStartingWith("nothing to provision: 2 accounts skipped: line 1 (")
                .hasMessageContaining("; line 2 (")
                .hasMessageNotContaining("JBSWY3DPEHPK3PXP");
        assertThat(told.events).isEmpty();
    }

    @Test
    void strictRefusesAnySkipAndANameInTwoFilesIsRefusedWithNothingTold() throws Exception {
        Path vault = Files.write(dir.resolve("vault.json"), ExportFixtures.aegisPlain(ExportFixtures.accounts("V")));
        Path again = Files.write(dir.resolve("again.2fas"), ExportFixtures.twoFasPlain(ExportFixtures.accounts("V")));
        assertThatThrownBy(() -> provisioner.decodeFiles(List.of(vault), NO_PASSWORD, true))
                .isInstanceOf(ProvisionInputException.class)
                .hasMessage("--strict: 1 account cannot be stored: V Old:md5 (MD5 not supported by the token);"
                        + " nothing was written");
        assertThatThrownBy(() -> provisioner.decodeFiles(List.of(vault, again), NO_PASSWORD, false))
                .isInstanceOf(ProvisionInputException.class)
                .hasMessage("account V Sha1:six-30 appears twice in the input");
        assertThat(told.events).isEmpty();
    }

    @Test
    void aWrongExportPasswordStopsDecodingWithNothingTold() throws Exception {
        Path plain = Files.write(dir.resolve("plain.json"), ExportFixtures.andOtpPlain(ExportFixtures.accounts("P")));
        Path sealed = Files.write(dir.resolve("sealed.aes"),
                ExportFixtures.andOtpEncryptedFast(ExportFixtures.accounts("S"), ExportFixtures.PASSWORD));
        assertThatThrownBy(() -> provisioner.decodeFiles(List.of(plain, sealed), what -> "wrong".toCharArray(), false))
                .isInstanceOf(WrongExportPasswordException.class)
                .hasMessageStartingWith(sealed + ": wrong password for the andOTP backup");
        assertThat(told.events).isEmpty();
    }

    @Test
    void aQrCodeThatIsNotAnAccountIsRefusedNamingItsImage() throws Exception {
        Path png = dir.resolve("site.png");
        QrEncoder.encodePng(resource("https.txt"), png, 8);
        assertThatThrownBy(() -> provisioner.decodeImages(List.of(png))).isInstanceOf(ProvisionInputException.class)
                .hasMessage(png + ": QR code does not hold an otpauth URI");
        // a URI given as text is not a QR code: the message says what it is not, without naming a QR code
        assertThatThrownBy(() -> provisioner.decodeUri(resource("https.txt"))).isInstanceOf(InvalidUriException.class)
                .hasMessage(OtpInput.NOT_OTPAUTH);
    }

    @Test
    void eachTokenIsWrittenProvenAndReportedInTurn() throws Exception {
        empty(PRIMARY).expect(PUT_ALICE, "90 00").expect(CALCULATE_ALICE, ALICE_CODE);
        empty(BACKUP).expect(PUT_ALICE, "90 00").expect(CALCULATE_ALICE, ALICE_CODE);
        List<TokenReport> reports;
        try (ProvisionBatch batch = provisioner.decodeUri(URI)) {
            reports = provisioner.provision(batch, List.of(PRIMARY, BACKUP), new Provisioner.Options(false, false));
        }
        tokens.values().forEach(ScriptedTransport::assertDone);
        assertThat(reports).extracting(TokenReport::token).containsExactly(PRIMARY, BACKUP);
        assertThat(reports).allMatch(TokenReport::allProven);
        assertThat(reports.get(0).names(AccountState.PROVEN)).containsExactly("Example:alice");
        assertThat(told.events).containsExactly("writing /dev/pts/4 /dev/pts/5", "done /dev/pts/4", "done /dev/pts/5");
        assertThat(told.done).isEqualTo(reports);
    }

    @Test
    void aNameTheBackupHoldsStopsEverythingBeforeAnyWrite() throws Exception {
        ScriptedTransport primary = empty(PRIMARY);
        token(BACKUP).expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82").expect(SELECT, SELECTED).expect(LIST, "72 0E 21 " + ALICE + " 90 00")
                .expect(CALCULATE_ALL, "71 0D " + ALICE + " 76 05 06 4C93CF18 90 00");
        try (ProvisionBatch batch = provisioner.decodeUri(URI)) {
            assertThatThrownBy(() -> provisioner.provision(batch, List.of(PRIMARY, BACKUP),
                    new Provisioner.Options(false, false)))
                    .isInstanceOf(ProvisionInputException.class)
                    .hasMessage("/dev/pts/5 already holds Example:alice (use --overwrite to replace it);"
                            + " nothing was written");
        }
        primary.assertDone(); // the primary was checked, never written
        assertThat(told.events).isEmpty();
    }

    @Test
    void aTokenWithoutRoomIsRefusedBeforeAnyWrite() throws Exception {
        // GET INFO: room for one account, and the token holds bob
        String bob = "60/Acme:bob";
        String bobHex = HexFormat.of().formatHex(bob.getBytes(StandardCharsets.US_ASCII));
        token(PRIMARY).expect(DEVICE_SELECT, "90 00").expect("80 01 00 00 00",
                        "01 04 00000001 02 03 000100 03 04 00000000 04 04 00008000 05 02 0001 06 02 0001"
                        + " 07 04 0000001F 90 00")
                .expect(SELECT, SELECTED).expect(LIST, "72 0C 22 " + bobHex + " 90 00")
                .expect(CALCULATE_ALL, "71 0B " + bobHex + " 7C 01 08 90 00");
        try (ProvisionBatch batch = provisioner.decodeUri(URI)) {
            assertThatThrownBy(() -> provisioner.provision(batch, List.of(PRIMARY), new Provisioner.Options(false, false)))
                    .isInstanceOf(ProvisionInputException.class)
                    .hasMessage("/dev/pts/4 has room for 0 more accounts (1 of 1 in use) and the input adds 1;"
                            + " nothing was written");
        }
        tokens.get(PRIMARY.label()).assertDone();
    }

    @Test
    void aRefusalOnTheBackupReportsWhatEveryTokenHoldsThenThrowsIt() throws Exception {
        empty(PRIMARY).expect(PUT_ALICE, "90 00").expect(CALCULATE_ALICE, ALICE_CODE);
        empty(BACKUP).expect(PUT_ALICE, "6A 84");
        try (ProvisionBatch batch = provisioner.decodeUri(URI)) {
            assertThatThrownBy(() -> provisioner.provision(batch, List.of(PRIMARY, BACKUP),
                    new Provisioner.Options(false, false)))
                    .isInstanceOfSatisfying(ApduException.class, e -> assertThat(e.statusWord()).isEqualTo(0x6A84));
        }
        assertThat(told.events).containsExactly("writing /dev/pts/4 /dev/pts/5", "done /dev/pts/4", "stopped /dev/pts/5");
        ProvisionStop stop = told.stop;
        assertThat(stop.stoppedAt()).isEqualTo(BACKUP);
        assertThat(stop.tokens()).extracting(TokenReport::token).containsExactly(PRIMARY, BACKUP);
        assertThat(stop.tokens().get(0).states()).containsExactly(AccountState.PROVEN);
        assertThat(stop.tokens().get(1).states()).containsExactly(AccountState.ABSENT);
        assertThat(stop.failure()).hasValueSatisfying(f -> {
            assertThat(f.account()).isEqualTo("Example:alice");
            assertThat(f.cause()).isInstanceOf(ApduException.class);
        });
    }

    @Test
    void aLostAnswerIsSettledByAskingTheTokenAgain() throws Exception {
        empty(PRIMARY).expect(PUT_ALICE, ScriptedTransport.DEAD_LINE)
                .expect(SELECT, SELECTED).expect(LIST, "90 00");
        try (ProvisionBatch batch = provisioner.decodeUri(URI)) {
            assertThatThrownBy(() -> provisioner.provision(batch, List.of(PRIMARY), new Provisioner.Options(false, false)))
                    .isInstanceOf(IOException.class);
        }
        tokens.get(PRIMARY.label()).assertDone();
        assertThat(told.stop.tokens().get(0).states()).containsExactly(AccountState.ABSENT);
    }

    @Test
    void aCodeThatDiffersFromTheHostsLeavesTheAccountWrittenNotProven() throws Exception {
        empty(PRIMARY).expect(PUT_ALICE, "90 00").expect(CALCULATE_ALICE, "76 05 06 4C93CF18 90 00");
        try (ProvisionBatch batch = provisioner.decodeUri(URI)) {
            assertThatThrownBy(() -> provisioner.provision(batch, List.of(PRIMARY), new Provisioner.Options(false, false)))
                    .isInstanceOf(IOException.class)
                    .hasMessage("/dev/pts/4: Example:alice was written but its code differs from the host's:"
                            + " the account on the token is wrong");
        }
        assertThat(told.stop.tokens().get(0).states()).containsExactly(AccountState.WRITTEN);
    }

    @Test
    void aTouchAccountIsToldBeforeItsProof() throws Exception {
        empty(PRIMARY).expect(PUT_ALICE_TOUCH, "90 00").expect(CALCULATE_ALICE, ALICE_CODE);
        try (ProvisionBatch batch = provisioner.decodeUri(URI)) {
            provisioner.provision(batch, List.of(PRIMARY), new Provisioner.Options(true, false));
        }
        tokens.get(PRIMARY.label()).assertDone();
        assertThat(told.events).containsExactly("writing /dev/pts/4", "touch /dev/pts/4 Example:alice", "done /dev/pts/4");
    }
}
