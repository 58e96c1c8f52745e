package dev.otptoken.host.qr;

import java.util.Objects;

/**
 * The text of one QR code. It usually is an otpauth URI and so a secret: {@code toString}
 * shows only its length, and the text leaves only through {@link #text()}. No {@code equals},
 * so it cannot end up compared or hashed by accident in logs or sets.
 */
public final class QrText {
    private final String text;

    public QrText(String text) {
        this.text = Objects.requireNonNull(text, "text");
    }

    /** The decoded text itself (a secret when it is an otpauth URI). */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return "QrText[redacted, " + text.length() + " chars]";
    }
}
