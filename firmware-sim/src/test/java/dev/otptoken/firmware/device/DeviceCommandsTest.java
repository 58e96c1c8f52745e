package dev.otptoken.firmware.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.testing.Hex;
import dev.otptoken.firmware.testing.LinearRtc;
import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.protocol.device.Device;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every device-applet command and refusal, exact bytes in and out. */
class DeviceCommandsTest {
    static final long T0 = 1_700_000_000_000_000L; // 00060A24181E4000
    static final String T0_HEX = "00060A24181E4000";
    static final int FEATURES = Device.FEATURE_RTC | Device.FEATURE_TRIM | Device.FEATURE_DISPLAY
            | Device.FEATURE_BUTTON | Device.FEATURE_TOUCH;

    TransactionalMemory memory;
    DeviceState state;
    LinearRtc rtc;
    DeviceCommands device;
    CompensationRecord curve;
    ClockCompensation compensation;
    /** The temperature sensor's reading, steps of 0.25 °C. */
    int quarters = 90;
    int accounts = 2;

    @BeforeEach
    void setUp() {
        memory = TransactionalMemory.fresh(256, TransactionalMemory.MIN_JOURNAL_SIZE, null);
        state = new DeviceState(memory, 16);
        rtc = new LinearRtc(T0);
        state.format(0x01020304L, T0, T0, 0);
        curve = new CompensationRecord(memory, 64);
        compensation = new ClockCompensation(rtc, () -> quarters, curve.curve());
        device = new DeviceCommands(state, curve, compensation, rtc, rtc::trueMicros, new CapacityReport() {
            @Override
            public int accountsUsed() {
                return accounts;
            }

            @Override
            public int accountsCapacity() {
                return 32;
            }

            @Override
            public long bytesUsed() {
                return 0x100;
            }

            @Override
            public long bytesTotal() {
                return 0x2000;
            }
        }, FEATURES);
    }

    /** Sends {@code CLA INS P1 P2 [Lc data]} and returns the reply data and SW in hex. */
    String send(String apdu) {
        byte[] a = Hex.bytes(apdu);
        int lc = a.length > 4 ? a[4] & 0xFF : 0;
        byte[] out = new byte[DeviceCommands.MAX_REPLY];
        try {
            int n = device.process(a[0] & 0xFF, a[1] & 0xFF, a[2] & 0xFF, a[3] & 0xFF, a, 5, lc, out);
            return Hex.of(Arrays.copyOf(out, n)) + "9000";
        } catch (CommandRefused e) {
            return String.format("%04X", e.sw());
        }
    }

    @Test
    void getInfo() {
        assertThat(send("80 01 00 00")).isEqualTo(
                "010401020304" + "0203050700"
                        + "030400000100" + "040400002000" + "05020002" + "06020020" + "07040000001F" + "9000");
        assertThat(send("80 01 00 00 00")).endsWith("9000");
    }

    @Test
    void getClockOfAFreshToken() {
        assertThat(send("80 10 00 00")).isEqualTo("1008" + T0_HEX + "11020000" + "1204000E8D4A"
                + "1304FE010200" + "14080000000000000000" + "9000");
    }

    @Test
    void getClockRunsWithTheRtc() {
        rtc.advanceMicros(1_500_000);
        assertThat(send("80 10 00 00")).startsWith("100800060A2418352360");
    }

    @Test
    void setClockForwardAndRecordsLastSet() {
        assertThat(send("80 11 00 00 0A 10 08 00060A2418B6D680")).isEqualTo("9000");
        assertThat(send("80 10 00 00")).isEqualTo("1008" + "00060A2418B6D680" + "11020000" + "1204000E8D4A"
                + "1304FE010200" + "1408" + "00060A2418B6D680" + "9000");
        assertThat(state.anchorRtcMicros()).isEqualTo(T0 + 10_000_000);
    }

    @Test
    void setClockBackwardsNeedsForce() {
        assertThat(send("80 11 00 00 0A 10 08 00060A24148AB900")).isEqualTo("6985");
        assertThat(send("80 10 00 00")).startsWith("1008" + T0_HEX);
        assertThat(send("80 11 01 00 0A 10 08 00060A24148AB900")).isEqualTo("9000");
        assertThat(send("80 10 00 00")).startsWith("1008" + "00060A24148AB900");
    }

    @Test
    void setTrimChangesTheRate() {
        assertThat(send("80 11 00 00 0A 10 08 00060A2418B6D680")).isEqualTo("9000");
        assertThat(send("80 12 00 00 04 11 02 0200")).isEqualTo("9000");
        rtc.advanceMicros(1_000_000);
        // +512 steps of 2^-20: 1 s reads 1.000488281 s
        assertThat(send("80 10 00 00")).startsWith("1008" + "00060A2418C61AA8" + "11020200");
        assertThat(send("80 12 00 00 04 11 02 FE01")).isEqualTo("9000");
        assertThat(send("80 10 00 00")).contains("1102FE01");
        assertThat(state.trim()).isEqualTo(-511);
    }

