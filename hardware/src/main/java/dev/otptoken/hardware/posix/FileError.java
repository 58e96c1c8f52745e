package dev.otptoken.hardware.posix;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * Why the hardware could not use a file, in a few words for the end of a one-line message that
 * already names it ({@code cannot write the state file S: read-only file system}). The JDK's
 * own messages of file errors are the file's name again; the reasons the token's owner can act
 * on are named the same way for every file the hardware writes (the state file, the
 * pseudo-terminal's link).
 */
public final class FileError {
    private FileError() {
    }

    /**
     * "no such file or directory", "permission denied" (with the JDK's detail when it has one),
     * "read-only file system", "no space left on device", "disk quota exceeded", else the
     * system's words.
     */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException a) {
            return a.getReason() != null ? "permission denied (" + a.getReason() + ")" : "permission denied";
        }
        // a FileSystemException without a reason has only the file's name for a message
        String text = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
        if (lower.contains("read-only file system")) {
            return "read-only file system";
        }
        if (lower.contains("no space left")) {
            return "no space left on device";
        }
        if (lower.contains("quota")) {
            return "disk quota exceeded";
        }
        if (lower.contains("permission denied") || lower.contains("operation not permitted")) {
            return "permission denied";
        }
        return text == null || text.isBlank() ? e.getClass().getSimpleName() : text;
    }
}
