package dev.otptoken.protocol.apdu;

import static dev.otptoken.testing.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.testing.Hex;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandApduTest {
    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static String filledHex(int n) {
        return Hex.of(filled(n));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("case 1", new CommandApdu(0x00, 0xA4, 0x04, 0x00, null, 0), "00A40400"),
                Arguments.of("case 2S", new CommandApdu(0x80, 0xCA, 0x00, 0x6E, null, 0x10), "80CA006E10"),
                Arguments.of("case 2S Le=256", new CommandApdu(0x00, 0xA5, 0x00, 0x00, null, 256), "00A5000000"),
                Arguments.of("case 3S", new CommandApdu(0x00, 0xA4, 0x04, 0x00,
                        bytes("A0000005272101"), 0), "00A4040007A0000005272101"),
                Arguments.of("case 4S", new CommandApdu(0x00, 0xA2, 0x00, 0x01, bytes("0102"), 0x20), "00A20001020102" + "20"),
                Arguments.of("case 4S Le=256", new CommandApdu(0x00, 0xA2, 0x00, 0x01, bytes("AA"), 256), "00A2000101AA00"),
                Arguments.of("case 3S 255 bytes", new CommandApdu(0x00, 0x01, 0x00, 0x00, filled(255), 0),
                        "00010000FF" + filledHex(255)),
                Arguments.of("case 2E", new CommandApdu(0x00, 0xB0, 0x00, 0x00, null, 257), "00B00000000101"),
                Arguments.of("case 2E Le=65536", new CommandApdu(0x00, 0xB0, 0x00, 0x00, null, 65536), "00B00000000000"),
                Arguments.of("case 3E", new CommandApdu(0x00, 0x01, 0x00, 0x00, filled(256), 0),
                        "00010000000100" + filledHex(256)),
                Arguments.of("case 4E", new CommandApdu(0x00, 0x01, 0x00, 0x00, filled(256), 0x1234),
                        "00010000000100" + filledHex(256) + "1234"),
                Arguments.of("case 4E Le=65536", new CommandApdu(0x00, 0x01, 0x00, 0x00, filled(3), 65536),
                        "00010000000003000102" + "0000"),
                Arguments.of("case 4E by Le only", new CommandApdu(0x00, 0x01, 0x00, 0x00, filled(1), 257),
                        "0001000000000100" + "0101"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encodesAndParsesExactHex(String name, CommandApdu apdu, String hex) throws Exception {
        assertThat(Hex.of(apdu.encode())).isEqualTo(hex);
        assertThat(CommandApdu.parse(bytes(hex))).isEqualTo(apdu);
    }

    @Test
    void ykoathLoneLcZeroParsesAsCase2WithEmptyData() throws Exception {
        CommandApdu list = CommandApdu.parse(bytes("00A1000000"));
        assertThat(list.ins()).isEqualTo(0xA1);
        assertThat(list.data()).isEmpty();
        assertThat(list.ne()).isEqualTo(256);
    }

    @Test
    void parsesSliceOfLargerBuffer() throws Exception {
        byte[] buf = bytes("FFFF 00A4040002AABB FFFF");
        assertThat(CommandApdu.parse(buf, 2, 7)).isEqualTo(CommandApdu.of(0, 0xA4, 4, 0, bytes("AABB")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00", "00A404", "00A4040002AA", "00A4040001AABBCC", "00A404000000",
        "00A404000000020102030405", "00A4040000000001AA00"})
    void rejectsMalformed(String hex) {
        assertThatThrownBy(() -> CommandApdu.parse(bytes(hex))).isInstanceOf(ApduFormatException.class);
    }

    @Test
    void rejectsBadSliceAndNull() {
        assertThatThrownBy(() -> CommandApdu.parse(null)).isInstanceOf(ApduFormatException.class);
        assertThatThrownBy(() -> CommandApdu.parse(new byte[4], 2, 4)).isInstanceOf(ApduFormatException.class);
        assertThatThrownBy(() -> CommandApdu.parse(new byte[4], -1, 4)).isInstanceOf(ApduFormatException.class);
    }

    @Test
    void constructorRejectsOutOfRange() {
        assertThatThrownBy(() -> CommandApdu.of(256, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandApdu.of(0, -1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandApdu.of(0, 0, 0, 0, null, 65537)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommandApdu.of(0, 0, 0, 0, new byte[65536])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clonesDataInAndOut() {
        byte[] data = bytes("010203");
        CommandApdu apdu = CommandApdu.of(0, 1, 0, 0, data);
        data[0] = 9;
        apdu.data()[1] = 9;
        assertThat(apdu.data()).containsExactly(1, 2, 3);
    }

    @Test
    void toStringShowsHeaderAndLengthNotData() {
        CommandApdu apdu = CommandApdu.of(0, 0x01, 0, 0, bytes("DEADBEEFCAFE"), 0);
        assertThat(apdu.toString()).contains("00 01 00 00").contains("nc=6").doesNotContain("DEADBEEF")
                .doesNotContain("-34");
        assertThat(Arrays.toString(apdu.data())).isNotEqualTo(apdu.toString());
    }
}
