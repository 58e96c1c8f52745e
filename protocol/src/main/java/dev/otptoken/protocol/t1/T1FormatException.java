package dev.otptoken.protocol.t1;

/** Bytes that do not form a valid T=1 block. The message never contains INF bytes. */
public final class T1FormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public T1FormatException(String message) {
        super(message);
    }
}