    @Test
    void getAndSetDisplay() {
        assertThat(send("80 20 00 00")).isEqualTo("200100" + "2102001E" + "9000");
        assertThat(send("80 21 00 00 07 2001 01 2102 003C")).isEqualTo("9000");
        assertThat(send("80 20 00 00")).isEqualTo("200101" + "2102003C" + "9000");
        assertThat(send("80 21 00 00 04 2102 0000")).isEqualTo("9000");
        assertThat(send("80 20 00 00")).isEqualTo("200101" + "21020000" + "9000");
        assertThat(send("80 21 00 00 03 2001 00")).isEqualTo("9000");
        assertThat(send("80 20 00 00")).isEqualTo("200100" + "21020000" + "9000");
    }

    @Test
    void theStateSurvivesARestart() {
        send("80 11 00 00 0A 10 08 00060A2418B6D680");
        rtc.advanceMicros(2_000_000);
        send("80 12 00 00 04 11 02 FFF6");
        send("80 21 00 00 07 2001 01 2102 0078");
        DeviceState again = new DeviceState(memory, 16);
        assertThat(again.formatted()).isTrue();
        assertThat(again.serial()).isEqualTo(0x01020304L);
        assertThat(again.trim()).isEqualTo(-10);
        assertThat(again.anchorTrueMicros()).isEqualTo(T0 + 2_000_000);
        assertThat(again.anchorRtcMicros()).isEqualTo(T0 + 12_000_000);
        assertThat(again.lastSetMicros()).isEqualTo(T0 + 10_000_000);
        assertThat(again.selectedAccount()).isEqualTo(1);
        assertThat(again.timeoutSeconds()).isEqualTo(120);
        assertThat(new DeviceState(TransactionalMemory.fresh(64, TransactionalMemory.MIN_JOURNAL_SIZE, null), 0).formatted()).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // wrong lengths
        "80 01 00 00 01 00, 6700",
        "80 10 00 00 02 0000, 6700",
        "80 20 00 00 01 00, 6700",
        "80 11 00 00 09 10 08 00060A2418B6D6, 6700",
        "80 11 00 00 0B 10 08 00060A2418B6D68000, 6700",
        "80 11 00 00 0A 10 07 00060A2418B6D680, 6700",
        "80 12 00 00 03 11 02 00, 6700",
        "80 12 00 00 04 11 01 0000, 6700",
        "80 21 00 00 00, 6700",
        "80 21 00 00 03 2002 01, 6700",
        "80 21 00 00 04 2101 0000, 6700",
        "80 21 00 00 01 20, 6700",
        // wrong data
        "80 11 00 00 0A 11 08 00060A2418B6D680, 6A80",
        "80 12 00 00 04 10 02 0000, 6A80",
        "80 12 00 00 04 11 02 0201, 6A80",
        "80 12 00 00 04 11 02 FE00, 6A80",
        "80 12 00 00 04 11 02 7FFF, 6A80",
        "80 21 00 00 03 2001 02, 6A80",
        "80 21 00 00 04 2102 002D, 6A80",
        "80 21 00 00 04 2102 0001, 6A80",
        "80 21 00 00 03 2201 00, 6A80",
        "80 21 00 00 06 2001 00 2001 00, 6A80",
        // P1/P2
        "80 01 01 00, 6A86",
        "80 01 00 01, 6A86",
        "80 10 00 01, 6A86",
        "80 11 02 00 0A 10 08 00060A2418B6D680, 6A86",
        "80 11 00 01 0A 10 08 00060A2418B6D680, 6A86",
        "80 12 01 00 04 11 02 0000, 6A86",
        "80 20 01 00, 6A86",
        "80 21 00 01 03 2001 00, 6A86",
        // INS and CLA
        "80 02 00 00, 6D00",
        "80 16 00 00, 6D00",
        "80 A4 04 00, 6D00",
        "00 01 00 00, 6E00",
    })
    void refusals(String apdu, String sw) {
        assertThat(send(apdu)).isEqualTo(sw);
    }

    @Test
    void refusedCommandsChangeNothing() {
        String before = send("80 10 00 00") + send("80 20 00 00");
        long writes = memory.writeCount();
        send("80 11 00 00 0A 10 08 00060A24148AB900");
        send("80 12 00 00 04 11 02 0201");
        send("80 21 00 00 07 2001 05 2102 003C");
        send("80 21 00 00 07 2001 00 2102 003D");
        assertThat(memory.writeCount()).isEqualTo(writes);
        assertThat(send("80 10 00 00") + send("80 20 00 00")).isEqualTo(before);
    }
}
