package dev.otptoken.host.qr;

/**
 * An image that yields no QR text (missing, unreadable, not an image, no code), or a QR
 * image that cannot be written. The message is one line naming the file, never the QR text.
 */
public final class QrException extends Exception {
    private static final long serialVersionUID = 1L;

    public QrException(String message) {
        super(message);
    }
}
