package dev.otptoken.firmware.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.otptoken.hardware.memory.PowerLossError;
import dev.otptoken.hardware.memory.TransactionalMemory;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GET TEMPERATURE, GET and SET COMPENSATION, exact bytes; the curve's transaction and its dithering. */
class CompensationCommandsTest {
    static final String T0_HEX = DeviceCommandsTest.T0_HEX;
    static final long T0 = DeviceCommandsTest.T0;
    static final int FEATURES = DeviceCommandsTest.FEATURES;
    /** +18 ppm at a 25.00 °C turnover, k 0.034, α 1.166 ppm from T0 with τ = 30 days. */
    static final String CURVE = "3004" + "00004650" + "3102" + "09C4" + "3204" + "000084D0" + "3304" + "0000048E"
            + "3408" + T0_HEX + "3504" + "00278D00";
    static final String SET = "80 14 00 00 26 " + CURVE;

    final DeviceCommandsTest device = new DeviceCommandsTest();
    TransactionalMemory memory;
    DeviceState state;
    dev.otptoken.firmware.testing.LinearRtc rtc;
    ClockCompensation compensation;
    int quarters = 90;

    @org.junit.jupiter.api.BeforeEach
    void setUp() {
        device.setUp();
        memory = device.memory;
        state = device.state;
        rtc = device.rtc;
        compensation = device.compensation;
    }

    String send(String apdu) {
        device.quarters = quarters;
        return device.send(apdu);
    }

    @Test
    void temperatureInQuarterDegrees() {
        assertThat(send("80 15 00 00")).isEqualTo("1502005A9000");
        quarters = -22;
        assertThat(send("80 15 00 00")).isEqualTo("1502FFEA9000");
        assertThat(send("80 15 00 00 00")).isEqualTo("1502FFEA9000");
        assertThat(send("80 15 01 00")).isEqualTo("6A86");
        assertThat(send("80 15 00 00 02 1502")).isEqualTo("6700");
    }

    @Test
    void noCurveAtFirst() {
        assertThat(send("80 13 00 00")).isEqualTo("9000");
        assertThat(compensation.nextUpdateMicros()).isEqualTo(Long.MAX_VALUE);
    }

    /** 22.5 °C: 18 − 0.034·2.5² = 17.7875 ppm, −18.65 steps; the first trim is −19 (FFED). */
    @Test
    void setCurveStartsWithTheNearestTrimInOneWrite() {
        assertThat(send(SET)).isEqualTo("9000");
        assertThat(send("80 13 00 00")).isEqualTo(CURVE + "36020040" + "9000");
        assertThat(send("80 10 00 00")).contains("1102FFED");
        assertThat(state.trim()).isEqualTo(-19);
        assertThat(new CompensationRecord(memory, 64).curve()).contains(
                new CompensationCurve(18_000, 2500, 34_000, 1166, T0, 2_592_000));
        assertThat(compensation.nextUpdateMicros()).isEqualTo(T0 + 64_000_000);
    }

    @Test
    void offTurnsItOffAndKeepsTheTrim() {
        send(SET);
        assertThat(send("80 14 00 00")).isEqualTo("9000");
        assertThat(send("80 13 00 00")).isEqualTo("9000");
        assertThat(send("80 10 00 00")).contains("1102FFED");
        assertThat(new CompensationRecord(memory, 64).curve()).isEmpty();
    }

    @Test
    void aTrimSetByHandEndsTheCompensation() {
        send(SET);
        assertThat(send("80 12 00 00 04 11 02 FFF6")).isEqualTo("9000");
        assertThat(send("80 13 00 00")).isEqualTo("9000");
        assertThat(new CompensationRecord(memory, 64).curve()).isEmpty();
        assertThat(state.trim()).isEqualTo(-10);
    }

    @ParameterizedTest
    @CsvSource({
        "80 14 00 00 25 3004000046503102 09C4320400 0084D0330400 00048E3408 00060A24181E4000 3504 00278D, 6700",
        "80 14 01 00 26 " + "3004000046503102" + "09C4320400" + "0084D0330400" + "00048E3408" + "00060A24181E4000"
                + "350400278D00, 6A86",
        "80 14 00 00 26 3104000046503002 09C4320400 0084D0330400 00048E3408 00060A24181E4000 350400278D00, 6A80",
        "80 14 00 00 26 3003000046503102 09C4320400 0084D0330400 00048E3408 00060A24181E4000 350400278D00, 6700",
        // k negative
        "80 14 00 00 26 3004000046503102 09C43204FF FF7B30330400 00048E3408 00060A24181E4000 350400278D00, 6A80",
        // turnover 90 °C
        "80 14 00 00 26 3004000046503102 2328320400 0084D0330400 00048E3408 00060A24181E4000 350400278D00, 6A80",
        // τ = 0
        "80 14 00 00 26 3004000046503102 09C4320400 0084D0330400 00048E3408 00060A24181E4000 350400000000, 6A80",
    })
    void refusalsChangeNothing(String apdu, String sw) {
        assertThat(send(apdu)).isEqualTo(sw);
        assertThat(send("80 13 00 00")).isEqualTo("9000");
        assertThat(send("80 10 00 00")).contains("11020000");
    }

