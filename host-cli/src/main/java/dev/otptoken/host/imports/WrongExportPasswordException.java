package dev.otptoken.host.imports;

/** The password given for an encrypted export does not open it (exit status 3, nothing written). */
public final class WrongExportPasswordException extends ImportException {
    public WrongExportPasswordException(String message) {
        super(message);
    }
}
