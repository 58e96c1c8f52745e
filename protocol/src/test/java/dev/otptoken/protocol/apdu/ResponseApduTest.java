package dev.otptoken.protocol.apdu;

import static dev.otptoken.testing.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.testing.Hex;
import org.junit.jupiter.api.Test;

class ResponseApduTest {
    @Test
    void parsesDataAndStatusWord() throws Exception {
        ResponseApdu r = ResponseApdu.parse(bytes("790305070071089000"));
        assertThat(Hex.of(r.data())).isEqualTo("7903050700710890".substring(0, 14));
        assertThat(r.sw()).isEqualTo(0x9000);
        assertThat(r.sw1()).isEqualTo(0x90);
        assertThat(r.sw2()).isEqualTo(0x00);
        assertThat(r.isOk()).isTrue();
        assertThat(Hex.of(r.encode())).isEqualTo("790305070071089000");
    }

    @Test
    void statusWordOnly() throws Exception {
        ResponseApdu r = ResponseApdu.parse(bytes("6A84"));
        assertThat(r.data()).isEmpty();
        assertThat(r.isOk()).isFalse();
        assertThat(r.sw1()).isEqualTo(0x6A);
        assertThat(r.sw2()).isEqualTo(0x84);
        assertThat(r.toString()).contains("6A84 (not enough memory)").contains("length=0");
    }

    @Test
    void rejectsShorterThanStatusWord() {
        assertThatThrownBy(() -> ResponseApdu.parse(new byte[0])).isInstanceOf(ApduFormatException.class);
        assertThatThrownBy(() -> ResponseApdu.parse(bytes("90"))).isInstanceOf(ApduFormatException.class);
        assertThatThrownBy(() -> ResponseApdu.parse(null)).isInstanceOf(ApduFormatException.class);
    }

    @Test
    void toStringHidesData() {
        assertThat(new ResponseApdu(bytes("DEADBEEF"), 0x9000).toString())
                .isEqualTo("ResponseApdu[sw=9000 (success), length=4]");
    }

    @Test
    void requireOkReturnsDataOrThrowsWithStatusWord() throws Exception {
        assertThat(ApduException.requireOk(new ResponseApdu(bytes("0102"), 0x9000))).containsExactly(1, 2);
        assertThatThrownBy(() -> ApduException.requireOk(ResponseApdu.of(0x6982)))
                .isInstanceOfSatisfying(ApduException.class, e -> {
                    assertThat(e.statusWord()).isEqualTo(0x6982);
                    assertThat(e.getMessage()).contains("6982 (security status not satisfied)");
                });
    }
}
