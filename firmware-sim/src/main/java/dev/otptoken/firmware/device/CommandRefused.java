package dev.otptoken.firmware.device;

import dev.otptoken.protocol.apdu.StatusWord;

/**
 * A device command refused with a status word. Internal to the device applet's command
 * logic; the applet turns it into the runtime's status-word exception.
 */
public final class CommandRefused extends Exception {
    private static final long serialVersionUID = 1L;
    private final int sw;

    public CommandRefused(int sw) {
        super(StatusWord.describe(sw), null, false, false);
        this.sw = sw;
    }

    public int sw() {
        return sw;
    }
}
