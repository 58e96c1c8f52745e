package dev.otptoken.firmware.oath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.firmware.device.DeviceState;
import dev.otptoken.firmware.runtime.CorruptRegionException;
import dev.otptoken.hardware.memory.TransactionalMemory;
import org.junit.jupiter.api.Test;

/**
 * Only a region that was never written (all zero) is formatted; a damaged magic or a layout
 * version this firmware does not know is refused, so nothing in it is erased.
 */
class RegionCheckTest {
    static final int SIZE = 4 * 1024;
    static final int DEVICE = SIZE - DeviceState.SIZE;

    TransactionalMemory formatted() {
        TransactionalMemory m = TransactionalMemory.fresh(SIZE, TransactionalMemory.MIN_JOURNAL_SIZE, null);
        new OathApplet(m, 0, DEVICE, new FakeRtc(), t -> true, new OathHarness.SeqRandom(3), millis -> true);
        new DeviceState(m, DEVICE).format(1234, 0, 0, 0);
        return m;
    }

    void flip(TransactionalMemory m, int address, int bit) {
        m.write(address, new byte[] {(byte) (m.readByte(address) ^ (1 << bit))}, 0, 1);
    }

    @Test
    void emptyRegionsAreFormattedAndOursAreKept() throws Exception {
        TransactionalMemory m = TransactionalMemory.fresh(SIZE, TransactionalMemory.MIN_JOURNAL_SIZE, null);
        assertThat(AccountStore.inspectRegion(m, 0, DEVICE)).isFalse();
        assertThat(DeviceState.inspect(m, DEVICE)).isFalse();
        m = formatted();
        assertThat(AccountStore.inspectRegion(m, 0, DEVICE)).isTrue();
        assertThat(DeviceState.inspect(m, DEVICE)).isTrue();
    }

    @Test
    void everyBitFlipInTheOathMagicIsRefused() {
        for (int at = 0; at < 4; at++) {
            for (int bit = 0; bit < 8; bit++) {
                TransactionalMemory m = formatted();
                flip(m, at, bit);
                byte[] before = m.physicalImage();
                assertThatThrownBy(() -> AccountStore.inspectRegion(m, 0, DEVICE))
                        .isInstanceOf(CorruptRegionException.class).hasMessageContaining("OATH applet's region");
                assertThatThrownBy(() -> new OathApplet(m, 0, DEVICE, new FakeRtc(), t -> true,
                        new OathHarness.SeqRandom(3), millis -> true)).isInstanceOf(IllegalStateException.class);
                assertThat(m.physicalImage()).as("byte %d bit %d: nothing formatted", at, bit).isEqualTo(before);
            }
        }
    }

    @Test
    void aLaterLayoutVersionIsNamed() {
        TransactionalMemory m = formatted();
        m.write(3, new byte[] {'2'}, 0, 1);
        assertThatThrownBy(() -> AccountStore.inspectRegion(m, 0, DEVICE)).isInstanceOf(CorruptRegionException.class)
                .hasMessage("the OATH applet's region has layout version 2, this firmware knows version 1");
        m.write(DEVICE + 1, new byte[] {'3'}, 0, 1);
        assertThatThrownBy(() -> DeviceState.inspect(m, DEVICE)).isInstanceOf(CorruptRegionException.class)
                .hasMessage("the device applet's record has layout version 3, this firmware knows version 1");
    }

    @Test
    void everyBitFlipInTheDeviceMagicIsRefused() {
        for (int at = 0; at < 2; at++) {
            for (int bit = 0; bit < 8; bit++) {
                TransactionalMemory m = formatted();
                flip(m, DEVICE + at, bit);
                assertThatThrownBy(() -> DeviceState.inspect(m, DEVICE)).as("byte %d bit %d", at, bit)
                        .isInstanceOf(CorruptRegionException.class).hasMessageContaining("device applet's record");
            }
        }
    }

    @Test
    void aRegionWithoutMagicButWithDataIsNotEmpty() {
        TransactionalMemory m = formatted();
        m.write(0, new byte[4], 0, 4);
        assertThatThrownBy(() -> AccountStore.inspectRegion(m, 0, DEVICE)).isInstanceOf(CorruptRegionException.class)
                .hasMessageContaining("damaged (magic 00000000, expected 594B4F31)");
    }
}
