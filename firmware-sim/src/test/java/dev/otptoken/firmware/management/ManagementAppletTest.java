package dev.otptoken.firmware.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.firmware.runtime.CardRuntime;
import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.protocol.management.Management;
import dev.otptoken.testing.Hex;
import org.junit.jupiter.api.Test;

/** The management applet on the card runtime, exact bytes, with values that differ from every model's. */
class ManagementAppletTest {
    private CardRuntime runtime;

    private void install(DeviceInfo info, long serial) {
        runtime = new CardRuntime(TransactionalMemory.fresh());
        runtime.install(Management.aid(), new ManagementApplet(info, serial));
    }

    private String tx(String hex) {
        return Hex.of(runtime.transmit(Hex.bytes(hex.replace(" ", ""))));
    }

    @Test
    void everyFieldGoesToItsTag() {
        install(new DeviceInfo(4, 3, 7, Management.FORM_FACTOR_USB_C_NANO, 0x0123, 0x0020, 0x0456, 0x0022, 9,
                DeviceInfo.Layout.ONE_PAGE), 0xFFFF_FFFEL);
        // "Virtual mgr - FW version 4.3.7"
        assertThat(tx("00A4040008A000000527471117"))
                .isEqualTo("5669727475616C206D6772202D2046572076657273696F6E20342E332E37" + "9000");
        assertThat(tx("001D000000")).isEqualTo("2E 01020123 03020020 0204FFFFFFFE 040104 0503040307 06020000 070109"
                .replace(" ", "") + "080100 0D020456 0E020022 0A0100 0F0100".replace(" ", "") + "9000");
    }

    @Test
    void theTwoPageLayoutAnnouncesThePageThatFollows() {
        install(new DeviceInfo(5, 7, 2, Management.FORM_FACTOR_USB_A_KEYCHAIN, 0x033F, 0x033F, 0x033F, 0x033F, 15,
                DeviceInfo.Layout.TWO_PAGES), 1);
        tx("00A4040008A000000527471117");
        assertThat(tx("001D000000")).isEqualTo(("3B 0102033F 0302033F 020400000001 040101 0503050702 06020000 07010F"
                + " 080100 0D02033F 0E02033F 0A0100 0F0100 2003000000 2103000000 100101 9000").replace(" ", ""));
        assertThat(tx("001D010000")).isEqualTo("09110400000000120100" + "9000");
    }

    @Test
    void valuesThatDoNotFitAreRefusedAtInstall() {
        DeviceInfo ok = new DeviceInfo(5, 4, 3, 1, 0x033F, 0x24, 0x033F, 0x24, 15, DeviceInfo.Layout.ONE_PAGE);
        assertThatThrownBy(() -> new ManagementApplet(ok, 1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ManagementApplet(ok, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeviceInfo(5, 4, 256, 1, 0, 0, 0, 0, 15, DeviceInfo.Layout.ONE_PAGE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeviceInfo(5, 4, 3, 1, 0x10000, 0, 0, 0, 15, DeviceInfo.Layout.ONE_PAGE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
