package dev.otptoken.host.calibrate;

import dev.otptoken.host.session.ClockReading;
import dev.otptoken.protocol.apdu.ApduException;
import java.io.IOException;
import java.time.Instant;

/**
 * The three device-applet commands calibration uses. A seam so that the measuring and
 * trimming logic runs against a simulated clock in unit tests and against
 * {@link dev.otptoken.host.session.DeviceSession} on a real line.
 */
public interface ClockDevice {
    /** GET CLOCK. */
    ClockReading clock() throws IOException, ApduException;

    /** SET CLOCK; {@code force} lets it move backwards. */
    void setClock(Instant time, boolean force) throws IOException, ApduException;

    /** SET TRIM, in register steps. */
    void setTrim(int steps) throws IOException, ApduException;
}
