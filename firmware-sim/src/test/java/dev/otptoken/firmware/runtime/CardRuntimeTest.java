package dev.otptoken.firmware.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.hardware.memory.PowerLossError;
import dev.otptoken.hardware.memory.TransactionalMemory;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CardRuntimeTest {
    static final HexFormat HEX = HexFormat.of().withUpperCase();
    static final byte[] AID_A = {(byte) 0xA0, 0, 0, 0, 1};
    static final byte[] AID_B = {(byte) 0xA0, 0, 0, 0, 2};

    final TransactionalMemory memory = TransactionalMemory.fresh(64, TransactionalMemory.MIN_JOURNAL_SIZE, null);
    final CardRuntime rt = new CardRuntime(memory);

    /** Echoes header fields; INS 0xEE throws an unexpected exception inside a transaction. */
    final class Probe implements Applet {
        boolean accept = true;
        int deselects;
        int resets;

        @Override
        public boolean select(int iface) {
            return accept;
        }

        @Override
        public void deselect(int iface) {
            deselects++;
        }

        @Override
        public void process(Apdu apdu) {
            byte[] b = apdu.buffer();
            switch (apdu.ins()) {
                case 0xEE -> {
                    memory.beginTransaction();
                    memory.write(0, new byte[] {7}, 0, 1);
                    throw new IllegalStateException("boom");
                }
                case 0xEF -> throw new PowerLossError("cut");
                case 0x6A -> StatusWordException.throwIt(0x6A80);
                default -> {
                    int lc = apdu.lc();
                    int sel = apdu.isSelecting() ? 1 : 0;
                    b[0] = (byte) apdu.cla();
                    b[1] = (byte) apdu.ins();
                    b[2] = (byte) lc;
                    b[3] = (byte) sel;
                    apdu.setOutgoing(4);
                }
            }
        }

        @Override
        public void resetTransient(int iface) {
            resets++;
        }
    }

    String tx(String hex) {
        return HEX.formatHex(rt.transmit(HEX.parseHex(hex)));
    }

    @Test
    void selectDispatchAndStatusWords() {
        Probe a = new Probe();
        Probe b = new Probe();
        rt.install(AID_A, a);
        rt.install(AID_B, b);
        assertThat(tx("00A1000000")).isEqualTo("6A82");
        assertThat(tx("00A4040005A000000001")).isEqualTo("00A405019000");
        assertThat(tx("00A1000000")).isEqualTo("00A100009000");
        assertThat(tx("00A1")).isEqualTo("6700");
        assertThat(tx("00A1000010")).isEqualTo("00A100009000"); // case 2: Le only
        assertThat(tx("00A10000")).isEqualTo("00A100009000"); // case 1
        assertThat(tx("00A2000000")).isEqualTo("00A200009000");
        assertThat(tx("00A20000020102")).isEqualTo("00A202009000");
        assertThat(tx("00A2000002010200")).isEqualTo("00A202009000");
        assertThat(tx("00A200000201")).isEqualTo("6700");
        assertThat(tx("00A4000000")).isEqualTo("00A400009000"); // P1 != 04 goes to the applet
        assertThat(tx("006A000000")).isEqualTo("6A80");
        // prefix of an AID is not a match; the current selection is dropped
        assertThat(tx("00A4040004A0000000")).isEqualTo("6A82");
        assertThat(a.deselects).isEqualTo(1);
        assertThat(tx("00A1000000")).isEqualTo("6A82");
        assertThat(tx("00A4040005A000000002")).isEqualTo("00A405019000");
        b.accept = false;
        assertThat(tx("00A4040005A000000002")).isEqualTo("6A82");
        rt.warmReset();
        assertThat(a.resets).isEqualTo(1);
        assertThat(rt.hasSelection()).isFalse();
    }

    String tx(int iface, String hex) {
        return HEX.formatHex(rt.transmit(iface, HEX.parseHex(hex)));
    }

    /** A dual-interface chip: each interface has its own selection; power on one leaves the other. */
    @Test
    void interfacesHaveTheirOwnSelection() {
        Probe a = new Probe();
        Probe b = new Probe();
        rt.install(AID_A, a);
        rt.install(AID_B, b);
        assertThat(tx(CardRuntime.CONTACT, "00A4040005A000000001")).isEqualTo("00A405019000");
        assertThat(tx(CardRuntime.CONTACTLESS, "00A1000000")).isEqualTo("6A82");
        assertThat(tx(CardRuntime.CONTACTLESS, "00A4040005A000000002")).isEqualTo("00A405019000");
        rt.powerEvent(CardRuntime.CONTACTLESS);
        assertThat(a.resets).isEqualTo(1);
        assertThat(tx(CardRuntime.CONTACTLESS, "00A1000000")).isEqualTo("6A82");
        assertThat(tx(CardRuntime.CONTACT, "00A1000000")).isEqualTo("00A100009000");
        assertThat(a.deselects).isZero();
        assertThat(b.deselects).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rt.transmit(2, new byte[] {0, 0, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unexpectedExceptionIs6F00AndAbortsTheTransaction() {
        rt.install(AID_A, new Probe());
        tx("00A4040005A000000001");
        assertThat(tx("00EE000000")).isEqualTo("6F00");
        assertThat(memory.inTransaction()).isFalse();
        assertThat(memory.readByte(0)).isZero();
        assertThatThrownBy(() -> tx("00EF000000")).isInstanceOf(PowerLossError.class);
    }

    @Test
    void allocationFreeTransmitWritesIntoTheCallersBuffer() {
        rt.install(AID_A, new Probe());
        byte[] cmd = HEX.parseHex("00A4040005A000000001FFFF");
        byte[] out = new byte[258];
        assertThat(rt.transmit(cmd, 10, out)).isEqualTo(6);
        assertThat(HEX.formatHex(out, 0, 6)).isEqualTo("00A405019000");
    }

    @Test
    void statusWordExceptionsAreCachedWithoutStackTrace() {
        StatusWordException e = StatusWordException.of(0x6A80);
        assertThat(StatusWordException.of(0x6A80)).isSameAs(e);
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.statusWord()).isEqualTo(0x6A80);
    }
}