    /** The trim dithers between −19 and −18 so that its average over time is −18.651 steps. */
    @Test
    void fractionalStepsAreDitheredToTheWantedAverage() {
        send(SET);
        double wanted = -17.7875 / 0.95367431640625;
        double stepSeconds = 0;
        double seconds = 0;
        for (int i = 0; i < 1000; i++) {
            long before = rtc.readMicros();
            int trim = rtc.trim();
            assertThat(trim).isBetween(-19, -18);
            rtc.advanceMicros(compensation.nextUpdateMicros() - before);
            while (rtc.readMicros() < compensation.nextUpdateMicros()) {
                rtc.advanceMicros(1);
            }
            double dt = (rtc.readMicros() - before) / 1e6;
            stepSeconds += trim * dt;
            seconds += dt;
            compensation.poll();
        }
        // aging adds 1.166·ln(1 + 64 000 s / 30 d) ≈ 0.029 ppm by the end: 0.03 steps
        assertThat(stepSeconds / seconds).isCloseTo(wanted - 0.015, within(0.02));
    }

    @Test
    void theTrimFollowsTheTemperature() {
        send(SET);
        device.quarters = 40; // 10 °C: 18 − 0.034·15² = 10.35 ppm → −10.85 steps
        for (int i = 0; i < 20; i++) {
            rtc.advanceSeconds(64.01);
            compensation.poll();
        }
        assertThat(rtc.trim()).isBetween(-11, -10);
    }

    /**
     * A power cut after each physical write of SET COMPENSATION: at the next power-up either
     * nothing changed (no curve, trim 0, the old anchor) or all of it did.
     */
    @Test
    void aCutLeavesTheOldClockStateOrTheNew() {
        byte[][] saved = new byte[1][];
        int cuts = 0;
        for (int n = 1; n < 40; n++) {
            TransactionalMemory m = TransactionalMemory.fresh(256, TransactionalMemory.MIN_JOURNAL_SIZE,
                    image -> saved[0] = image);
            DeviceState s = new DeviceState(m, 16);
            s.format(0x01020304L, T0, T0, 0);
            CompensationRecord r = new CompensationRecord(m, 64);
            rtc.advanceMicros(1_000_000);
            DeviceCommands d = new DeviceCommands(s, r, new ClockCompensation(rtc, () -> 90, Optional.empty()),
                    rtc, rtc::trueMicros, DeviceCommandsTestCapacity.INSTANCE, FEATURES);
            m.setPowerCutAfterWrites(n);
            boolean cut = false;
            try {
                byte[] a = dev.otptoken.testing.Hex.bytes(SET);
                d.process(0x80, 0x14, 0, 0, a, 5, a.length - 5, new byte[DeviceCommands.MAX_REPLY]);
            } catch (PowerLossError e) {
                cut = true;
                cuts++;
            } catch (CommandRefused e) {
                throw new AssertionError(e);
            }
            TransactionalMemory after = TransactionalMemory.powerUp(cut ? saved[0] : m.physicalImage(), null);
            DeviceState s2 = new DeviceState(after, 16);
            Optional<CompensationCurve> c2 = new CompensationRecord(after, 64).curve();
            if (c2.isPresent()) {
                assertThat(s2.trim()).isEqualTo(-19);
                assertThat(s2.anchorTrueMicros()).isEqualTo(rtc.trueMicros());
            } else {
                assertThat(s2.trim()).isZero();
                assertThat(s2.anchorTrueMicros()).isEqualTo(T0);
                assertThat(cut).isTrue();
            }
            if (!cut) {
                break;
            }
        }
        assertThat(cuts).isGreaterThan(3);
    }

    /** The capacity the device tests report. */
    enum DeviceCommandsTestCapacity implements CapacityReport {
        INSTANCE;

        @Override
        public int accountsUsed() {
            return 0;
        }

        @Override
        public int accountsCapacity() {
            return 1;
        }

        @Override
        public long bytesUsed() {
            return 0;
        }

        @Override
        public long bytesTotal() {
            return 1;
        }
    }
}
