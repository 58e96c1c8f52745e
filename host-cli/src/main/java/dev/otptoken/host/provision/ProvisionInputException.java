package dev.otptoken.host.provision;

/**
 * The input cannot be provisioned as it is (exit 3 in docs/otptoken-cli.md): it holds no
 * account, names one twice, a QR code's text is refused, or a token already holds one of its
 * names or has no room for them. When it is thrown, nothing has been written.
 */
public final class ProvisionInputException extends Exception {
    public ProvisionInputException(String message) {
        super(message);
    }

    public ProvisionInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
