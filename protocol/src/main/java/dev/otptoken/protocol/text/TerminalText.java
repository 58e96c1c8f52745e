package dev.otptoken.protocol.text;

/**
 * Text from outside the program (account names from a token or a QR code, file names) made
 * safe for a terminal: control characters (C0, DEL, C1), format characters such as the
 * bidirectional overrides, and line and paragraph separators are shown escaped ({@code \x1b},
 * {@code \u202e}) instead of acting on the terminal — recolouring it, moving the cursor,
 * forging a second output line, or reversing what follows. Everything else is unchanged. JSON
 * output escapes on its own (docs/qr-otpauth.md, "Names"). One rule for the host's output and
 * the simulator's face alike; the host uses it as is.
 */
public final class TerminalText {
    private static final int ASCII_LIMIT = 0x80;
    private static final int LAST_C0 = 0x1F;
    private static final int DEL = 0x7F;

    private TerminalText() {
    }

    /** The first character of {@code text} a terminal would act on, escaped; empty when there is none. */
    public static java.util.Optional<String> firstActing(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (acts(cp)) {
                return java.util.Optional.of(escape(new String(Character.toChars(cp))));
            }
            i += Character.charCount(cp);
        }
        return java.util.Optional.empty();
    }

    /** {@code text} with every character a terminal would act on escaped. */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = Character.charCount(cp);
            if (acts(cp)) {
                if (sb == null) {
                    sb = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                sb.append(cp < ASCII_LIMIT ? String.format("\\x%02x", cp) : String.format("\\u%04x", cp));
            } else if (sb != null) {
                sb.appendCodePoint(cp);
            }
            i += n;
        }
        return sb == null ? text : sb.toString();
    }

    /** Whether a terminal would act on {@code cp} rather than show it. */
    public static boolean acts(int cp) {
        if (cp <= LAST_C0 || cp == DEL) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
                || type == Character.UNASSIGNED && cp < Character.MIN_SUPPLEMENTARY_CODE_POINT && cp >= 0xFFF0;
    }

    /**
     * The wide ranges of Markus Kuhn's {@code wcwidth} (East Asian Wide and Fullwidth: Hangul
     * Jamo, CJK, Hiragana and Katakana, Hangul syllables, fullwidth forms) and the emoji blocks
     * terminals draw two columns wide: pairs of first and last code point.
     */
    private static final int[] WIDE = {
        0x1100, 0x115F, 0x231A, 0x231B, 0x2329, 0x232A, 0x2E80, 0x303E, 0x3041, 0x33FF, 0x3400, 0x4DBF,
        0x4E00, 0x9FFF, 0xA000, 0xA4CF, 0xAC00, 0xD7A3, 0xF900, 0xFAFF, 0xFE10, 0xFE19, 0xFE30, 0xFE6F,
        0xFF00, 0xFF60, 0xFFE0, 0xFFE6, 0x1F300, 0x1F64F, 0x1F900, 0x1F9FF, 0x20000, 0x2FFFD, 0x30000, 0x3FFFD,
    };

    /**
     * How many terminal columns {@code text} takes, shown as it is (escape it first): two for a
     * wide East Asian character or an emoji, none for a combining mark or a zero-width
     * character, one for the rest, as {@code wcwidth(3)} counts. For lining up columns of names.
     */
    public static int columns(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            n += columns(cp);
            i += Character.charCount(cp);
        }
        return n;
    }

    /** The columns of one code point (see {@link #columns(String)}). */
    public static int columns(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || cp == 0x200B || cp >= 0x1160 && cp <= 0x11FF) {
            return 0;
        }
        for (int i = 0; i < WIDE.length; i += 2) {
            if (cp < WIDE[i]) {
                return 1;
            }
            if (cp <= WIDE[i + 1]) {
                return 2;
            }
        }
        return 1;
    }
}
