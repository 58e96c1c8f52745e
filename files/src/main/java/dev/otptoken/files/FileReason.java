package dev.otptoken.files;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Why a file could not be used, in a few words for the end of a one-line message that already
 * names the file ({@code cannot write the state file S: read-only file system}, {@code cannot
 * write x.png: no such directory}). The JDK's own messages of file errors are the file's name
 * again ({@code x.png}, {@code x.png: Is a directory}); the reasons a user can act on are named
 * in the same words by both programs, for every file they read or write.
 */
public final class FileReason {
    /**
     * Why an empty path on a command line is refused: to the file system it is the working
     * directory, and on a command line it is most likely an unset variable ({@code --state "$STATE"}).
     */
    public static final String EMPTY_PATH = "the path is empty (an unset variable?)";

    private FileReason() {
    }

    /** Why a file could not be read: as {@link #of}, where a missing file is "no such file". */
    public static String reading(IOException e) {
        return e instanceof NoSuchFileException ? "no such file" : of(e);
    }

    /**
     * Why a file could not be made or written: as {@link #of}, where a missing file is its
     * directory ("no such directory") unless that directory is there (a file system such as
     * /proc that makes no new files).
     */
    public static String writing(IOException e) {
        if (e instanceof NoSuchFileException missing && !directoryOf(missing.getFile())) {
            return "no such directory";
        }
        return of(e);
    }

    private static boolean directoryOf(String file) {
        try {
            Path parent = file == null ? null : Path.of(file).toAbsolutePath().getParent();
            return parent != null && Files.isDirectory(parent);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /**
     * "no such file or directory", "file exists", "not UTF-8 text", "permission denied" (with
     * the JDK's detail when it has one), "read-only file system", "no space left on device",
     * "disk quota exceeded"; else the operating system's words (a {@code FileSystemException}'s
     * reason, another exception's message), a word's capital lowered to go after a colon ("is a
     * directory", "too many levels of symbolic links"; an acronym such as "EIO" is left as it
     * is), or the exception's kind when it has no words (never the file's name again).
     */
    public static String of(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "file exists";
        }
        if (e instanceof CharacterCodingException) {
            // every text file of both programs is read as UTF-8; the JDK's words are "Input length = 1"
            return "not UTF-8 text";
        }
        if (e instanceof AccessDeniedException a) {
            return a.getReason() != null ? "permission denied (" + a.getReason() + ")" : "permission denied";
        }
        // a FileSystemException's message is its file's name; its reason is the system's words
        String text = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        if (text == null || text.isBlank()) {
            return e.getClass().getSimpleName();
        }
        String lower = text.toLowerCase(Locale.ROOT);
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
        boolean word = text.length() > 1 && Character.isUpperCase(text.charAt(0)) && Character.isLowerCase(text.charAt(1));
        return word ? Character.toLowerCase(text.charAt(0)) + text.substring(1) : text;
    }
}
