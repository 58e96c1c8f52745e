package dev.otptoken.host.imports;

/**
 * An export file that cannot be read: not a known format, malformed, truncated, a work factor
 * beyond the accepted bound, a wrong MAC. The message is one line, names no secret, and is
 * shown to the user as it is (exit status 3, docs/imports.md).
 */
public class ImportException extends Exception {
    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
