package dev.otptoken.firmware.sim;

import dev.otptoken.firmware.device.ClockCompensation;
import dev.otptoken.hardware.clock.DriftingRtc;
import dev.otptoken.hardware.clock.TimeSource;
import java.util.Objects;

/**
 * The RTC's wakeup alarm that runs the firmware's compensation ({@link ClockCompensation})
 * every 64 s of the token's clock. On the chip the alarm goes off at that reading and the
 * update runs at once. The simulator looks for it between APDUs and every
 * {@link SimulatedToken#COMPENSATION_POLL_MILLIS} ms of host time, which at a large
 * {@code --time-scale} is many intervals of the token's clock apart (at 100 000× a look every
 * 2000 s). So {@link #runDue()} runs every update that came due, in order, each as at the true
 * instant its alarm went off: the sensor read at that instant, the trim changed from it on
 * (the RTC answers in closed form, so a trim set at a past instant is exact), the next alarm
 * found from that trim. The clock then comes out the same at every time scale
 * ({@code CompensationAlarmTest}).
 *
 * <p>The instant is held in {@link Time}, per thread: only the thread running the updates,
 * under the chip's lock, sees the past; the RTC and the sensor read {@link Time} as their
 * true time.
 */
final class CompensationAlarm {
    private final DriftingRtc rtc;
    private final Time time;
    private final ClockCompensation compensation;

    /** @param rtc the RTC on {@code time}; the compensation's sensor reads {@code time} too */
    CompensationAlarm(DriftingRtc rtc, Time time, ClockCompensation compensation) {
        this.rtc = Objects.requireNonNull(rtc);
        this.time = Objects.requireNonNull(time);
        this.compensation = Objects.requireNonNull(compensation);
    }

    /**
     * Runs every update due by now, each at the true instant its alarm went off; the caller
     * holds the chip. Without a curve, nothing.
     *
     * @return how many ran
     */
    int runDue() {
        int ran = 0;
        for (long next = compensation.nextUpdateMicros(); next != Long.MAX_VALUE && rtc.readMicros() >= next;
                next = compensation.nextUpdateMicros()) {
            time.runAt(rtc.trueNanosWhenReading(next * 1000), compensation::update);
            ran++;
        }
        return ran;
    }

    /**
     * True time, or, in the thread running {@link CompensationAlarm#runDue}, the instant the
     * alarm being served went off.
     */
    static final class Time implements TimeSource {
        private final TimeSource now;
        private final ThreadLocal<long[]> pinned = new ThreadLocal<>();

        Time(TimeSource now) {
            this.now = Objects.requireNonNull(now);
        }

        @Override
        public long epochNanos() {
            long[] at = pinned.get();
            return at != null ? at[0] : now.epochNanos();
        }

        /** Runs {@code action} in this thread with true time held at {@code nanos}. */
        void runAt(long nanos, Runnable action) {
            pinned.set(new long[] {nanos});
            try {
                action.run();
            } finally {
                pinned.remove();
            }
        }
    }
}
