package dev.otptoken.protocol.apdu;

/**
 * The token refused a command: it answered with a status word other than 9000. Checked,
 * because a refusal (wrong password, unknown account, full memory) is an expected outcome
 * the caller must handle, unlike a transport failure ({@link java.io.IOException}).
 */
public class ApduException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int statusWord;

    public ApduException(int statusWord) {
        super("token refused: " + StatusWord.describe(statusWord));
        this.statusWord = statusWord & 0xFFFF;
    }

    /** The status word SW1SW2, 0x0000–0xFFFF. */
    public int statusWord() {
        return statusWord;
    }

    /**
     * The data of a successful response, or this exception. This is the one place on the host
     * side where a status word becomes an exception (yubikit's convention), so that sessions
     * never compare status words by hand.
     */
    public static byte[] requireOk(ResponseApdu response) throws ApduException {
        if (!response.isOk()) {
            throw new ApduException(response.sw());
        }
        return response.data();
    }
}
