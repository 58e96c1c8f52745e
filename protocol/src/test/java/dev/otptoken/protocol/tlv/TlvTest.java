package dev.otptoken.protocol.tlv;

import static dev.otptoken.testing.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.testing.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TlvTest {
    private static String repeat(String hexByte, int n) {
        return hexByte.repeat(n);
    }

    @ParameterizedTest(name = "length {0}")
    @CsvSource({"0, 7100", "1, 7101", "127, 717F", "128, 718180", "255, 7181FF", "256, 71820100", "65535, 7182FFFF"})
    void encodesShortestLengthForm(int length, String prefix) throws Exception {
        Tlv tlv = new Tlv(Oath.TAG_NAME, bytes(repeat("AB", length)));
        String hex = Hex.of(tlv.encode());
        assertThat(hex).isEqualTo(prefix + repeat("AB", length));
        assertThat(TlvReader.parseAll(bytes(hex))).containsExactly(tlv);
    }

    @Test
    void readsSequenceAndNonMinimalLengths() throws Exception {
        List<Tlv> all = TlvReader.parseAll(bytes("7903050700 71 81 02 AABB 74 82 0001 CC"));
        assertThat(all).containsExactly(new Tlv(0x79, bytes("050700")), new Tlv(0x71, bytes("AABB")),
                new Tlv(0x74, bytes("CC")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"71", "7102AA", "7181", "718102AA", "7182", "718200", "71820003AABB", "7180",
        "718300000001", "71FF", "00", "FF0100", "1F0100", "7F0100", "7101AA 75"})
    void rejectsMalformed(String hex) {
        assertThatThrownBy(() -> TlvReader.parseAll(bytes(hex))).isInstanceOf(TlvFormatException.class);
    }

    @Test
    void readerExpectPeekAndBareByteProperty() throws Exception {
        // A YKOATH PUT body: name, key, touch property without length, IMF.
        byte[] put = bytes("7103616263 730421060102 7802 7A0400000001");
        TlvReader r = new TlvReader(put);
        assertThat(r.peekTag()).isEqualTo(Oath.TAG_NAME);
        assertThat(r.expect(Oath.TAG_NAME).value()).isEqualTo("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> r.expect(Oath.TAG_PROPERTY)).isInstanceOf(TlvFormatException.class)
                .hasMessageContaining("expected tag 78, found 73");
        assertThat(r.expect(Oath.TAG_KEY).length()).isEqualTo(4);
        // the bare property is not a TLV: a reader takes 78 02 7A as tag 78 with two bytes
        assertThat(r.next()).isEqualTo(new Tlv(Oath.TAG_PROPERTY, bytes("7A04")));
        assertThat(r.remaining()).isEqualTo(4);
    }

    @Test
    void readerHonoursSlice() throws Exception {
        TlvReader r = new TlvReader(bytes("FF 7101AA 7101BB"), 1, 3);
        assertThat(r.next()).isEqualTo(new Tlv(0x71, bytes("AA")));
        assertThat(r.hasRemaining()).isFalse();
    }

    @Test
    void writerProducesExactHexIncludingRaw() {
        TlvWriter w = new TlvWriter()
                .put(Oath.TAG_NAME, bytes("616263"))
                .put(Oath.TAG_KEY, bytes("FF21060102FF"), 1, 4)
                .putRaw((byte) Oath.TAG_PROPERTY, (byte) Oath.PROP_REQUIRE_TOUCH)
                .put(Oath.TAG_ALGORITHM, 0x02);
        assertThat(Hex.of(w.toByteArray())).isEqualTo("7103616263" + "730421060102" + "7802" + "7B0102");
        assertThat(w.size()).isEqualTo(16);
    }

    @Test
    void writerWipeEmptiesAndWriterGrows() {
        TlvWriter w = new TlvWriter();
        w.put(0x73, new byte[300]);
        assertThat(w.size()).isEqualTo(304);
        w.wipe();
        assertThat(w.toByteArray()).isEmpty();
        assertThat(Hex.of(w.put(0x74, bytes("01")).toByteArray())).isEqualTo("740101");
    }

    @Test
    void invalidArgumentsAreProgrammingErrors() {
        assertThatThrownBy(() -> new Tlv(0x1F, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tlv(0x00, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tlv(0x71, new byte[65536])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TlvWriter().put(0x71, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TlvWriter().put(0x71, new byte[2], 1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringShowsTagAndLengthOnly() {
        assertThat(new Tlv(0x73, bytes("DEADBEEF")).toString()).isEqualTo("Tlv[tag=73, length=4]");
    }

    @Test
    void clonesValueInAndOut() {
        byte[] v = bytes("0102");
        Tlv t = new Tlv(0x71, v);
        v[0] = 9;
        t.value()[1] = 9;
        assertThat(t.value()).containsExactly(1, 2);
    }
}
