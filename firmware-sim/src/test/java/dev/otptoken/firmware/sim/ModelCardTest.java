package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.firmware.runtime.CardRuntime;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Hotp;
import dev.otptoken.protocol.oath.OtpFormat;
import dev.otptoken.testing.Hex;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Each model's card as its contactless interface answers, exact bytes: the applets it has
 * (and the 6A82 of those it has not), the management application's answers, the OATH
 * applet's version, capacity, HMAC computations (RFC 2202 and RFC 4231 vectors through
 * CALCULATE), 61xx chaining at full capacity, the password lock, and the APDU forms.
 */
class ModelCardTest {
    static final String OATH_SELECT = "00A4040007A0000005272101";
    static final String MANAGEMENT_SELECT = "00A4040008A000000527471117";
    static final String DEVICE_SELECT = "00A4040008F04F5450544B4E01";
    static final long SERIAL = 12_345_678L;
    /** 12345678 as the four bytes of tag 02. */
    static final String SERIAL_HEX = "00BC614E";
    static final String RESET = "0004DEAD";

    private SimulatedToken token;
    private Card card;

    @AfterEach
    void stop() {
        if (token != null) {
            token.stop(false, 1_000);
        }
    }

    /** A fresh token of {@code model} in this JVM, without a line: its contactless card. */
    private void start(DeviceModel model) throws Exception {
        SimOptions options = new SimOptions();
        new CommandLine(options).parseArgs("--model", model.cliName, "--serial", Long.toString(SERIAL),
                "--start-time", "2030-01-01T00:00:00Z");
        assertThat(options.validate()).isEmpty();
        token = SimulatedToken.create(options, InstantSource.system(), () -> { }, w -> { });
        card = token.card(CardRuntime.CONTACTLESS);
    }

    private String tx(String hex) {
        return Hex.of(card.transmit(Hex.bytes(hex.replace(" ", ""))));
    }

    static String apdu(int ins, int p1, int p2, String data) {
        String d = data.replace(" ", "");
        return String.format(Locale.ROOT, "00%02X%02X%02X%02X", ins, p1, p2, d.length() / 2) + d;
    }

    static String tlv(int tag, String hex) {
        String v = hex.replace(" ", "");
        return String.format(Locale.ROOT, "%02X%02X", tag, v.length() / 2) + v;
    }

    static String text(String s) {
        return Hex.of(s.getBytes(StandardCharsets.UTF_8));
    }

    static String put(String name, int typeAlg, int digits, byte[] key, String extra) {
        return apdu(0x01, 0, 0, tlv(0x71, text(name)) + tlv(0x73, String.format(Locale.ROOT, "%02X%02X", typeAlg, digits)
                + Hex.of(key)) + extra);
    }

    static String calculate(String name, String challengeHex, int p2) {
        return apdu(0xA2, 0, p2, tlv(0x71, text(name)) + tlv(0x74, challengeHex));
    }

    private static String version(DeviceModel m) {
        return String.format(Locale.ROOT, "%02X%02X%02X", m.oath.major(), m.oath.minor(), m.oath.patch());
    }

    // ---- which applications answer ----

    @ParameterizedTest
    @EnumSource(DeviceModel.class)
    void oathSelectReportsTheModelsVersionAndASalt(DeviceModel model) throws Exception {
        start(model);
        String expected = switch (model) {
            case OTPTOKEN -> "050700";
            case YUBIKEY_5_NFC -> "050403";
            case YUBIKEY_5_NFC_5_7 -> "050701";
        };
        assertThat(tx(OATH_SELECT)).matches("7903" + expected + "7108[0-9A-F]{16}9000");
    }

    @Test
    void theYubiKeyModelsManagementApplicationAnswersAsFirmware543() throws Exception {
        start(DeviceModel.YUBIKEY_5_NFC);
        assertThat(tx(MANAGEMENT_SELECT)).isEqualTo(text("Virtual mgr - FW version 5.4.3") + "9000");
        // ykman sends 00 1D 00 00 00; the answer is one length byte and the TLVs
        String page0 = "2E" + "0102033F" + "03020024" + "0204" + SERIAL_HEX + "040101" + "0503050403" + "06020000"
                + "07010F" + "080100" + "0D02033F" + "0E020024" + "0A0100" + "0F0100";
        assertThat(tx("001D000000")).isEqualTo(page0 + "9000");
        assertThat(tx("001D0000")).as("no Le").isEqualTo(page0 + "9000");
        assertThat(tx("001D010000")).as("one page only").isEqualTo("6A86");
    }

