package dev.otptoken.firmware.oath;

import dev.otptoken.firmware.runtime.CardRuntime;
import static dev.otptoken.firmware.oath.OathHarness.HEX;
import static dev.otptoken.firmware.oath.OathHarness.apdu;
import static dev.otptoken.firmware.oath.OathHarness.calc;
import static dev.otptoken.firmware.oath.OathHarness.put;
import static dev.otptoken.firmware.oath.OathHarness.text;
import static dev.otptoken.firmware.oath.OathHarness.tlv;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.oath.Oath;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OathAppletTest {
    static final byte[] KEY20 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    static final byte[] KEY32 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    static final byte[] KEY64 = "1234567890123456789012345678901234567890123456789012345678901234"
            .getBytes(StandardCharsets.US_ASCII);
    static final int TOTP_SHA1 = 0x21;
    static final int HOTP_SHA1 = 0x11;

    OathHarness t;

    @BeforeEach
    void setUp() {
        t = new OathHarness();
    }

    static String step(long s) {
        return String.format(Locale.ROOT, "%016X", s);
    }

    static byte[] hmac(String alg, byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance(alg);
        mac.init(new SecretKeySpec(key, alg));
        return mac.doFinal(data);
    }

    /** The 4 bytes of the RFC 4226 dynamic truncation, as hex. */
    static String truncated(String alg, byte[] key, byte[] data) throws Exception {
        byte[] h = hmac(alg, key, data);
        int o = h[h.length - 1] & 0x0F;
        int v = ((h[o] & 0x7F) << 24) | ((h[o + 1] & 0xFF) << 16) | ((h[o + 2] & 0xFF) << 8) | (h[o + 3] & 0xFF);
        return String.format(Locale.ROOT, "%08X", v);
    }

    static int code(String response, int digits) {
        int v = Integer.parseInt(response.substring(6, 14), 16);
        return (int) (v % (long) Math.pow(10, digits));
    }

    @Test
    void selectAnswersVersionAndSaltOnly() {
        String r = t.select();
        assertThat(r).matches("790305070071 08[0-9A-F]{16}9000".replace(" ", ""));
        assertThat(t.runtime.hasSelection()).isTrue();
    }

    @Test
    void unknownAidIs6A82AndDeselects() {
        t.select();
        assertThat(t.tx("00A4040008A000000527471117")).isEqualTo("6A82");
        assertThat(t.runtime.hasSelection()).isFalse();
        assertThat(t.tx("00A1000000")).isEqualTo("6A82");
    }

    @Test
    void putThenListExactBytes() {
        t.select();
        assertThat(t.tx(put("Ex:alice", TOTP_SHA1, 6, KEY20, ""))).isEqualTo("9000");
        assertThat(t.tx(put("h", 0x12, 8, KEY32, ""))).isEqualTo("9000");
        assertThat(t.tx("00A1000000")).isEqualTo("7209" + "21" + text("Ex:alice") + "7202" + "12" + "68" + "9000");
        // PUT of an existing name overwrites it
        assertThat(t.tx(put("h", 0x13, 8, KEY64, ""))).isEqualTo("9000");
        assertThat(t.tx("00A1000000")).isEqualTo("7209" + "21" + text("Ex:alice") + "7202" + "13" + "68" + "9000");
        assertThat(t.applet.accountsUsed()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({"0,4C93CF18", "1,41397EEA", "2,082FEF30", "3,66EF7655", "4,61C5938A",
        "5,33C083D4", "6,7256C032", "7,04E5B397", "8,2823443F", "9,2679DC69"})
    void rfc4226AppendixDThroughPutAndCalculate(int count, String truncatedHex) {
        t.select();
        t.tx(put("hotp", HOTP_SHA1, 6, KEY20, ""));
        for (int i = 0; i < count; i++) {
            t.tx(calc("hotp", "", 1));
            if (i == count / 2) {
                t.boot(); // a power cycle in between: the counter persisted
                t.select();
            }
        }
        assertThat(t.tx(calc("hotp", "", 1))).isEqualTo("760506" + truncatedHex + "9000");
    }

    @Test
    void hotpCodesMatchAppendixDDecimal() {
        int[] expected = {755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489};
        t.select();
        t.tx(put("hotp", HOTP_SHA1, 6, KEY20, ""));
        for (int e : expected) {
            assertThat(code(t.tx(calc("hotp", "0000000000000000", 1)), 6)).isEqualTo(e);
        }
    }

    @Test
    void hotpInitialMovingFactor() {
        t.select();
        t.tx(put("hotp", HOTP_SHA1, 6, KEY20, tlv(Oath.TAG_IMF, "00000005")));
        assertThat(code(t.tx(calc("hotp", "", 1)), 6)).isEqualTo(254676);
    }

    @ParameterizedTest
    @CsvSource({
        "59,94287082,46119246,90693936",
        "1111111109,07081804,68084774,25091201",
        "1111111111,14050471,67062674,99943326",
        "1234567890,89005924,91819424,93441116",
        "2000000000,69279037,90698825,38618901",
        "20000000000,65353130,77737706,47863826"})
    void rfc6238AppendixB(long time, String sha1, String sha256, String sha512) {
        t.select();
        t.tx(put("s1", 0x21, 8, KEY20, ""));
        t.tx(put("s256", 0x22, 8, KEY32, ""));
        t.tx(put("s512", 0x23, 8, KEY64, ""));
        String ch = step(time / 30);
        assertThat(code(t.tx(calc("s1", ch, 1)), 8)).isEqualTo(Integer.parseInt(sha1));
        assertThat(code(t.tx(calc("s256", ch, 1)), 8)).isEqualTo(Integer.parseInt(sha256));
        assertThat(code(t.tx(calc("s512", ch, 1)), 8)).isEqualTo(Integer.parseInt(sha512));
        assertThat(t.tx(calc("s1", ch, 1))).startsWith("760508").endsWith("9000").hasSize(18);
    }

    @Test
    void emptyChallengeUsesTheTokensClock() throws Exception {
        t.select();
        t.tx(put("s1", 0x21, 8, KEY20, ""));
        t.tx(put("60/p", 0x21, 8, KEY20, ""));
        t.rtc.set(1_111_111_109_000_000L + 999_999);
        assertThat(code(t.tx(calc("s1", "", 1)), 8)).isEqualTo(7081804);
        String expected60 = truncated("HmacSHA1", KEY20, HEX.parseHex(step(1_111_111_109L / 60)));
        assertThat(t.tx(calc("60/p", "", 1))).isEqualTo("760508" + expected60 + "9000");
    }

    @Test
    void fullHmacResponse() throws Exception {
        t.select();
        t.tx(put("s256", 0x22, 6, KEY32, ""));
        String ch = "0102030405060708";
        String mac = HEX.formatHex(hmac("HmacSHA256", KEY32, HEX.parseHex(ch)));
        assertThat(t.tx(calc("s256", ch, 0))).isEqualTo("752106" + mac + "9000");
    }

    @Test
    void calculateAllWithHotpTouchAndTotp() throws Exception {
        t.select();
        t.tx(put("t", TOTP_SHA1, 6, KEY20, ""));
        t.tx(put("h", HOTP_SHA1, 8, KEY20, ""));
        t.tx(put("k", TOTP_SHA1, 7, KEY20, "7802"));
        t.tx(put("60/q", 0x22, 6, KEY32, "780102"));
        String ch = step(1);
        String r = t.tx(apdu(0xA4, 0, 1, tlv(Oath.TAG_CHALLENGE, ch)));
        assertThat(r).isEqualTo("7101" + text("t") + "760506" + truncated("HmacSHA1", KEY20, HEX.parseHex(ch))
                + "7101" + text("h") + "770108"
                + "7101" + text("k") + "7C0107"
                + "7104" + text("60/q") + "7C0106"
                + "9000");
        assertThat(t.touches).isZero();
    }

    @Test
    void touchWaitsForTheButton() {
        t.select();
        t.tx(put("k", TOTP_SHA1, 6, KEY20, "7802"));
        t.touchAnswer = false;
        assertThat(t.tx(calc("k", step(1), 1))).isEqualTo("6985");
        t.touchAnswer = true;
        assertThat(code(t.tx(calc("k", step(1), 1)), 6)).isEqualTo(287082);
        assertThat(t.touches).isEqualTo(2);
    }

    @Test
    void onlyIncreasingRefusesOlderChallenges() {
        t.select();
        t.tx(put("i", TOTP_SHA1, 6, KEY20, "7801"));
        assertThat(t.tx(calc("i", step(5), 1))).endsWith("9000");
        assertThat(t.tx(calc("i", step(5), 1))).endsWith("9000");
        assertThat(t.tx(calc("i", step(4), 1))).isEqualTo("6985");
        assertThat(t.tx(calc("i", step(6), 1))).endsWith("9000");
    }

    @Test
    void chainingWith40Accounts() {
        t.select();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            String name = String.format(Locale.ROOT, "Issuer%02d:user%02d@example.com", i, i);
            assertThat(t.tx(put(name, TOTP_SHA1, 6, KEY20, ""))).isEqualTo("9000");
            expected.append(String.format(Locale.ROOT, "72%02X21", name.length() + 1)).append(text(name));
        }
        String r = t.tx("00A1000000");
        StringBuilder got = new StringBuilder();
        int rounds = 0;
        while (r.startsWith("61", r.length() - 4) && rounds++ < 20) {
            assertThat(r.length()).isEqualTo(2 * 256 + 4);
            got.append(r, 0, r.length() - 4);
            r = t.tx("00A5000000");
        }
        assertThat(r).endsWith("9000");
        got.append(r, 0, r.length() - 4);
        assertThat(rounds).isEqualTo(expected.length() / 2 / 256);
        assertThat(got.toString()).isEqualTo(expected.toString());
        // another command cancels a pending reply
        assertThat(t.tx("00A1000000")).startsWith("72");
        t.tx(calc("Issuer00:user00@example.com", step(1), 1));
        assertThat(t.tx("00A5000000")).isEqualTo("6985");
    }

    @Test
    void passwordLifecycle() throws Exception {
        String sel = t.select();
        byte[] salt = HEX.parseHex(sel.substring(14, 30));
        t.tx(put("a", TOTP_SHA1, 6, KEY20, ""));
        char[] pw = "hunter2".toCharArray();
        byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1")
                .generateSecret(new PBEKeySpec(pw, salt, 1000, 128)).getEncoded();
        String ch = "0011223344556677";
        String resp = HEX.formatHex(hmac("HmacSHA1", key, HEX.parseHex(ch)));
        String wrongResp = resp.substring(0, 39) + (resp.endsWith("0") ? "1" : "0");
        assertThat(t.tx(apdu(3, 0, 0, tlv(0x73, "21" + HEX.formatHex(key)) + tlv(0x74, ch) + tlv(0x75, wrongResp))))
                .isEqualTo("6A80");
        assertThat(t.tx(apdu(3, 0, 0, tlv(0x73, "21" + HEX.formatHex(key)) + tlv(0x74, ch) + tlv(0x75, resp))))
                .isEqualTo("9000");
        sel = t.select();
        assertThat(sel).matches("790305070071 08[0-9A-F]{16}7408([0-9A-F]{16})7B01219000".replace(" ", ""));
        assertThat(t.tx("00A1000000")).isEqualTo("6982");
        assertThat(t.tx(calc("a", step(1), 1))).isEqualTo("6982");
        assertThat(t.tx(put("b", TOTP_SHA1, 6, KEY20, ""))).isEqualTo("6982");
        assertThat(t.tx(apdu(2, 0, 0, tlv(0x71, text("a"))))).isEqualTo("6982");
        assertThat(t.tx(apdu(3, 0, 0, tlv(0x73, "")))).isEqualTo("6982");
        byte[] cardChallenge = HEX.parseHex(sel.substring(34, 50));
        String hostCh = "A1A2A3A4A5A6A7A8";
        String good = HEX.formatHex(hmac("HmacSHA1", key, cardChallenge));
        assertThat(t.tx(apdu(0xA3, 0, 0, tlv(0x75, wrongResp) + tlv(0x74, hostCh)))).isEqualTo("6984");
        // one attempt per SELECT: the right answer now is refused too
        assertThat(t.tx(apdu(0xA3, 0, 0, tlv(0x75, good) + tlv(0x74, hostCh)))).isEqualTo("6984");
        sel = t.select();
        cardChallenge = HEX.parseHex(sel.substring(34, 50));
        good = HEX.formatHex(hmac("HmacSHA1", key, cardChallenge));
        String mutual = HEX.formatHex(hmac("HmacSHA1", key, HEX.parseHex(hostCh)));
        assertThat(t.tx(apdu(0xA3, 0, 0, tlv(0x75, good) + tlv(0x74, hostCh)))).isEqualTo("7514" + mutual + "9000");
        assertThat(t.tx("00A1000000")).isEqualTo("720221" + text("a") + "9000");
        // the unlock belongs to the contact session: the contactless side is still locked, and
        // its field coming and going does not relock the contact side
        byte[] listCmd = HEX.parseHex("00A1000000");
        t.runtime.transmit(CardRuntime.CONTACTLESS, HEX.parseHex("00A4040007A0000005272101"));
        assertThat(HEX.formatHex(t.runtime.transmit(CardRuntime.CONTACTLESS, listCmd))).isEqualTo("6982");
        t.runtime.powerEvent(CardRuntime.CONTACTLESS);
        assertThat(t.tx("00A1000000")).isEqualTo("720221" + text("a") + "9000");
        // clearing the password
        assertThat(t.tx(apdu(3, 0, 0, tlv(0x73, "")))).isEqualTo("9000");
        assertThat(t.select()).hasSize(2 * 15 + 4);
        assertThat(t.tx("00A1000000")).isEqualTo("720221" + text("a") + "9000");
    }

    @Test
    void resetWipesEverythingAndChangesTheSalt() {
        String before = t.select();
        t.tx(put("a", TOTP_SHA1, 6, KEY20, ""));
        assertThat(t.tx("00040000")).isEqualTo("6A86");
        assertThat(t.tx("0004DEAD")).isEqualTo("9000");
        String after = t.select();
        assertThat(after.substring(14, 30)).isNotEqualTo(before.substring(14, 30));
        assertThat(t.tx("00A1000000")).isEqualTo("9000");
        assertThat(t.applet.accountsUsed()).isZero();
        byte[] image = new byte[t.memory.size()];
        t.memory.read(0, image, 0, image.length);
        assertThat(indexOf(image, KEY20)).isEqualTo(-1);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void renameAndDelete() {
        t.select();
        t.tx(put("a", TOTP_SHA1, 6, KEY20, ""));
        t.tx(put("b", TOTP_SHA1, 6, KEY20, ""));
        assertThat(t.tx(apdu(5, 0, 0, tlv(0x71, text("zz")) + tlv(0x71, text("c"))))).isEqualTo("6984");
        assertThat(t.tx(apdu(5, 0, 0, tlv(0x71, text("a")) + tlv(0x71, text("b"))))).isEqualTo("6A80");
        assertThat(t.tx(apdu(5, 0, 0, tlv(0x71, text("a")) + tlv(0x71, text("c"))))).isEqualTo("9000");
        assertThat(t.tx("00A1000000")).isEqualTo("720221" + text("c") + "720221" + text("b") + "9000");
        assertThat(t.tx(apdu(2, 0, 0, tlv(0x71, text("a"))))).isEqualTo("6984");
        assertThat(t.tx(apdu(2, 0, 0, tlv(0x71, text("c"))))).isEqualTo("9000");
        assertThat(t.tx("00A1000000")).isEqualTo("720221" + text("b") + "9000");
    }

    @Test
    void errorStatusWords() {
        t.select();
        assertThat(t.tx("00A10000050100")).isEqualTo("6700");
        assertThat(t.tx("00A1")).isEqualTo("6700");
        assertThat(t.tx("00FF000000")).isEqualTo("6D00");
        assertThat(t.tx("80A1000000")).isEqualTo("6E00");
        assertThat(t.tx(put("x", TOTP_SHA1, 5, KEY20, ""))).isEqualTo("6A80");
        assertThat(t.tx(put("x", TOTP_SHA1, 9, KEY20, ""))).isEqualTo("6A80");
        assertThat(t.tx(put("x", 0x31, 6, KEY20, ""))).isEqualTo("6A80");
        assertThat(t.tx(put("x", 0x24, 6, KEY20, ""))).isEqualTo("6A80");
        assertThat(t.tx(put("", TOTP_SHA1, 6, KEY20, ""))).isEqualTo("6A80");
        assertThat(t.tx(put("x".repeat(65), TOTP_SHA1, 6, KEY20, ""))).isEqualTo("6A80");
        assertThat(t.tx(put("x", TOTP_SHA1, 6, new byte[65], ""))).isEqualTo("6A80");
        assertThat(t.tx(put("x", TOTP_SHA1, 6, KEY20, "7804"))).isEqualTo("6A80");
        assertThat(t.tx(apdu(1, 0, 0, "7105"))).isEqualTo("6A80");
        assertThat(t.tx(calc("nope", step(1), 1))).isEqualTo("6984");
        assertThat(t.tx(calc("nope", step(1), 7))).isEqualTo("6A86");
        assertThat(t.tx(apdu(0xA3, 0, 0, tlv(0x75, "00") + tlv(0x74, "00")))).isEqualTo("6984");
        assertThat(t.tx("00A1000000")).isEqualTo("9000");
    }

    @Test
    void capacityAtLeast100MaxSizeAccountsThen6A84() {
        t.select();
        assertThat(t.applet.capacityAccounts()).isGreaterThanOrEqualTo(100);
        int n = 0;
        byte[] key = Arrays.copyOf(KEY64, 64);
        while (true) {
            String name = String.format(Locale.ROOT, "%03d", n) + "n".repeat(61);
            String r = t.tx(put(name, TOTP_SHA1, 6, key, ""));
            if (!r.equals("9000")) {
                assertThat(r).isEqualTo("6A84");
                break;
            }
            n++;
            assertThat(n).isLessThan(10_000);
        }
        assertThat(n).isGreaterThanOrEqualTo(100).isEqualTo(t.applet.capacityAccounts());
        String list = collect("00A1000000");
        assertThat(t.tx(put("extra", TOTP_SHA1, 6, key, ""))).isEqualTo("6A84");
        assertThat(collect("00A1000000")).isEqualTo(list);
        assertThat(t.applet.bytesUsed()).isEqualTo(t.applet.bytesTotal());
        assertThat(t.applet.bytesTotal()).isLessThanOrEqualTo(32 * 1024);
    }

    String collect(String first) {
        StringBuilder sb = new StringBuilder();
        String r = t.tx(first);
        for (int i = 0; i < 200 && r.startsWith("61", r.length() - 4); i++) {
            sb.append(r, 0, r.length() - 4);
            r = t.tx("00A5000000");
        }
        return sb.append(r).toString();
    }
}
