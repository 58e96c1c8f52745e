package dev.otptoken.hardware.io;

import java.util.Arrays;
import java.util.Objects;

/** What the display shows: text, its segment masks, and the indicators. */
public record DisplayState(boolean on, String text, int[] segments, int account, int secondsLeft,
                           boolean marked, boolean lowBattery) {
    public static final DisplayState OFF = new DisplayState(false, "", new int[0], 0, 0, false, false);

    public DisplayState {
        segments = segments.clone();
    }

    @Override
    public int[] segments() {
        return segments.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DisplayState s && on == s.on && text.equals(s.text) && Arrays.equals(segments, s.segments)
                && account == s.account && secondsLeft == s.secondsLeft && marked == s.marked
                && lowBattery == s.lowBattery;
    }

    @Override
    public int hashCode() {
        return Objects.hash(on, text, Arrays.hashCode(segments), account, secondsLeft, marked, lowBattery);
    }

    @Override
    public String toString() {
        return "DisplayState[on=" + on + ", text=" + text + ", account=" + account + ", secondsLeft=" + secondsLeft
                + ", marked=" + marked + ", lowBattery=" + lowBattery + "]";
    }
}
