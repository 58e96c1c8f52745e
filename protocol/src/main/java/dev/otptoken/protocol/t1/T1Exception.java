package dev.otptoken.protocol.t1;

import java.io.IOException;

/** The T=1 exchange failed: retries exhausted, card silent, exchange aborted. */
public class T1Exception extends IOException {
    private static final long serialVersionUID = 1L;

    public T1Exception(String message) {
        super(message);
    }

    public T1Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
