package dev.otptoken.firmware.sim;

import dev.otptoken.firmware.ui.Readout;
import dev.otptoken.firmware.ui.TokenUi;
import java.util.Locale;
import java.util.Optional;

/**
 * Draws the token's face as one ANSI frame: big 7-segment digits, the account indicator,
 * a countdown bar (red and blinking in the last seconds), and the button hint.
 *
 * <p>Segment masks use bit 0 = a (top), 1 = b (top right), 2 = c (bottom right),
 * 3 = d (bottom), 4 = e (bottom left), 5 = f (top left), 6 = g (middle).
 */
final class FaceRenderer {
    static final String CLEAR = "\033[H\033[2J";
    static final String RESET = "\033[0m";
    static final String MARK = "\033[1;31;5m";
    static final String DIM = "\033[2m";
    static final String HIDE_CURSOR = "\033[?25l";
    static final String SHOW_CURSOR = "\033[?25h";
    static final int BAR_WIDTH = 30;

    private static final int A = 1;
    private static final int B = 1 << 1;
    private static final int C = 1 << 2;
    private static final int D = 1 << 3;
    private static final int E = 1 << 4;
    private static final int F = 1 << 5;
    private static final int G = 1 << 6;
    private static final String ON = "█";

    private FaceRenderer() {
    }

    /**
     * @param masks        segment masks of the digits lit (empty when off)
     * @param totalSeconds the full length the countdown counts from (period or timeout)
     */
    static String frame(long serial, Optional<Readout> readout, int[] masks, int totalSeconds,
                        int accounts, int selected, boolean touchWaiting) {
        StringBuilder sb = new StringBuilder(CLEAR);
        sb.append(String.format(Locale.ROOT, "  otptoken  serial %d   account %s%n%n", serial,
                accounts == 0 ? "-" : (selected % Math.max(1, accounts) + 1) + "/" + accounts));
        boolean marked = readout.map(Readout::marked).orElse(false);
        String color = readout.isEmpty() ? DIM : marked ? MARK : "";
        String[] rows = digits(masks, readout.isEmpty() ? 6 : masks.length);
        for (String row : rows) {
            sb.append("  ").append(color).append(row).append(RESET).append('\n');
        }
        sb.append('\n');
        if (readout.isPresent()) {
            int left = readout.get().secondsLeft();
            int filled = totalSeconds <= 0 ? 0
                    : (int) Math.min(BAR_WIDTH, Math.round((double) left * BAR_WIDTH / totalSeconds));
            sb.append("  ").append(marked ? MARK : "").append("[")
                    .append("=".repeat(filled)).append(" ".repeat(BAR_WIDTH - filled)).append("] ")
                    .append(left).append(" s").append(RESET).append('\n');
        } else {
            sb.append("  ").append(DIM).append("display off").append(RESET).append('\n');
        }
        sb.append('\n');
        if (touchWaiting) {
            sb.append("  ").append(MARK).append("touch requested: press the button").append(RESET).append('\n');
        } else {
            sb.append('\n');
        }
        sb.append("  ").append(DIM).append("[space/enter] press   [l] long press (next account)   [q] quit")
                .append(RESET).append('\n');
        return sb.toString();
    }

    /**
     * The face of a model without a display (a YubiKey): its name and serial, the touch
     * request while a host waits for one, and the keys.
     */
    static String keyFrame(String model, long serial, boolean touchWaiting) {
        StringBuilder sb = new StringBuilder(CLEAR);
        sb.append(String.format(Locale.ROOT, "  %s  serial %d%n%n", model, serial));
        sb.append("  ").append(DIM).append("no display: the button is touch").append(RESET).append("\n\n");
        if (touchWaiting) {
            sb.append("  ").append(MARK).append("touch requested: press the button").append(RESET).append('\n');
        } else {
            sb.append('\n');
        }
        sb.append("  ").append(DIM).append("[space/enter] touch   [q] quit").append(RESET).append('\n');
        return sb.toString();
    }

    /** Five text rows of big digits; unlit positions show as dim eights when the display is off. */
    static String[] digits(int[] masks, int count) {
        StringBuilder[] rows = new StringBuilder[5];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = new StringBuilder();
        }
        for (int i = 0; i < count; i++) {
            int m = i < masks.length ? masks[i] : 0;
            rows[0].append(' ').append(seg(m, A, 3)).append(' ');
            rows[1].append(seg(m, F, 1)).append("   ").append(seg(m, B, 1));
            rows[2].append(' ').append(seg(m, G, 3)).append(' ');
            rows[3].append(seg(m, E, 1)).append("   ").append(seg(m, C, 1));
            rows[4].append(' ').append(seg(m, D, 3)).append(' ');
            for (StringBuilder row : rows) {
                row.append("  ");
            }
        }
        String[] out = new String[rows.length];
        for (int r = 0; r < rows.length; r++) {
            out[r] = rows[r].toString();
        }
        return out;
    }

    private static String seg(int mask, int bit, int width) {
        return ((mask & bit) != 0 ? ON : " ").repeat(width);
    }

    /** The length of the countdown a readout started from: the period or the HOTP timeout. */
    static int total(int periodSeconds, int timeoutSeconds, boolean hotp) {
        if (hotp) {
            return timeoutSeconds == 0 ? TokenUi.HOTP_SECONDS : timeoutSeconds;
        }
        return periodSeconds;
    }
}
