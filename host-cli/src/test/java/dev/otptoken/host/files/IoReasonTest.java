package dev.otptoken.host.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoReasonTest {
    @TempDir
    Path dir;

    @Test
    void theOperatingSystemsWordsNotTheFileNameAgain() {
        Path missing = dir.resolve("nowhere/x.png");
        IOException noDir = failure(() -> Files.createFile(missing));
        assertThat(noDir).isInstanceOf(NoSuchFileException.class).hasMessage(missing.toString());
        assertThat(IoReason.writing(noDir)).isEqualTo("no such directory");
        assertThat(IoReason.of(noDir)).isEqualTo("no such file or directory");

        IOException isDir = failure(() -> Files.newOutputStream(dir).close());
        assertThat(isDir).hasMessageContaining(dir.toString());
        assertThat(IoReason.writing(isDir)).isEqualTo("is a directory");

        assertThat(IoReason.of(new AccessDeniedException("/x"))).isEqualTo("permission denied");
        assertThat(IoReason.of(new FileSystemException("/x", null, "No space left on device")))
                .isEqualTo("no space left on device");
        assertThat(IoReason.of(new IOException("broken pipe"))).isEqualTo("broken pipe");
        assertThat(IoReason.of(new IOException())).isEqualTo("IOException");
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
