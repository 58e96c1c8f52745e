package dev.otptoken.host.text;

import java.util.Optional;

/**
 * Text from outside the program made safe for a terminal: the host's name for
 * {@link dev.otptoken.protocol.text.TerminalText}, whose rule the simulator's face shares.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** The first character of {@code text} a terminal would act on, escaped; empty when there is none. */
    public static Optional<String> firstActing(String text) {
        return dev.otptoken.protocol.text.TerminalText.firstActing(text);
    }

    /** {@code text} with every character a terminal would act on escaped. */
    public static String escape(String text) {
        return dev.otptoken.protocol.text.TerminalText.escape(text);
    }

    /** Whether a terminal would act on {@code cp} rather than show it. */
    public static boolean acts(int cp) {
        return dev.otptoken.protocol.text.TerminalText.acts(cp);
    }
}
