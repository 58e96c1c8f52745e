package dev.otptoken.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReasonTest {
    @TempDir
    Path dir;

    @Test
    void theOperatingSystemsWordsOfRealFailuresNotTheFileNameAgain() throws IOException {
        Path missing = dir.resolve("nowhere/x.png");
        IOException noDir = failure(() -> Files.createFile(missing));
        assertThat(noDir).isInstanceOf(NoSuchFileException.class).hasMessage(missing.toString());
        assertThat(FileReason.writing(noDir)).isEqualTo("no such directory");
        assertThat(FileReason.reading(noDir)).isEqualTo("no such file");
        assertThat(FileReason.of(noDir)).isEqualTo("no such file or directory");

        IOException readDir = failure(() -> Files.readAllBytes(dir));
        assertThat(FileReason.reading(readDir)).isEqualTo("is a directory");

        IOException isDir = failure(() -> Files.newOutputStream(dir).close());
        assertThat(isDir).hasMessageContaining(dir.toString());
        assertThat(FileReason.writing(isDir)).isEqualTo("is a directory");
        assertThat(FileReason.reading(isDir)).isEqualTo("is a directory");

        IOException proc = failure(() -> Files.createFile(Path.of("/proc/otptoken-no-such-file")));
        assertThat(proc).isInstanceOf(NoSuchFileException.class);
        assertThat(FileReason.writing(proc)).as("/proc is there: not 'no such directory'")
                .isEqualTo("no such file or directory");

        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, new byte[] {'C', 'a', 'f', (byte) 0xE9});
        IOException notUtf8 = failure(() -> Files.readAllLines(latin1));
        assertThat(FileReason.reading(notUtf8)).isEqualTo("not UTF-8 text");

        Path loop = dir.resolve("loop");
        Files.createSymbolicLink(loop, loop);
        IOException looping = failure(() -> Files.newInputStream(loop).close());
        assertThat(FileReason.reading(looping)).startsWith("too many levels of symbolic links");
    }

    @Test
    void theReasonsAUserCanActOnAreNamedTheSameWayWhateverTheExceptionsKind() {
        assertThat(FileReason.of(new AccessDeniedException("/s/STATE"))).isEqualTo("permission denied");
        assertThat(FileReason.writing(new java.nio.file.FileAlreadyExistsException("/s/L"))).isEqualTo("file exists");
        assertThat(FileReason.of(new AccessDeniedException("/s/STATE", null, "the file is read-only")))
                .isEqualTo("permission denied (the file is read-only)");
        assertThat(FileReason.writing(new AccessDeniedException("/s/STATE"))).isEqualTo("permission denied");
        assertThat(FileReason.of(new FileSystemException("/s/STATE", null, "Read-only file system")))
                .isEqualTo("read-only file system");
        assertThat(FileReason.of(new IOException("No space left on device"))).isEqualTo("no space left on device");
        assertThat(FileReason.of(new FileSystemException("/s/STATE", null, "No space left on device")))
                .isEqualTo("no space left on device");
        assertThat(FileReason.of(new FileSystemException("/s/STATE", null, "Disk quota exceeded")))
                .isEqualTo("disk quota exceeded");
        assertThat(FileReason.of(new FileSystemException("/s/L", null, "Operation not permitted")))
                .isEqualTo("permission denied");
        assertThat(FileReason.of(new IOException("Permission denied"))).isEqualTo("permission denied");
    }

    @Test
    void otherwiseTheSystemsWordsOrTheMessageOrTheKindButNeverTheFileName() {
        assertThat(FileReason.of(new FileSystemException("/s/L", null, "Too many levels of symbolic links")))
                .isEqualTo("too many levels of symbolic links");
        assertThat(FileReason.of(new IOException("broken pipe"))).as("not a file system's: its message")
                .isEqualTo("broken pipe");
        assertThat(FileReason.of(new IOException("Is a directory"))).as("Files.readAllBytes of a directory")
                .isEqualTo("is a directory");
        assertThat(FileReason.of(new IOException("EIO on read"))).as("an acronym keeps its capitals")
                .isEqualTo("EIO on read");
        assertThat(FileReason.of(new IOException("X"))).isEqualTo("X");
        assertThat(FileReason.of(new IOException())).isEqualTo("IOException");
        assertThat(FileReason.of(new IOException(" "))).isEqualTo("IOException");
        assertThat(FileReason.of(new FileSystemException("/s/L"))).as("no reason: its kind, not the name again")
                .isEqualTo("FileSystemException");
        assertThat(FileReason.writing(new FileSystemException("/s/L", null, "")))
                .isEqualTo("FileSystemException");
    }

    private static IOException failure(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("no IOException");
    }

    private interface IoAction {
        void run() throws IOException;
    }
}
