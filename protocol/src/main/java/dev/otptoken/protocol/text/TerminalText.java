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
}
