package dev.otptoken.host.drift;

/** A drift record file is not one (foreign, corrupt, or from another version). */
public final class DriftRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    public DriftRecordException(String message) {
        super(message);
    }
}
