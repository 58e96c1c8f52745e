package dev.otptoken.hardware.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FileErrorTest {
    @Test
    void theReasonsAnOwnerCanActOnAreNamedInWordsWithoutTheFileName() {
        assertThat(FileError.reason(new NoSuchFileException("/s/STATE"))).isEqualTo("no such file or directory");
        assertThat(FileError.reason(new AccessDeniedException("/s/STATE"))).isEqualTo("permission denied");
        assertThat(FileError.reason(new AccessDeniedException("/s/STATE", null, "the file is read-only")))
                .isEqualTo("permission denied (the file is read-only)");
        assertThat(FileError.reason(new FileSystemException("/s/STATE", null, "Read-only file system")))
                .isEqualTo("read-only file system");
        assertThat(FileError.reason(new IOException("No space left on device"))).isEqualTo("no space left on device");
        assertThat(FileError.reason(new FileSystemException("/s/STATE", null, "Disk quota exceeded")))
                .isEqualTo("disk quota exceeded");
        assertThat(FileError.reason(new FileSystemException("/s/L", null, "Operation not permitted")))
                .isEqualTo("permission denied");
        assertThat(FileError.reason(new FileSystemException("/s/L", null, "Too many levels of symbolic links")))
                .isEqualTo("Too many levels of symbolic links");
        assertThat(FileError.reason(new IOException())).isEqualTo("IOException");
        assertThat(FileError.reason(new FileSystemException("/s/L"))).as("no reason: its kind, not the name again")
                .isEqualTo("FileSystemException");
    }
}
