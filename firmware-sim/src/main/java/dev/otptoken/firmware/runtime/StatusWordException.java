package dev.otptoken.firmware.runtime;

/**
 * An applet's refusal, turned into SW1SW2 by the runtime. Like Java Card's
 * {@code ISOException} one instance per status word is cached and it carries no stack
 * trace, so the error path allocates nothing once warm.
 */
public final class StatusWordException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final StatusWordException[] CACHE = new StatusWordException[0x10000];

    private final int sw;

    private StatusWordException(int sw) {
        super(null, null, false, false);
        this.sw = sw;
    }

    /** The status word, 0x0000–0xFFFF. */
    public int statusWord() {
        return sw;
    }

    /** Throws the (cached) exception for {@code sw}. */
    public static void throwIt(int sw) {
        throw of(sw);
    }

    /** The cached exception for {@code sw}, for {@code throw StatusWordException.of(sw)}. */
    public static StatusWordException of(int sw) {
        int key = sw & 0xFFFF;
        StatusWordException e = CACHE[key];
        if (e == null) {
            e = new StatusWordException(key);
            CACHE[key] = e;
        }
        return e;
    }

    @Override
    public String getMessage() {
        return dev.otptoken.protocol.apdu.StatusWord.describe(sw);
    }
}
