package dev.otptoken.host.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ApduRedactorTest {
    private static final HexFormat HEX = HexFormat.of();
    /** RFC 4226 key "12345678901234567890". */
    private static final String KEY = "3132333435363738393031323334353637383930";
    private static final String NAME = "4578616d706c653a616c696365"; // Example:alice

    private static byte[] put(String tail) {
        String data = "710d" + NAME + "7316" + "2106" + KEY + tail;
        return HEX.parseHex("00010000" + String.format("%02x", data.length() / 2) + data);
    }

    private static String compact(String trace) {
        return trace.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void putTraceShowsNameTypeAndDigitsButNeverTheKey() {
        String trace = ApduRedactor.command(put(""));
        assertThat(compact(trace)).doesNotContain(KEY).doesNotContain(KEY.substring(0, 16));
        assertThat(trace).isEqualTo("00 01 00 00 27 71 0D 45 78 61 6D 70 6C 65 3A 61 6C 69 63 65 73 16 21 06"
                + " <20 bytes redacted>");
    }

    @Test
    void putWithTouchQuirkAndImfKeepsTheTrailingFields() {
        String trace = ApduRedactor.command(put("7802" + "7a0400000005"));
        assertThat(compact(trace)).doesNotContain(KEY.substring(0, 16));
        assertThat(trace).endsWith("73 16 21 06 <20 bytes redacted> 78 02 7A 04 00 00 00 05");
    }

    @Test
    void putWithTouchAloneEndsInTheQuirk() {
        assertThat(ApduRedactor.command(put("7802"))).endsWith("<20 bytes redacted> 78 02");
    }

    @Test
    void setCodeRedactsKeyAndResponseButNotChallenge() {
        String key = "00112233445566778899aabbccddeeff";
        String resp = "0102030405060708090a0b0c0d0e0f1011121314";
        String data = "7311" + "21" + key + "7408" + "1122334455667788" + "7514" + resp;
        byte[] apdu = HEX.parseHex("00030000" + String.format("%02x", data.length() / 2) + data);
        String trace = ApduRedactor.command(apdu);
        assertThat(compact(trace)).doesNotContain(key).doesNotContain(resp);
        assertThat(trace).contains("73 11 21 <16 bytes redacted>", "74 08 11 22 33 44 55 66 77 88",
                "75 14 <20 bytes redacted>");
    }

    @Test
    void validateResponseIsRedactedInBothDirections() {
        String resp = "0102030405060708090a0b0c0d0e0f1011121314";
        String data = "7514" + resp + "7408" + "1122334455667788";
        byte[] cmd = HEX.parseHex("00a30000" + String.format("%02x", data.length() / 2) + data);
        byte[] reply = HEX.parseHex("7514" + "ffeeddccbbaa99887766554433221100ffeeddcc" + "9000");
        assertThat(compact(ApduRedactor.command(cmd))).doesNotContain(resp);
        assertThat(ApduRedactor.response(cmd, reply)).isEqualTo("75 14 <20 bytes redacted> 90 00");
    }

    @Test
    void otherCommandsAndDeviceApduAreShownWhole() {
        assertThat(ApduRedactor.command(HEX.parseHex("00a1000000"))).isEqualTo("00 A1 00 00 00");
        // device applet GET INFO shares INS 01 with PUT but has CLA 80
        assertThat(ApduRedactor.command(HEX.parseHex("8001000000"))).isEqualTo("80 01 00 00 00");
    }

    @Test
    void truncatedPutIsRedactedWhole() {
        byte[] p = put("");
        byte[] cut = java.util.Arrays.copyOf(p, 30);
        String trace = ApduRedactor.command(cut);
        assertThat(compact(trace)).doesNotContain("31323334");
    }

    @Property
    void anyBytesGiveATraceWithoutException(@ForAll byte[] apdu, @ForAll byte[] reply) {
        assertThat(ApduRedactor.command(apdu)).isNotNull();
        assertThat(ApduRedactor.response(apdu, reply)).isNotNull();
    }

    @Property
    void anyPutKeyNeverAppears(@ForAll("keys") byte[] key, @ForAll boolean touch) {
        String name = "616c696365";
        String data = "7105" + name + "73" + String.format("%02x", key.length + 2) + "2106" + HEX.formatHex(key)
                + (touch ? "7802" : "");
        byte[] apdu = HEX.parseHex("00010000" + String.format("%02x", data.length() / 2) + data);
        assertThat(compact(ApduRedactor.command(apdu))).doesNotContain(HEX.formatHex(key));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<byte[]> keys() {
        return net.jqwik.api.Arbitraries.bytes().array(byte[].class).ofMinSize(14).ofMaxSize(64)
                .filter(k -> !HEX.formatHex(k).contains("0000000000"));
    }

    @Test
    void anExtendedLengthPutHasItsKeyRedactedToo() {
        String data = "710d" + NAME + "7316" + "2106" + KEY;
        byte[] apdu = HEX.parseHex("00010000" + "00" + String.format("%04x", data.length() / 2) + data);
        String trace = ApduRedactor.command(apdu);
        assertThat(compact(trace)).doesNotContain(KEY.substring(0, 16));
        assertThat(trace).isEqualTo("00 01 00 00 00 00 27 71 0D 45 78 61 6D 70 6C 65 3A 61 6C 69 63 65 73 16 21 06"
                + " <20 bytes redacted>");
    }

    @Test
    void anInstructionNotKnownToBeSafeHasItsWholeBodyAndResponseRedacted() {
        // e.g. a future instruction carrying a key: shown only once it is added to the redactor
        byte[] future = HEX.parseHex("00060000" + "16" + "7314" + KEY);
        assertThat(ApduRedactor.command(future)).isEqualTo("00 06 00 00 16 <22 bytes redacted>");
        assertThat(ApduRedactor.command(HEX.parseHex("00060000" + "000016" + "7314" + KEY)))
                .isEqualTo("00 06 00 00 00 00 16 <22 bytes redacted>");
        assertThat(ApduRedactor.command(HEX.parseHex("90010000" + "02" + "abcd"))).isEqualTo("90 01 00 00 02 <2 bytes redacted>");
        assertThat(ApduRedactor.response(future, HEX.parseHex("7314" + KEY + "9000")))
                .isEqualTo("<22 bytes redacted> 90 00");
        assertThat(ApduRedactor.response(HEX.parseHex("00a1000000"), HEX.parseHex("7203216162" + "9000")))
                .isEqualTo("72 03 21 61 62 90 00");
    }

    @Property
    void aKeyInAnyPutOrSetCodeNeverShows(@ForAll byte[] key, @ForAll boolean extended, @ForAll boolean setCode) {
        net.jqwik.api.Assume.that(key.length >= 8 && key.length <= 64);
        String k = HEX.formatHex(key);
        String data = setCode ? "73" + String.format("%02x", key.length + 1) + "21" + k
                : "710d" + NAME + "73" + String.format("%02x", key.length + 2) + "2106" + k;
        int n = data.length() / 2;
        String lc = extended ? String.format("00%04x", n) : String.format("%02x", n);
        String trace = ApduRedactor.command(HEX.parseHex((setCode ? "00030000" : "00010000") + lc + data));
        for (int i = 0; i + 8 <= key.length; i++) {
            assertThat(compact(trace)).doesNotContain(k.substring(2 * i, 2 * i + 16));
        }
    }
}
