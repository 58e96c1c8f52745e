package dev.otptoken.host.session;

import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.StatusWord;

/** The OATH applet is locked by its access code (6982): unlock first. */
public final class PasswordRequiredException extends ApduException {
    public PasswordRequiredException() {
        super(StatusWord.SECURITY_STATUS_NOT_SATISFIED);
    }
}
