package dev.otptoken.host.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.protocol.apdu.ApduException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The management application's answers as docs/management.md gives them, byte for byte. */
class ManagementSessionTest {
    private static final String SELECT = "00A4040008A000000527471117";
    private static final String READ_PAGE_0 = "001D000000";
    private static final String READ_PAGE_1 = "001D010000";
    /** yubikey-5-nfc, serial 23456789, firmware 5.4.3 (docs/management.md, "READ CONFIG"). */
    private static final String PAGE_5_4_3 = "2E 0102033F 03020024 02040165EC15 040101 050305 0403 06020000"
            + " 07010F 080100 0D02033F 0E020024 0A0100 0F0100 9000";
    private static final String PAGE_0_5_7_1 = "3B 0102033F 03020024 02040165EC15 040101 050305 0701 06020000"
            + " 07010F 080100 0D02033F 0E020024 0A0100 0F0100 2003000000 2103000000 100101 9000";
    private static final String PAGE_1_5_7_1 = "09 110400000000 120100 9000";

    private static String selectAnswer(String version) {
        return HexFormat.of().formatHex(("Virtual mgr - FW version " + version).getBytes(StandardCharsets.US_ASCII))
                + "9000";
    }

    @Test
    void aYubiKey5NfcWithFirmware543() throws Exception {
        ScriptedTransport t = new ScriptedTransport().expect(SELECT, selectAnswer("5.4.3"))
                .expect(READ_PAGE_0, PAGE_5_4_3);
        ManagementSession s = new ManagementSession(t);
        assertThat(s.select()).isEqualTo("5.4.3");
        ManagementInfo info = s.readInfo();
        t.assertDone();
        assertThat(info.serial()).isEqualTo(23_456_789L);
        assertThat(info.firmware()).isEqualTo("5.4.3");
        assertThat(info.deviceName()).isEqualTo("YubiKey 5 NFC");
        assertThat(info.oathCapacity()).isEqualTo(32);
        assertThat(info.oathOverUsb()).isTrue();
        assertThat(info.oathOverNfc()).isTrue();
        assertThat(info.usbSupported()).isEqualTo(0x033F);
    }

    @Test
    void firmware571HasTwoPagesAnd64Accounts() throws Exception {
        ScriptedTransport t = new ScriptedTransport().expect(SELECT, selectAnswer("5.7.1"))
                .expect(READ_PAGE_0, PAGE_0_5_7_1).expect(READ_PAGE_1, PAGE_1_5_7_1);
        ManagementSession s = new ManagementSession(t);
        assertThat(s.select()).isEqualTo("5.7.1");
        ManagementInfo info = s.readInfo();
        t.assertDone();
        assertThat(info.firmware()).isEqualTo("5.7.1");
        assertThat(info.oathCapacity()).isEqualTo(64);
        assertThat(info.deviceName()).isEqualTo("YubiKey 5 NFC");
    }

    @Test
    void theNamesOfOtherYubiKey5Keys() {
        assertThat(new ManagementInfo(1, 5, 4, 3, 0x03, 0, 0, 0x033F, 0x20).deviceName()).isEqualTo("YubiKey 5C NFC");
        assertThat(new ManagementInfo(1, 5, 4, 3, 0x01, 0, 0, 0, 0).deviceName()).isEqualTo("YubiKey 5");
        assertThat(new ManagementInfo(1, 5, 2, 7, 0x04, 0, 0, 0, 0).deviceName()).isEqualTo("YubiKey 5C Nano");
        assertThat(new ManagementInfo(1, 4, 3, 7, 0x01, 0, 0, 0, 0).deviceName()).isEqualTo("YubiKey");
        assertThat(new ManagementInfo(1, 4, 3, 7, 0x01, 0, 0, 0, 0).oathCapacity()).isEqualTo(32);
        assertThat(new ManagementInfo(1, 3, 4, 0, 0, 0, 0, 0, 0).oathCapacity()).isEqualTo(-1);
    }

    @Test
    void aTokenWithoutTheApplicationAnswers6A82() {
        ScriptedTransport t = new ScriptedTransport().expect(SELECT, "6A82");
        assertThatThrownBy(() -> new ManagementSession(t).select()).isInstanceOf(ApduException.class)
                .satisfies(e -> assertThat(((ApduException) e).statusWord()).isEqualTo(0x6A82));
    }

    @Test
    void malformedInformationIsRefusedInWords() {
        ScriptedTransport wrongLength = new ScriptedTransport().expect(READ_PAGE_0, "07 0503050403 9000");
        assertThatThrownBy(() -> new ManagementSession(wrongLength).readInfo()).isInstanceOf(IOException.class)
                .hasMessageContaining("malformed");
        ScriptedTransport noVersion = new ScriptedTransport().expect(READ_PAGE_0, "06 02040165EC15 9000");
        assertThatThrownBy(() -> new ManagementSession(noVersion).readInfo()).isInstanceOf(IOException.class)
                .hasMessageContaining("no firmware version");
        ScriptedTransport truncated = new ScriptedTransport().expect(READ_PAGE_0, "03 020401 9000");
        assertThatThrownBy(() -> new ManagementSession(truncated).readInfo()).isInstanceOf(IOException.class)
                .hasMessageContaining("VALUE_TRUNCATED");
        ScriptedTransport noText = new ScriptedTransport().expect(SELECT, "6E6F6E65 9000");
        assertThatThrownBy(() -> new ManagementSession(noText).select()).isInstanceOf(IOException.class)
                .hasMessageContaining("no firmware version");
    }
}
