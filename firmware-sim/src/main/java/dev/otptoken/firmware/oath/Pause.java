package dev.otptoken.firmware.oath;

import java.util.concurrent.TimeUnit;

/**
 * The token's own notion of "let time pass", used to slow down password guessing.
 *
 * <p>Injected so that the wait runs on the token's time source: the simulator waits on
 * its (possibly scaled) true time, tests advance a virtual clock and record the wait. The
 * applet calls it with no transaction open and no scratch buffer in use, so an
 * implementation may let the firmware's other tasks (button, display) use the chip
 * meanwhile.
 */
@FunctionalInterface
public interface Pause {
    /**
     * Returns once {@code millis} of token time have passed: {@code true}, or {@code false}
     * if the wait was cut short (the thread was interrupted, the token is stopping).
     */
    boolean pause(long millis);

    /**
     * Waits in real time (a token whose time is the wall clock); an interrupt ends the
     * wait early and keeps the interrupt flag.
     */
    static Pause sleeping() {
        return millis -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
            // bounded: every pass sleeps until the deadline, so it ends once it is reached
            for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                try {
                    TimeUnit.NANOSECONDS.sleep(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        };
    }
}