    @Test
    void theFirmware57ModelsManagementApplicationHasTwoPages() throws Exception {
        start(DeviceModel.YUBIKEY_5_NFC_5_7);
        assertThat(tx(MANAGEMENT_SELECT)).isEqualTo(text("Virtual mgr - FW version 5.7.1") + "9000");
        String page0 = "3B" + "0102033F" + "03020024" + "0204" + SERIAL_HEX + "040101" + "0503050701" + "06020000"
                + "07010F" + "080100" + "0D02033F" + "0E020024" + "0A0100" + "0F0100" + "2003000000" + "2103000000"
                + "100101";
        assertThat(tx("001D000000")).isEqualTo(page0 + "9000");
        assertThat(tx("001D010000")).isEqualTo("09" + "110400000000" + "120100" + "9000");
        assertThat(tx("001D020000")).isEqualTo("6A86");
    }

    @ParameterizedTest
    @EnumSource(value = DeviceModel.class, names = {"YUBIKEY_5_NFC", "YUBIKEY_5_NFC_5_7"})
    void theManagementApplicationRefusesWhatItDoesNotDo(DeviceModel model) throws Exception {
        start(model);
        assertThat(tx(MANAGEMENT_SELECT)).endsWith("9000");
        assertThat(tx("001D000100")).as("P2").isEqualTo("6A86");
        assertThat(tx("001DFF0000")).as("P1").isEqualTo("6A86");
        assertThat(tx("001D00000100")).as("data").isEqualTo("6700");
        assertThat(tx("001C000003020020")).as("WRITE CONFIG").isEqualTo("6D00");
        assertThat(tx("0016110000")).as("SET MODE").isEqualTo("6D00");
        assertThat(tx("00A1000000")).as("an OATH instruction").isEqualTo("6D00");
        assertThat(tx("801D000000")).as("CLA").isEqualTo("6E00");
        // still selected, still answering
        assertThat(tx("001D000000")).endsWith("9000");
    }

    /** AIDs clients probe: OTP, FIDO, U2F (Yubico's), PIV, OpenPGP, YubiHSM Auth, the GlobalPlatform ISD. */
    static final String[] FOREIGN_AIDS = {"A0000005272001", "A0000006472F0001", "A0000005271002", "A000000308",
        "D27600012401", "A000000527210701", "A000000151000000", "A00000052721", "A000000527210101"};

    @ParameterizedTest
    @EnumSource(DeviceModel.class)
    void unknownApplicationsAnswer6A82AndDeselect(DeviceModel model) throws Exception {
        start(model);
        List<String> aids = new ArrayList<>(List.of(FOREIGN_AIDS));
        Random random = new Random(16);
        while (aids.size() < FOREIGN_AIDS.length + 20) {
            byte[] aid = new byte[5 + random.nextInt(12)];
            random.nextBytes(aid);
            String hex = Hex.of(aid);
            if (!hex.startsWith("A00000052747") && !hex.startsWith("F04F5450") && !hex.startsWith("A0000005272101")) {
                aids.add(hex);
            }
        }
        for (String aid : aids) {
            assertThat(tx(OATH_SELECT)).endsWith("9000");
            assertThat(tx(String.format(Locale.ROOT, "00A40400%02X", aid.length() / 2) + aid)).as(aid).isEqualTo("6A82");
            assertThat(tx("00A1000000")).as("nothing selected after " + aid).isEqualTo("6A82");
        }
        boolean yubiKey = model != DeviceModel.OTPTOKEN;
        assertThat(tx(DEVICE_SELECT)).isEqualTo(yubiKey ? "6A82" : "9000");
        assertThat(tx(MANAGEMENT_SELECT)).endsWith(yubiKey ? "9000" : "6A82");
    }

    @ParameterizedTest
    @EnumSource(DeviceModel.class)
    void theContactlessAtrIsTheModels(DeviceModel model) throws Exception {
        start(model);
        assertThat(Hex.of(token.contactlessAtr())).isEqualTo(model == DeviceModel.OTPTOKEN ? "3B80800101"
                : "3B8D80018073C021C057597562694B6579F9");
    }

    // ---- HMAC through CALCULATE ----

