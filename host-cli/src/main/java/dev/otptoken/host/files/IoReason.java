package dev.otptoken.host.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * Why a file could not be used, in a few words for the end of a one-line message that already
 * names the file ({@code cannot write x.png: no such directory}). The JDK's own messages of
 * file errors are the file's name again ({@code x.png}, {@code x.png: Is a directory}).
 */
public final class IoReason {
    private IoReason() {
    }

    /** Why a file could not be made or written: as {@link #of}, where a missing file can only be its directory. */
    public static String writing(IOException e) {
        return e instanceof NoSuchFileException ? "no such directory" : of(e);
    }

    /** The reason of {@code e}: its operating system's words when it has them, else its kind. */
    public static String of(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f) {
            String reason = f.getReason();
            return reason == null || reason.isBlank() ? e.getClass().getSimpleName() : lowerFirst(reason);
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String lowerFirst(String s) {
        return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
