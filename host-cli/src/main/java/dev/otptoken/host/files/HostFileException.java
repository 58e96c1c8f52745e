package dev.otptoken.host.files;

import dev.otptoken.files.FileReason;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A file of the host's own (a drift record, the remembered keys, a calibration history) could
 * not be read or written, is damaged, or has no place (no home directory). The message is one
 * line naming the file and why ({@code cannot write F: read-only file system}); the exit status
 * is 3, as for any input the user can put right, not 4, which says the token could not be
 * reached (docs/otptoken-cli.md).
 */
public class HostFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** {@code message} names the file (or the variable to set) and says why, in one line. */
    public HostFileException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code file} could not be read: {@code cannot read F: no such file}. */
    public static HostFileException reading(Path file, IOException e) {
        return new HostFileException("cannot read " + file + ": " + FileReason.reading(e), e);
    }

    /** {@code file} could not be made or written: {@code cannot write F: no such directory}. */
    public static HostFileException writing(Path file, IOException e) {
        return new HostFileException("cannot write " + file + ": " + FileReason.writing(e), e);
    }
}
