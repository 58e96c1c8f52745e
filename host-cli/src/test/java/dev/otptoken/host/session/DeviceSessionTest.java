package dev.otptoken.host.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.protocol.apdu.ApduException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeviceSessionTest {
    private final ScriptedTransport token = new ScriptedTransport();
    private final DeviceSession session = new DeviceSession(token);
    /** 1 700 000 000.123456 s = 0x00060A2418202240 µs. */
    private static final String MICROS = "00060A2418202240";
    private static final Instant TIME = Instant.ofEpochSecond(1_700_000_000L, 123_456_000L);

    @Test
    void selectsTheDeviceApplet() throws Exception {
        token.expect("00 A4 04 00 08 F0 4F 54 50 54 4B 4E 01", "90 00");
        session.select();
        token.assertDone();
    }

    @Test
    void infoParsesEveryField() throws Exception {
        token.expect("80 01 00 00 00", "01 04 00BC614E 02 03 010203 03 04 00000100 04 04 00010000 05 02 0003"
                + " 06 02 0064 07 04 0000001F 90 00");
        assertThat(session.info()).isEqualTo(new DeviceInfo(12_345_678L, "1.2.3", 256, 65_536, 3, 100, 0x1F));
    }

    @Test
    void clockParsesTimeSignedTrimStepRangeAndLastSet() throws Exception {
        token.expect("80 10 00 00 00", "10 08 " + MICROS + " 11 02 FFFB 12 04 000E8D4A 13 04 FC00 03FF"
                + " 14 08 0000000000000000 90 00");
        ClockReading r = session.clock();
        assertThat(r.tokenTime()).isEqualTo(TIME);
        assertThat(r.trim()).isEqualTo(-5);
        assertThat(r.trimStepPpt()).isEqualTo(953_674L);
        assertThat(r.trimMin()).isEqualTo(-1024);
        assertThat(r.trimMax()).isEqualTo(1023);
        assertThat(r.lastSet()).isEmpty();
        assertThat(r.trimPpm()).isCloseTo(-4.76837, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void setClockSendsMicrosAndForceFlag() throws Exception {
        token.expect("80 11 00 00 0A 10 08 " + MICROS, "90 00");
        token.expect("80 11 01 00 0A 10 08 " + MICROS, "90 00");
        session.setClock(TIME, false);
        session.setClock(TIME, true);
        token.assertDone();
    }

    @Test
    void backwardsClockIsRefusedWith6985() {
        token.expect("80 11 00 00 0A 10 08 " + MICROS, "69 85");
        assertThatThrownBy(() -> session.setClock(TIME, false))
                .isInstanceOfSatisfying(ApduException.class, e -> assertThat(e.statusWord()).isEqualTo(0x6985));
    }

    @Test
    void setTrimIsSignedTwoBytes() throws Exception {
        token.expect("80 12 00 00 04 11 02 FFFB", "90 00");
        session.setTrim(-5);
        token.assertDone();
    }

    @Test
    void malformedReplyIsAnIOException() {
        token.expect("80 10 00 00 00", "10 08 0000 90 00");
        assertThatThrownBy(session::clock).isInstanceOf(java.io.IOException.class);
    }
}
