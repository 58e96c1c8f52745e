package dev.otptoken.hardware.io;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A row of {@link #DIGITS} seven-segment digits plus account, countdown, mark and battery indicators. */
public final class Display {
    public static final int DIGITS = 8;
    public static final int MAX_ACCOUNT = 99;
    private final List<Consumer<DisplayState>> listeners = new CopyOnWriteArrayList<>();
    private DisplayState state = DisplayState.OFF;

    public void addListener(Consumer<DisplayState> l) {
        listeners.add(l);
    }

    public synchronized DisplayState state() {
        return state;
    }

    /** Lights the display; {@code text} (at most {@link #DIGITS} glyphs) is right-aligned. */
    public void show(String text, int account, int secondsLeft, boolean marked, boolean lowBattery) {
        if (text.length() > DIGITS) {
            throw new IllegalArgumentException("at most " + DIGITS + " characters: " + text.length());
        }
        if (account < 0 || account > MAX_ACCOUNT || secondsLeft < 0) {
            throw new IllegalArgumentException("account 0.." + MAX_ACCOUNT + " and secondsLeft >= 0");
        }
        int[] seg = new int[DIGITS];
        int pad = DIGITS - text.length();
        for (int i = 0; i < text.length(); i++) {
            seg[pad + i] = SevenSegment.encode(text.charAt(i));
        }
        update(new DisplayState(true, text, seg, account, secondsLeft, marked, lowBattery));
    }

    public void off() {
        update(DisplayState.OFF);
    }

    private void update(DisplayState s) {
        synchronized (this) {
            if (s.equals(state)) {
                return;
            }
            state = s;
        }
        for (Consumer<DisplayState> l : listeners) {
            l.accept(s);
        }
    }
}
