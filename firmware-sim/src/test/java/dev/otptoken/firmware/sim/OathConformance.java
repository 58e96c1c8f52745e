package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.testing.Hex;
import dev.otptoken.protocol.apdu.ApduTransport;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Hotp;
import dev.otptoken.protocol.oath.OtpFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One YKOATH conformance suite written against {@link ApduTransport}: exact command bytes,
 * exact (or reference-computed) response bytes. Subclasses run it on the card runtime in
 * this JVM and through a real pseudo-terminal with the T=1 initiator on a jssc port.
 */
abstract class OathConformance {
    static final String SELECT = "00A4040007A0000005272101";
    /** RFC 6238 Appendix B SHA-1 key, "12345678901234567890". */
    static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    static final String KEY_HEX = Hex.of(KEY);

    ApduTransport card;

    /** A fresh token (no accounts, no password) behind a transport. */
    abstract ApduTransport freshToken() throws Exception;

    @BeforeEach
    void open() throws Exception {
        card = freshToken();
    }

    String tx(String hex) throws IOException {
        return Hex.of(card.transceive(Hex.bytes(hex.replace(" ", ""))));
    }

    static String tlv(int tag, String hex) {
        return String.format("%02X%02X", tag, hex.length() / 2) + hex;
    }

    static String name(String s) {
        return Hex.of(s.getBytes(StandardCharsets.UTF_8));
    }

    static String apdu(int ins, int p1, int p2, String data) {
        return String.format("00%02X%02X%02X%02X", ins, p1, p2, data.length() / 2) + data;
    }

    static String put(String n, int typeAlg, int digits, String imf) {
        return apdu(0x01, 0, 0, tlv(0x71, name(n)) + tlv(0x73, String.format("%02X%02X", typeAlg, digits) + KEY_HEX)
                + imf);
    }

    /** What the applet's truncated response holds: digits, then the 31-bit truncation. */
    static String truncated(byte[] message, int digits) {
        int value = OtpFormat.truncate(Hotp.hmac(HashAlgorithm.SHA1, KEY, message));
        return String.format("7605%02X%08X", digits, value);
    }

    @Test
    void selectAnswersVersionAndSalt() throws IOException {
        assertThat(tx(SELECT)).matches("790305070071 08[0-9A-F]{16}9000".replace(" ", ""));
        assertThat(tx("00A4040008A000000527471117")).as("ykman's management probe").isEqualTo("6A82");
    }

    @Test
    void putListCalculateAndRfc6238() throws IOException {
        tx(SELECT);
        assertThat(tx(put("Example:alice", 0x21, 8, ""))).isEqualTo("9000");
        assertThat(tx("00A1000000")).isEqualTo("720E21" + name("Example:alice") + "9000");
        // RFC 6238 Appendix B: T = 59 s is step 1; the code is 94287082
        byte[] step1 = Hotp.counterBytes(1);
        String r = tx(apdu(0xA2, 0, 1, tlv(0x71, name("Example:alice")) + tlv(0x74, Hex.of(step1))));
        assertThat(r).isEqualTo(truncated(step1, 8) + "9000");
        int value = Integer.parseUnsignedInt(r.substring(6, 14), 16);
        assertThat(OtpFormat.format(value, 8)).isEqualTo("94287082");
        // full HMAC response
        String full = tx(apdu(0xA2, 0, 0, tlv(0x71, name("Example:alice")) + tlv(0x74, Hex.of(step1))));
        assertThat(full).isEqualTo("751508" + Hex.of(Hotp.hmac(HashAlgorithm.SHA1, KEY, step1)) + "9000");
    }

    @Test
    void hotpCountsOncePerCalculation() throws IOException {
        tx(SELECT);
        assertThat(tx(put("h", 0x11, 6, ""))).isEqualTo("9000");
        String calc = apdu(0xA2, 0, 1, tlv(0x71, name("h")) + "7400");
        // RFC 4226 Appendix D: 755224, 287082, 359152
        String[] expected = {"755224", "287082", "359152"};
        for (String code : expected) {
            String r = tx(calc);
            assertThat(r).endsWith("9000");
            assertThat(OtpFormat.format(Integer.parseUnsignedInt(r.substring(6, 14), 16), 6)).isEqualTo(code);
        }
        assertThat(tx("00A400010A 7408 0000000000000001".replace(" ", "")))
                .isEqualTo("7101" + name("h") + "770106" + "9000");
    }

    @Test
    void deleteRenameAndTheirErrors() throws IOException {
        tx(SELECT);
        tx(put("a", 0x21, 6, ""));
        assertThat(tx(apdu(0x02, 0, 0, tlv(0x71, name("nope"))))).isEqualTo("6984");
        assertThat(tx(apdu(0x05, 0, 0, tlv(0x71, name("a")) + tlv(0x71, name("b"))))).isEqualTo("9000");
        assertThat(tx("00A1000000")).isEqualTo("720221" + name("b") + "9000");
        assertThat(tx(apdu(0x02, 0, 0, tlv(0x71, name("b"))))).isEqualTo("9000");
        assertThat(tx("00A1000000")).isEqualTo("9000");
        assertThat(tx("00A40000")).as("CALCULATE ALL without a challenge").isIn("6A80", "6700");
        assertThat(tx("00EE0000")).isEqualTo("6D00");
        assertThat(tx("00040000")).isEqualTo("6A86");
    }

    @Test
    void chainingWithManyAccounts() throws IOException {
        tx(SELECT);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            String n = String.format("Issuer%02d:someone@example.com", i);
            assertThat(tx(put(n, 0x21, 6, ""))).isEqualTo("9000");
            expected.append(String.format("72%02X21", n.length() + 1)).append(name(n));
        }
        String r = tx("00A1000000");
        StringBuilder all = new StringBuilder();
        int rounds = 0;
        while (r.length() >= 4 && r.substring(r.length() - 4).startsWith("61")) {
            all.append(r, 0, r.length() - 4);
            r = tx("00A5000000");
            assertThat(++rounds).isLessThan(10);
        }
        assertThat(r).endsWith("9000");
        all.append(r, 0, r.length() - 4);
        assertThat(rounds).isPositive();
        assertThat(all.toString()).isEqualTo(expected.toString());
    }

    @Test
    void resetWipesAndChangesTheSalt() throws IOException {
        String before = tx(SELECT);
        tx(put("a", 0x21, 6, ""));
        assertThat(tx("0004DEAD")).isEqualTo("9000");
        String after = tx(SELECT);
        assertThat(after.substring(14, 30)).isNotEqualTo(before.substring(14, 30));
        assertThat(tx("00A1000000")).isEqualTo("9000");
    }
}
