package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.otptoken.firmware.device.DeviceState;
import dev.otptoken.firmware.oath.OathApplet;
import dev.otptoken.firmware.runtime.CardRuntime;
import dev.otptoken.testing.Hex;
import dev.otptoken.firmware.ui.ButtonTouchGate;
import dev.otptoken.firmware.ui.Readout;
import dev.otptoken.firmware.ui.TokenUi;
import dev.otptoken.hardware.clock.CrystalModel;
import dev.otptoken.hardware.clock.DriftingRtc;
import dev.otptoken.hardware.clock.TrimRegister;
import dev.otptoken.hardware.clock.VirtualTimeSource;
import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.Totp;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * Decades of simulated time on a virtual clock with a drifting crystal: the code a press
 * shows is the RFC 6238 code at the RTC's own reading — which by then is far from true
 * time — not at true time.
 */
class DriftingDisplayTest {
    static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    static final Instant BORN = Instant.parse("2026-01-01T00:00:00Z");
    static final double DRIFT_PPM = 20.0;

    @Test
    void twentyYearsOfDriftTheDisplayFollowsTheRtc() {
        VirtualTimeSource time = new VirtualTimeSource(BORN);
        DriftingRtc rtc = new DriftingRtc(time, CrystalModel.of(DRIFT_PPM, 25, 0), TrimRegister.STM32_CALR);
        TransactionalMemory memory = TransactionalMemory.fresh();
        int deviceBase = memory.size() - DeviceState.SIZE;
        ButtonTouchGate gate = new ButtonTouchGate();
        ReentrantLock chip = new ReentrantLock();
        OathApplet oath = new OathApplet(memory, 0, deviceBase, rtc, gate::awaitTouch, new SecureRandom());
        DeviceState state = new DeviceState(memory, deviceBase);
        long bornMicros = BORN.getEpochSecond() * 1_000_000L;
        state.format(7, bornMicros, bornMicros, 0);
        CardRuntime runtime = new CardRuntime(memory);
        runtime.install(Oath.aid(), oath);
        List<Optional<Readout>> shown = new ArrayList<>();
        TokenUi ui = new TokenUi(rtc, new OathAccounts(oath), state, gate, chip, shown::add);
        assertThat(Hex.of(runtime.transmit(Hex.bytes("00A4040007A0000005272101")))).endsWith("9000");
        assertThat(Hex.of(runtime.transmit(Hex.bytes("00010000 1E 7104 74657374 7316 2106"
                .replace(" ", "") + Hex.of(KEY))))).isEqualTo("9000");

        int checked = 0;
        boolean sawDifferentFromTrueTime = false;
        for (int day = 0; day <= 20 * 365; day += 97) {
            time.set(BORN.plus(Duration.ofDays(day)).plusSeconds(3 + day % 20));
            shown.clear();
            ui.press();
            Instant reading = Instant.EPOCH.plus(rtc.readMicros(), ChronoUnit.MICROS);
            Instant trueNow = Instant.ofEpochSecond(0, time.epochNanos());
            // the crystal runs 20 ppm fast: the reading leads true time by 20 ppm of the age
            double lead = Duration.between(trueNow, reading).toNanos() / 1e9;
            assertThat(lead).isCloseTo(DRIFT_PPM * 1e-6 * Duration.between(BORN, trueNow).toSeconds(), within(0.001));
            Readout r = shown.get(shown.size() - 1).orElseThrow();
            int period = 30;
            String atReading = Totp.code(HashAlgorithm.SHA1, KEY, reading, period, 6);
            if (Totp.secondsRemaining(reading, period) <= 5) {
                // in the last five seconds a press shows the next step's code
                atReading = Totp.code(HashAlgorithm.SHA1, KEY, reading.plusSeconds(period), period, 6);
            }
            assertThat(r.code()).as("day %d", day).isEqualTo(atReading);
            sawDifferentFromTrueTime |= !r.code().equals(Totp.code(HashAlgorithm.SHA1, KEY, trueNow, period, 6));
            checked++;
        }
        assertThat(checked).isGreaterThan(70);
        // after 20 years at 20 ppm the token is 3 minutes ahead: its codes are not true time's
        assertThat(sawDifferentFromTrueTime).isTrue();
    }
}
