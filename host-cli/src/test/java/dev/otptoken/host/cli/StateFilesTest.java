package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.calibrate.CalibrationHistory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where the drift record and the calibration history are kept (docs/otptoken-cli.md, "Files"):
 * the program's own variable first, then an absolute {@code $XDG_STATE_HOME}, else
 * {@code ~/.local/state}; a relative {@code XDG_STATE_HOME} is ignored, as the XDG Base
 * Directory Specification requires, not resolved against the working directory.
 */
class StateFilesTest {
    private static final Path STATE = Path.of(System.getProperty("user.home"), ".local", "state", "otptoken");

    @Test
    void theDriftRecord() throws Exception {
        DriftCommand.FileOption option = new DriftCommand.FileOption();
        assertThat(option.resolve(Map.of())).isEqualTo(STATE.resolve("drift"));
        assertThat(option.resolve(Map.of("XDG_STATE_HOME", "/var/lib/x"))).isEqualTo(Path.of("/var/lib/x/otptoken/drift"));
        assertThat(option.resolve(Map.of("XDG_STATE_HOME", "state"))).isEqualTo(STATE.resolve("drift"));
        assertThat(option.resolve(Map.of("XDG_STATE_HOME", "/var/lib/x", DriftCommand.FILE_VARIABLE, "mine.drift")))
                .isEqualTo(Path.of("mine.drift"));
        option.file = Path.of("given.drift");
        assertThat(option.resolve(Map.of(DriftCommand.FILE_VARIABLE, "mine.drift"))).isEqualTo(Path.of("given.drift"));
    }

    @Test
    void theCalibrationHistory() throws Exception {
        assertThat(CalibrationHistory.file(Map.of(), 42)).isEqualTo(STATE.resolve("calibration/42"));
        assertThat(CalibrationHistory.file(Map.of("XDG_STATE_HOME", "/var/lib/x"), 42))
                .isEqualTo(Path.of("/var/lib/x/otptoken/calibration/42"));
        assertThat(CalibrationHistory.file(Map.of("XDG_STATE_HOME", "./state"), 42)).isEqualTo(STATE.resolve("calibration/42"));
        assertThat(CalibrationHistory.file(Map.of(CalibrationHistory.DIR_VARIABLE, "/c", "XDG_STATE_HOME", "/s"), 42))
                .isEqualTo(Path.of("/c/42"));
    }
}
