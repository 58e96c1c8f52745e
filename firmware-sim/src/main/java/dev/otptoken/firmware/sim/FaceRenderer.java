package dev.otptoken.firmware.sim;

import dev.otptoken.firmware.ui.Readout;
import dev.otptoken.firmware.ui.TokenUi;
import dev.otptoken.protocol.text.TerminalText;
import java.util.Map;
import java.util.Optional;

/**
 * Draws the token's face: big 7-segment digits, the account indicator with the selected
 * account's name, where a host reaches the token, a countdown bar (red and blinking in the
 * last seconds), and the button hint. The {@link Style} says which escape sequences it may use.
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
    /** Said after the countdown in the last seconds where colour cannot say it. */
    static final String EXPIRING = "  expiring";
    static final String TOUCH = "touch requested: press the button";
    static final String KEYS = "[space/enter] press   [l] long press (next account)   [q] quit";
    static final String KEY_MODEL_KEYS = "[space/enter] touch   [q] quit";

    private static final int A = 1;
    private static final int B = 1 << 1;
    private static final int C = 1 << 2;
    private static final int D = 1 << 3;
    private static final int E = 1 << 4;
    private static final int F = 1 << 5;
    private static final int G = 1 << 6;
    private static final String ON = "█";

    /**
     * What the terminal may be sent. {@code NO_COLOR} (any non-empty value, no-color.org) drops
     * colour and blinking but keeps redrawing in place; {@code TERM=dumb} gets plain lines
     * only, a short frame per change, never an escape sequence.
     */
    enum Style {
        ANSI(true, true), NO_COLOR(false, true), DUMB(false, false);

        final boolean colour;
        final boolean cursor;

        Style(boolean colour, boolean cursor) {
            this.colour = colour;
            this.cursor = cursor;
        }

        /** The style for a terminal described by {@code environment}. */
        static Style of(Map<String, String> environment) {
            if ("dumb".equals(environment.get("TERM"))) {
                return DUMB;
            }
            String noColor = environment.get("NO_COLOR");
            return noColor != null && !noColor.isEmpty() ? NO_COLOR : ANSI;
        }

        /** What the face prints once before its first frame. */
        String begin(boolean display) {
            return cursor ? HIDE_CURSOR : "keys: " + (display ? KEYS : KEY_MODEL_KEYS) + "\n";
        }

        /** What the face prints once at the end. */
        String end() {
            return cursor ? SHOW_CURSOR + "\n" : "";
        }

        private String sgr(String sequence) {
            return colour ? sequence : "";
        }
    }

    /**
     * What the face says besides the display.
     *
     * @param model       the model's name ({@code otptoken}, {@code yubikey-5-nfc}, ...)
     * @param serial      the serial number
     * @param where       where a host reaches the token ({@code port /dev/pts/3}), shown escaped
     * @param accounts    accounts stored
     * @param selected    the selected account's index
     * @param accountName the selected account's {@code issuer:account} (empty when none), shown escaped
     */
    record Info(String model, long serial, String where, int accounts, int selected, String accountName) {
        String accountText() {
            if (accounts == 0) {
                return "account -";
            }
            String name = accountName.isEmpty() ? "" : "  " + TerminalText.escape(accountName);
            return "account " + (selected % accounts + 1) + "/" + accounts + name;
        }
    }

    private FaceRenderer() {
    }

    /**
     * @param masks        segment masks of the digits lit (empty when off)
     * @param totalSeconds the full length the countdown counts from (period or timeout)
     */
    static String frame(Style style, Info info, Optional<Readout> readout, int[] masks, int totalSeconds,
                        boolean touchWaiting) {
        boolean marked = readout.map(Readout::marked).orElse(false);
        String countdown = readout.map(r -> countdown(style, r, totalSeconds)).orElse("");
        if (style == Style.DUMB) {
            StringBuilder sb = new StringBuilder();
            sb.append(info.model()).append("  serial ").append(info.serial()).append("  ")
                    .append(info.accountText()).append("  ").append(TerminalText.escape(info.where())).append('\n');
            sb.append("  ").append(readout.map(r -> r.code() + "  " + countdown).orElse("display off")).append('\n');
            if (touchWaiting) {
                sb.append("  ").append(TOUCH).append('\n');
            }
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder(CLEAR);
        sb.append("  ").append(info.model()).append("  serial ").append(info.serial()).append("   ")
                .append(info.accountText()).append('\n');
        sb.append("  ").append(TerminalText.escape(info.where())).append("\n\n");
        String colour = readout.isEmpty() ? style.sgr(DIM) : marked ? style.sgr(MARK) : "";
        String reset = colour.isEmpty() ? "" : RESET;
        String[] rows = digits(masks, readout.isEmpty() ? 6 : masks.length);
        for (String row : rows) {
            sb.append("  ").append(colour).append(row).append(reset).append('\n');
        }
        sb.append('\n');
        if (readout.isPresent()) {
            String mark = marked ? style.sgr(MARK) : "";
            sb.append("  ").append(mark).append(countdown).append(mark.isEmpty() ? "" : RESET).append('\n');
        } else {
            sb.append("  ").append(dim(style, "display off")).append('\n');
        }
        sb.append('\n');
        touch(style, sb, touchWaiting);
        sb.append("  ").append(dim(style, KEYS)).append('\n');
        return sb.toString();
    }

    /** The bar and the seconds left; in the last seconds, without colour, the word that says so. */
    private static String countdown(Style style, Readout r, int totalSeconds) {
        int left = r.secondsLeft();
        int filled = totalSeconds <= 0 ? 0
                : (int) Math.min(BAR_WIDTH, Math.round((double) left * BAR_WIDTH / totalSeconds));
        String bar = "[" + "=".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] " + left + " s";
        return r.marked() && !style.colour ? bar + EXPIRING : bar;
    }

    private static void touch(Style style, StringBuilder sb, boolean touchWaiting) {
        if (touchWaiting) {
            String mark = style.sgr(MARK);
            sb.append("  ").append(mark).append(TOUCH).append(mark.isEmpty() ? "" : RESET).append('\n');
        } else {
            sb.append('\n');
        }
    }

    private static String dim(Style style, String text) {
        return style.colour ? DIM + text + RESET : text;
    }

    /**
     * The face of a model without a display (a YubiKey): its name and serial, where a host
     * reaches it, the touch request while a host waits for one, and the keys.
     */
    static String keyFrame(Style style, Info info, boolean touchWaiting) {
        if (style == Style.DUMB) {
            return info.model() + "  serial " + info.serial() + "  " + TerminalText.escape(info.where()) + "\n"
                    + (touchWaiting ? "  " + TOUCH + "\n" : "");
        }
        StringBuilder sb = new StringBuilder(CLEAR);
        sb.append("  ").append(info.model()).append("  serial ").append(info.serial()).append('\n');
        sb.append("  ").append(TerminalText.escape(info.where())).append("\n\n");
        sb.append("  ").append(dim(style, "no display: the button is touch")).append("\n\n");
        touch(style, sb, touchWaiting);
        sb.append("  ").append(dim(style, KEY_MODEL_KEYS)).append('\n');
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
