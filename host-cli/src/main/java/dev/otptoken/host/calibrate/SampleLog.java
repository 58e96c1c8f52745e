package dev.otptoken.host.calibrate;

import java.io.IOException;
import java.util.List;

/** Where a calibration's raw exchanges go, phase by phase, for analysis outside the program. */
@FunctionalInterface
public interface SampleLog {
    /** Keeps nothing. */
    SampleLog NONE = (phase, samples) -> { };

    /** The exchanges of one phase ("warm-up", "measure", "verify"), in order. */
    void phase(String phase, List<ClockSample> samples) throws IOException;
}
