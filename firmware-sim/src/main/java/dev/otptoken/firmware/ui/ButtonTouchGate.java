package dev.otptoken.firmware.ui;

/**
 * The button as the OATH applet's touch gate: the applet's thread waits (bounded) for a
 * press; the button's thread releases it. A press while nobody waits is not remembered,
 * so an old press can never approve a later request.
 */
public final class ButtonTouchGate {
    private boolean waiting;
    private boolean touched;
    private boolean cancelled;
    private final Runnable onWaitChange;

    /** @param onWaitChange told when a wait starts or ends (to show "touch" on the face) */
    public ButtonTouchGate(Runnable onWaitChange) {
        this.onWaitChange = onWaitChange;
    }

    public ButtonTouchGate() {
        this(() -> { });
    }

    /**
     * Waits at most {@code timeoutMillis} for a press. Returns whether it came; an
     * interrupt ends the wait as "no touch" and keeps the interrupt flag.
     */
    public boolean awaitTouch(long timeoutMillis) {
        synchronized (this) {
            waiting = true;
            touched = false;
        }
        onWaitChange.run();
        try {
            synchronized (this) {
                long deadline = System.nanoTime() + Math.max(0, timeoutMillis) * 1_000_000L;
                while (!touched && !cancelled) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        wait(Math.max(1, left / 1_000_000L));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                return touched;
            }
        } finally {
            synchronized (this) {
                waiting = false;
                touched = false;
            }
            onWaitChange.run();
        }
    }

    /**
     * The token is stopping: a request waiting for a press ends now, not touched, and later
     * ones do not wait (a stop must not sit out the touch time-out).
     */
    public synchronized void cancel() {
        cancelled = true;
        notifyAll();
    }

    /** Whether a host request waits for a press now. */
    public synchronized boolean isWaiting() {
        return waiting;
    }

    /** A press: releases a waiting request and returns true, or returns false if none waits. */
    public synchronized boolean release() {
        if (!waiting || touched) {
            return false;
        }
        touched = true;
        notifyAll();
        return true;
    }
}