    record Vector(String rfc, HashAlgorithm alg, byte[] key, byte[] data, String mac) {
        @Override
        public String toString() {
            return rfc + " " + alg;
        }
    }

    private static byte[] repeat(int b, int n) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) b);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] sequence(int from, int to) {
        byte[] out = new byte[to - from + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (from + i);
        }
        return out;
    }

    /**
     * RFC 2202 (HMAC-SHA-1) test cases 1-6 and RFC 4231 (HMAC-SHA-256/512) test cases 1-6,
     * MACs as printed in the RFCs (case 5 in full, not truncated). Case 7 of both has data
     * longer than the 64 bytes a challenge may have.
     */
    static Stream<Vector> rfcVectors() {
        byte[] hiThere = ascii("Hi There");
        byte[] jefeData = ascii("what do ya want for nothing?");
        byte[] largeKeyData = ascii("Test Using Larger Than Block-Size Key - Hash Key First");
        byte[] truncation = ascii("Test With Truncation");
        return Stream.of(
            new Vector("RFC 2202 1", HashAlgorithm.SHA1, repeat(0x0B, 20), hiThere,
                "b617318655057264e28bc0b6fb378c8ef146be00"),
            new Vector("RFC 2202 2", HashAlgorithm.SHA1, ascii("Jefe"), jefeData,
                "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
            new Vector("RFC 2202 3", HashAlgorithm.SHA1, repeat(0xAA, 20), repeat(0xDD, 50),
                "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
            new Vector("RFC 2202 4", HashAlgorithm.SHA1, sequence(1, 25), repeat(0xCD, 50),
                "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
            new Vector("RFC 2202 5", HashAlgorithm.SHA1, repeat(0x0C, 20), truncation,
                "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"),
            new Vector("RFC 2202 6", HashAlgorithm.SHA1, repeat(0xAA, 80), largeKeyData,
                "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
            new Vector("RFC 4231 1", HashAlgorithm.SHA256, repeat(0x0B, 20), hiThere,
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            new Vector("RFC 4231 2", HashAlgorithm.SHA256, ascii("Jefe"), jefeData,
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            new Vector("RFC 4231 3", HashAlgorithm.SHA256, repeat(0xAA, 20), repeat(0xDD, 50),
                "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            new Vector("RFC 4231 4", HashAlgorithm.SHA256, sequence(1, 25), repeat(0xCD, 50),
                "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
            new Vector("RFC 4231 5", HashAlgorithm.SHA256, repeat(0x0C, 20), truncation,
                "a3b6167473100ee06e0c796c2955552bfa6f7c0a6a8aef8b93f860aab0cd20c5"),
            new Vector("RFC 4231 6", HashAlgorithm.SHA256, repeat(0xAA, 131), largeKeyData,
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            new Vector("RFC 4231 1", HashAlgorithm.SHA512, repeat(0x0B, 20), hiThere,
                "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
                    + "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
            new Vector("RFC 4231 2", HashAlgorithm.SHA512, ascii("Jefe"), jefeData,
                "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                    + "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
            new Vector("RFC 4231 3", HashAlgorithm.SHA512, repeat(0xAA, 20), repeat(0xDD, 50),
                "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
                    + "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"),
            new Vector("RFC 4231 4", HashAlgorithm.SHA512, sequence(1, 25), repeat(0xCD, 50),
                "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
                    + "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"),
            new Vector("RFC 4231 5", HashAlgorithm.SHA512, repeat(0x0C, 20), truncation,
                "415fad6271580a531d4179bc891d87a650188707922a4fbb36663a1eb16da008"
                    + "711c5b50ddd0fc235084eb9d3364a1454fb2ef67cd1d29fe6773068ea266e96b"),
            new Vector("RFC 4231 6", HashAlgorithm.SHA512, repeat(0xAA, 131), largeKeyData,
                "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
                    + "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"));
    }

    static Stream<Arguments> vectorsPerModel() {
        return Stream.of(DeviceModel.values()).flatMap(m -> rfcVectors().map(v -> Arguments.of(m, v)));
    }

    /**
     * The key as ykman's {@code put_credential} prepares it: hashed when longer than the
     * hash's block, then zero-padded to 14 bytes. HMAC pads and hashes keys the same way, so
     * the MAC is the RFC's.
     */
    static byte[] ykmanKey(HashAlgorithm alg, byte[] key) throws Exception {
        byte[] k = key.length > alg.blockSize ? MessageDigest.getInstance(alg.digestName).digest(key) : key;
        return k.length < 14 ? Arrays.copyOf(k, 14) : k;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("vectorsPerModel")
    void rfcVectorsThroughCalculateFullAndTruncated(DeviceModel model, Vector v) throws Exception {
        start(model);
        tx(OATH_SELECT);
        int typeAlg = 0x20 | v.alg().code;
        assertThat(tx(put("rfc", typeAlg, 8, ykmanKey(v.alg(), v.key()), ""))).isEqualTo("9000");
        String mac = v.mac().toUpperCase(Locale.ROOT);
        assertThat(tx(calculate("rfc", Hex.of(v.data()), 0)))
                .isEqualTo(String.format(Locale.ROOT, "75%02X08", 1 + mac.length() / 2) + mac + "9000");
        int truncated = OtpFormat.truncate(Hex.bytes(mac));
        assertThat(tx(calculate("rfc", Hex.of(v.data()), 1)))
                .isEqualTo(String.format(Locale.ROOT, "760508%08X9000", truncated));
    }

    @ParameterizedTest
    @EnumSource(DeviceModel.class)
    void challengesOfEveryLengthUpToSixtyFourBytes(DeviceModel model) throws Exception {
        start(model);
        tx(OATH_SELECT);
        byte[] key = sequence(1, 25);
        assertThat(tx(put("any", 0x23, 6, key, ""))).isEqualTo("9000");
        for (int n = 1; n <= 64; n++) {
            byte[] challenge = sequence(0, n - 1);
            String mac = Hex.of(Hotp.hmac(HashAlgorithm.SHA512, key, challenge));
            assertThat(tx(calculate("any", Hex.of(challenge), 0))).as("%d bytes", n).isEqualTo("754106" + mac + "9000");
        }
        // the 64-byte challenge, against a MAC computed outside Java
        assertThat(tx(calculate("any", Hex.of(sequence(0, 63)), 0))).isEqualTo("754106"
                + "82F9A231327E531A9E8683C06326407924D3CF4A8FB92BB74B12AC162845C339"
                + "4469830419BA72AA15E3E431DC33C2ECDD2EE560CDB1A5DF14E8D057340ED23D9000");
        assertThat(tx(calculate("any", Hex.of(sequence(0, 64)), 0))).as("65 bytes").isEqualTo("6A80");
    }

    @ParameterizedTest
    @EnumSource(DeviceModel.class)
    void anEmptyTotpChallengeUsesTheClockOnlyWhereThereIsOne(DeviceModel model) throws Exception {
        start(model);
        tx(OATH_SELECT);
        assertThat(tx(put("t", 0x21, 6, repeat(0x0B, 20), ""))).isEqualTo("9000");
        String emptyMessageMac = "123FD78BDA0100786AE86B76F50F01BD18E477F3";
        String r = tx(calculate("t", "", 0));
        if (model == DeviceModel.OTPTOKEN) {
            // --start-time 2030-01-01T00:00:00Z: step 63115200 (or the next, if the test straddles it)
            long step = 1_893_456_000L / 30;
            assertThat(r).isIn(full(step), full(step + 1));
        } else {
            // no clock: the empty challenge is the message, HMAC(key, "")
            assertThat(r).isEqualTo("751506" + emptyMessageMac + "9000");
        }
    }

    private static String full(long step) {
        return "751506" + Hex.of(Hotp.hmac(HashAlgorithm.SHA1, repeat(0x0B, 20), Hotp.counterBytes(step))) + "9000";
    }

    @ParameterizedTest
    @EnumSource(DeviceModel.class)
    void calculateAllComputesTotpOnlyAndNamesHotpAndTouchAccounts(DeviceModel model) throws Exception {
        start(model);
        tx(OATH_SELECT);
        byte[] key = repeat(0x0B, 20);
        assertThat(tx(put("totp", 0x21, 6, key, ""))).isEqualTo("9000");
        assertThat(tx(put("60/slow", 0x22, 8, key, ""))).isEqualTo("9000");
        assertThat(tx(put("hotp", 0x11, 7, key, ""))).isEqualTo("9000");
        assertThat(tx(put("touch", 0x21, 6, key, "7802"))).isEqualTo("9000");
        String challenge = "0000000003A0C4E2";
        byte[] sha1 = Hotp.hmac(HashAlgorithm.SHA1, key, Hex.bytes(challenge));
        byte[] sha256 = Hotp.hmac(HashAlgorithm.SHA256, key, Hex.bytes(challenge));
        // every TOTP account with the host's challenge, whatever its period; HOTP 77, touch 7C
        assertThat(tx("00A400010A7408" + challenge)).isEqualTo(tlv(0x71, text("totp"))
                + String.format(Locale.ROOT, "760506%08X", OtpFormat.truncate(sha1))
                + tlv(0x71, text("60/slow")) + String.format(Locale.ROOT, "760508%08X", OtpFormat.truncate(sha256))
                + tlv(0x71, text("hotp")) + "770107" + tlv(0x71, text("touch")) + "7C0106" + "9000");
        assertThat(tx("00A400000A7408" + challenge)).as("full responses").isEqualTo(tlv(0x71, text("totp"))
                + "751506" + Hex.of(sha1) + tlv(0x71, text("60/slow")) + "752108" + Hex.of(sha256)
                + tlv(0x71, text("hotp")) + "770107" + tlv(0x71, text("touch")) + "7C0106" + "9000");
        // CALCULATE ALL did not move the HOTP counter: the first CALCULATE is counter 0
        assertThat(tx(calculate("hotp", "", 1))).isEqualTo(String.format(Locale.ROOT, "760507%08X9000",
                OtpFormat.truncate(Hotp.hmac(HashAlgorithm.SHA1, key, Hotp.counterBytes(0)))));
    }

    // ---- capacity and chaining ----

    static int capacity(DeviceModel model) {
        return (SimulatedToken.oathRegionLength(model) - 80) / 214;
    }

    @Test
    void theModelsHoldWhatTheySay() {
        assertThat(capacity(DeviceModel.OTPTOKEN)).isEqualTo(152);
        assertThat(capacity(DeviceModel.YUBIKEY_5_NFC)).isEqualTo(32);
        assertThat(capacity(DeviceModel.YUBIKEY_5_NFC_5_7)).isEqualTo(64);
        assertThat(DeviceModel.OTPTOKEN.description).contains("152 accounts");
        assertThat(DeviceModel.list().lines().toList()).hasSize(3)
                .anySatisfy(l -> assertThat(l).startsWith("otptoken ").contains("152 accounts"))
                .anySatisfy(l -> assertThat(l).startsWith("yubikey-5-nfc ").contains("5.4.3", "32 accounts"))
                .anySatisfy(l -> assertThat(l).startsWith("yubikey-5-nfc-5.7 ").contains("5.7.1", "64 accounts"));
    }

    /** A 40-byte name, distinct per index. */
    static String longName(int i) {
        return String.format(Locale.ROOT, "Issuer-%03d:someone.with.a.long.name@ex", i);
    }

    static byte[] keyOf(int i) {
        byte[] k = sequence(1, 20);
        k[0] = (byte) i;
        return k;
    }

    @ParameterizedTest
    @EnumSource(DeviceModel.class)
    void capacityIsExactThenTheNextPutAnswers6A84(DeviceModel model) throws Exception {
        start(model);
        tx(OATH_SELECT);
        int n = capacity(model);
        for (int i = 0; i < n; i++) {
            assertThat(tx(put(longName(i), 0x21, 6, keyOf(i), ""))).as("account %d", i).isEqualTo("9000");
        }
        assertThat(tx(put("one-too-many", 0x21, 6, keyOf(999), ""))).isEqualTo("6A84");
        assertThat(tx(put(longName(0), 0x22, 8, keyOf(7), ""))).as("overwrite while full").isEqualTo("9000");
        assertThat(tx(apdu(0x02, 0, 0, tlv(0x71, text(longName(1)))))).isEqualTo("9000");
        assertThat(tx(put("one-too-many", 0x21, 6, keyOf(999), ""))).isEqualTo("9000");
        assertThat(tx(put("two-too-many", 0x21, 6, keyOf(998), ""))).isEqualTo("6A84");
    }

    /** Sends {@code command}, then SEND REMAINING while the card says 61xx; checks each SW2. */
    private byte[] chained(String command, List<String> statusWords) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        String r = tx(command);
        while (true) {
            String sw = r.substring(r.length() - 4);
            statusWords.add(sw);
            all.writeBytes(Hex.bytes(r.substring(0, r.length() - 4)));
            if (!sw.startsWith("61")) {
                assertThat(sw).isEqualTo("9000");
                return all.toByteArray();
            }
            assertThat(r.length() - 4).as("a full chunk before 61xx").isEqualTo(2 * 256);
            r = tx("00A5000000");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DeviceModel.class, names = {"YUBIKEY_5_NFC", "YUBIKEY_5_NFC_5_7"})
    void listAndCalculateAllChainThrough61xxAtFullCapacity(DeviceModel model) throws Exception {
        start(model);
        tx(OATH_SELECT);
        int n = capacity(model);
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] challenge = Hotp.counterBytes(66_666_666L);
        for (int i = 0; i < n; i++) {
            assertThat(tx(put(longName(i), 0x21, 6, keyOf(i), ""))).isEqualTo("9000");
            byte[] name = longName(i).getBytes(StandardCharsets.UTF_8);
            list.write(0x72);
            list.write(name.length + 1);
            list.write(0x21);
            list.writeBytes(name);
            all.write(0x71);
            all.write(name.length);
            all.writeBytes(name);
            all.writeBytes(Hex.bytes(String.format(Locale.ROOT, "760506%08X",
                    OtpFormat.truncate(Hotp.hmac(HashAlgorithm.SHA1, keyOf(i), challenge)))));
        }
        List<String> sws = new ArrayList<>();
        assertThat(Hex.of(chained("00A1000000", sws))).isEqualTo(Hex.of(list.toByteArray()));
        assertThat(sws.get(0)).isEqualTo(list.size() - 256 >= 256 ? "6100"
                : String.format(Locale.ROOT, "61%02X", list.size() - 256));
        sws.clear();
        assertThat(Hex.of(chained("00A400010A7408" + Hex.of(challenge), sws))).isEqualTo(Hex.of(all.toByteArray()));
        int left = all.size();
        for (String sw : sws) {
            left -= Math.min(256, left);
            assertThat(sw).isEqualTo(left == 0 ? "9000" : left >= 256 ? "6100" : String.format(Locale.ROOT, "61%02X", left));
        }
        assertThat(sws).hasSize((all.size() + 255) / 256);
        // a SEND REMAINING with nothing pending, and one after another command dropped the reply
        assertThat(tx("00A5000000")).isEqualTo("6985");
        assertThat(tx("00A1000000")).endsWith("6100");
        assertThat(tx(OATH_SELECT)).endsWith("9000");
        assertThat(tx("00A5000000")).isEqualTo("6985");
    }

    // ---- the password lock ----

    static final String PW_KEY = "000102030405060708090A0B0C0D0E0F";

    static String hmacSha1(String keyHex, String messageHex) {
        return Hex.of(Hotp.hmac(HashAlgorithm.SHA1, Hex.bytes(keyHex), Hex.bytes(messageHex)));
    }

    @ParameterizedTest
    @EnumSource(DeviceModel.class)
    void afterSetCodeEveryCommandButValidateAndResetAnswers6982(DeviceModel model) throws Exception {
        start(model);
        String before = tx(OATH_SELECT);
        String salt = before.substring(14, 30);
        assertThat(tx(put("Example:alice", 0x21, 6, repeat(0x0B, 20), ""))).isEqualTo("9000");
        String setCode = apdu(0x03, 0, 0, tlv(0x73, "21" + PW_KEY) + tlv(0x74, "0102030405060708")
                + tlv(0x75, hmacSha1(PW_KEY, "0102030405060708")));
        assertThat(tx(setCode)).isEqualTo("9000");
        String locked = tx(OATH_SELECT);
        assertThat(locked).matches("7903" + version(model) + "7108" + salt + "7408([0-9A-F]{16})7B01219000");
        String challenge = locked.substring(34, 50);
        String[] refused = {"00A1000000", calculate("Example:alice", "0000000000000001", 1),
            calculate("Example:alice", "0000000000000001", 0), "00A400010A74080000000000000001",
            apdu(0x02, 0, 0, tlv(0x71, text("Example:alice"))),
            apdu(0x05, 0, 0, tlv(0x71, text("Example:alice")) + tlv(0x71, text("Example:bob"))),
            put("Example:carol", 0x21, 6, repeat(0x0B, 20), ""), setCode};
        for (String command : refused) {
            assertThat(tx(command)).as(command.substring(0, 4)).isEqualTo("6982");
        }
        // each SELECT draws a new challenge
        String again = tx(OATH_SELECT);
        assertThat(again.substring(34, 50)).isNotEqualTo(challenge);
        challenge = again.substring(34, 50);
        String validate = apdu(0xA3, 0, 0, tlv(0x75, hmacSha1(PW_KEY, challenge)) + tlv(0x74, "1122334455667788"));
        assertThat(tx(validate)).isEqualTo("7514" + hmacSha1(PW_KEY, "1122334455667788") + "9000");
        assertThat(tx("00A1000000")).isEqualTo(tlv(0x72, "21" + text("Example:alice")) + "9000");
        // locked again after a reselect; RESET works while locked, and draws a new salt
        assertThat(tx(OATH_SELECT)).contains("7408");
        assertThat(tx("00A1000000")).isEqualTo("6982");
        assertThat(tx(RESET)).isEqualTo("9000");
        String after = tx(OATH_SELECT);
        assertThat(after).matches("7903" + version(model) + "7108[0-9A-F]{16}9000");
        assertThat(after.substring(14, 30)).isNotEqualTo(salt);
        assertThat(tx("00A1000000")).isEqualTo("9000");
    }

    // ---- APDU forms ----

    @ParameterizedTest
    @EnumSource(DeviceModel.class)
    void shortApdusWithoutLeAndExtendedApdusAreBothAccepted(DeviceModel model) throws Exception {
        start(model);
        String select = tx(OATH_SELECT);
        assertThat(tx("00A40400" + "000007" + "A0000005272101")).as("extended SELECT, no Le")
                .isEqualTo(tx(OATH_SELECT + "00"));
        assertThat(tx("00A40400" + "000007" + "A0000005272101" + "0000")).as("extended SELECT with Le")
                .startsWith(select.substring(0, 14));
        String putShort = put("e", 0x21, 6, repeat(0x0B, 20), "");
        String body = putShort.substring(10);
        assertThat(tx("00010000" + String.format(Locale.ROOT, "00%04X", body.length() / 2) + body)).isEqualTo("9000");
        assertThat(tx("00A10000")).as("LIST without Lc or Le").isEqualTo(tlv(0x72, "21" + text("e")) + "9000");
        assertThat(tx("00A1000000")).as("LIST with Le").isEqualTo(tlv(0x72, "21" + text("e")) + "9000");
        assertThat(tx("00A10000000000")).as("LIST, extended Le").isEqualTo(tlv(0x72, "21" + text("e")) + "9000");
        String calcShort = calculate("e", "0000000000000001", 0);
        String calcBody = calcShort.substring(10);
        String expected = "751506" + hmacSha1("0B".repeat(20), "0000000000000001") + "9000";
        assertThat(tx(calcShort)).isEqualTo(expected);
        assertThat(tx(calcShort + "00")).isEqualTo(expected);
        assertThat(tx("00A20000" + String.format(Locale.ROOT, "00%04X", calcBody.length() / 2) + calcBody + "0000"))
                .isEqualTo(expected);
        assertThat(tx("00A2000000FFFF" + calcBody)).as("extended Lc that does not match").isEqualTo("6700");
    }

    // ---- the button ----

    @ParameterizedTest
    @EnumSource(value = DeviceModel.class, names = {"YUBIKEY_5_NFC", "YUBIKEY_5_NFC_5_7"})
    void withoutADisplayTheButtonOnlyTouches(DeviceModel model) throws Exception {
        start(model);
        List<String> display = new ArrayList<>();
        token.onDisplay(r -> display.add(String.valueOf(r)));
        CountDownLatch waiting = new CountDownLatch(1);
        token.onTouchWait(w -> {
            if (w) {
                waiting.countDown();
            }
        });
        tx(OATH_SELECT);
        assertThat(tx(put("touch", 0x21, 6, repeat(0x0B, 20), "7802"))).isEqualTo("9000");
        token.press();
        token.longPress();
        assertThat(token.status()).isEqualTo("serial=12345678 accounts=1 model=" + model.cliName);
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> tx(calculate("touch", "0000000000000001", 1)));
        assertThat(waiting.await(10, TimeUnit.SECONDS)).as("the card waits for a touch").isTrue();
        token.press();
        assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(String.format(Locale.ROOT, "760506%08X9000",
                OtpFormat.truncate(Hotp.hmac(HashAlgorithm.SHA1, repeat(0x0B, 20), Hotp.counterBytes(1)))));
        assertThat(display).as("no display").isEmpty();
    }
}
