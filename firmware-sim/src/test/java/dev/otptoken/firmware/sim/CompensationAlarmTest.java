package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.firmware.device.ClockCompensation;
import dev.otptoken.firmware.device.CompensationCurve;
import dev.otptoken.hardware.clock.CrystalModel;
import dev.otptoken.hardware.clock.DriftingRtc;
import dev.otptoken.hardware.clock.TemperatureProfile;
import dev.otptoken.hardware.clock.TemperatureSensor;
import dev.otptoken.hardware.clock.TrimRegister;
import dev.otptoken.hardware.clock.VirtualTimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compensation's alarm at any time scale: the simulator looks for due updates every 20 ms
 * of host time, which is 2 s of simulated time at 100× and 20 000 s at 1 000 000×. A compensated
 * token (+18 ppm, turnover 27 °C, k 0.038, its curve written) through three days of a daily
 * 12–34 °C cycle from a {@code --temperature-profile} file, on virtual time, looked at as often
 * as each scale looks: the clock must come out the same.
 */
class CompensationAlarmTest {
    static final long S = 1_000_000_000L;
    static final long START = Instant.parse("2027-01-01T00:00:00Z").getEpochSecond() * S;
    static final long END = START + 3 * 86_400 * S;
    /** The simulator's look at the alarm, host time. */
    static final long LOOK_NANOS = SimulatedToken.COMPENSATION_POLL_MILLIS * 1_000_000L;
    static final double SENSOR_OFFSET = 0.6;
    static TemperatureProfile profile;

    @BeforeAll
    static void profile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("day.csv");
        Files.writeString(file, "0,12\n6h,34\n12h,20\n18h,30\n24h,12\nrepeat\n");
        profile = TemperatureProfileFile.read(file, START);
    }

    /** A compensated token on virtual time: the RTC, the sensor, the curve written, its alarm. */
    record Token(VirtualTimeSource clock, CompensationAlarm.Time time, DriftingRtc rtc,
                 ClockCompensation compensation, CompensationAlarm alarm) {
        static Token start() {
            VirtualTimeSource clock = new VirtualTimeSource(Instant.EPOCH);
            clock.setNanos(START);
            CompensationAlarm.Time time = new CompensationAlarm.Time(clock);
            DriftingRtc rtc = new DriftingRtc(time, new CrystalModel(18, 27, 0.038, 0, profile),
                    TrimRegister.STM32_CALR, START, START, 0);
            TemperatureSensor sensor = new TemperatureSensor(time, profile, SENSOR_OFFSET);
            // the curve on the sensor's scale: its turnover is the crystal's plus the sensor's offset
            CompensationCurve curve = new CompensationCurve(18_000, 2760, 38_000, 0, START / 1000, 2_592_000);
            ClockCompensation compensation = new ClockCompensation(rtc, sensor::readQuarterCelsius,
                    Optional.of(curve));
            return new Token(clock, time, rtc, compensation, new CompensationAlarm(rtc, time, compensation));
        }
    }

    /**
     * The token's clock minus true time at the end, ns, looked at every 20 ms of host time at
     * {@code timeScale}: each due update run at its instant, or (the way before) at the look.
     */
    static long offsetNanos(double timeScale, boolean atTheirInstants) {
        Token token = Token.start();
        long step = Math.round(LOOK_NANOS * timeScale);
        for (long t = START; t < END; t += step) {
            token.clock().setNanos(t);
            look(token, atTheirInstants);
        }
        token.clock().setNanos(END);
        look(token, atTheirInstants);
        return token.rtc().readNanos() - END;
    }

    private static void look(Token token, boolean atTheirInstants) {
        if (atTheirInstants) {
            token.alarm().runDue();
        } else {
            token.compensation().poll();
        }
    }

    @Test
    void aMillionTimesFasterGivesTheSameClock() {
        long slow = offsetNanos(100, true);
        long fast = offsetNanos(1_000_000, true);
        assertThat(Math.abs(slow)).as("compensated: +18 ppm alone is 4.7 s in three days").isLessThan(100_000_000L);
        assertThat(Math.abs(fast - slow)).as("%d ns at 100×, %d ns at 1 000 000×", slow, fast).isLessThanOrEqualTo(1_000);
        assertThat(Math.abs(offsetNanos(3_000, true) - slow)).isLessThanOrEqualTo(1_000);
    }

    @Test
    void updatesRunAtTheLookInsteadDriftWithTheTimeScale() {
        long slow = offsetNanos(100, true);
        long late = offsetNanos(1_000_000, false);
        System.out.printf("at their instants %d ns; at the looks of 1 000 000× %d ns%n", slow, late);
        assertThat(Math.abs(late - slow)).isGreaterThan(10_000_000L);
    }

    @Test
    void eachDueUpdateRunsOnceAtItsInstant() {
        Token token = Token.start();
        CompensationAlarm alarm = token.alarm();
        assertThat(alarm.runDue()).as("a curve at start is due at once").isEqualTo(1);
        token.clock().setNanos(START + 10 * ClockCompensation.INTERVAL_SECONDS * S);
        assertThat(alarm.runDue()).as("ten intervals later, ten updates (the token's clock runs near true time)")
                .isBetween(9, 10);
        assertThat(alarm.runDue()).isZero();
        assertThat(token.time().epochNanos()).as("true time is no longer held").isEqualTo(token.clock().epochNanos());
        assertThat(token.compensation().nextUpdateMicros()).isGreaterThan(token.rtc().readMicros());
    }
}
