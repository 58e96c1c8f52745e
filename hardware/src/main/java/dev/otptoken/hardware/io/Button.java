package dev.otptoken.hardware.io;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The token's single button; a hold of {@link #LONG_PRESS_NANOS} or more is a long press. */
public final class Button {
    public static final long LONG_PRESS_NANOS = 2_000_000_000L;
    private final List<Consumer<ButtonEvent>> listeners = new CopyOnWriteArrayList<>();
    private long downAt = -1;
    private boolean down;

    public void addListener(Consumer<ButtonEvent> l) {
        listeners.add(l);
    }

    public void removeListener(Consumer<ButtonEvent> l) {
        listeners.remove(l);
    }

    /** A complete press, held from {@code downNanos} to {@code upNanos}. */
    public void press(long downNanos, long upNanos) {
        if (upNanos < downNanos) {
            throw new IllegalArgumentException("release before press");
        }
        long d = upNanos - downNanos;
        ButtonEvent e = new ButtonEvent(d >= LONG_PRESS_NANOS ? ButtonEvent.Kind.LONG : ButtonEvent.Kind.SHORT,
                upNanos, d);
        for (Consumer<ButtonEvent> l : listeners) {
            l.accept(e);
        }
    }

    public synchronized void pressDown(long nanos) {
        down = true;
        downAt = nanos;
    }

    /** Releases the button; a release without a press is ignored (contact bounce). */
    public void release(long nanos) {
        long start;
        synchronized (this) {
            if (!down) {
                return;
            }
            down = false;
            start = downAt;
        }
        press(start, Math.max(start, nanos));
    }

    public synchronized boolean isDown() {
        return down;
    }
}
