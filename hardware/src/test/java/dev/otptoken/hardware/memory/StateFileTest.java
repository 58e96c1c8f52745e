package dev.otptoken.hardware.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
    @TempDir
    Path dir;

    private Path written() throws IOException {
        Path f = dir.resolve("token.state");
        StateFile.write(f, TearSafetyTest.fill(5000, 3));
        return f;
    }

    @Test
    void roundTripLeavesNoTempFiles() throws Exception {
        Path f = written();
        StateFile.write(f, TearSafetyTest.fill(5000, 4));
        assertThat(StateFile.read(f)).isEqualTo(TearSafetyTest.fill(5000, 4));
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("token.state");
        }
    }

    private void assertRefused(Path f, byte[] content, String problem) throws IOException {
        Files.write(f, content);
        assertThatThrownBy(() -> StateFile.read(f)).isInstanceOf(StateFileException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining(problem);
        assertThat(Files.readAllBytes(f)).isEqualTo(content);
    }

    @Test
    void theLargestImageAllowedIsReadOneByteMoreIsNot() throws Exception {
        Path f = written();
        assertThat(StateFile.read(f, 5000)).isEqualTo(TearSafetyTest.fill(5000, 3));
        assertThatThrownBy(() -> StateFile.read(f, 4999)).isInstanceOf(StateFileException.class)
                .hasMessage("state file " + f + " is too large (5020 bytes; a token's memory takes at most 5019)");
    }

    @Test
    void aWriteThroughALinkWritesItsTargetAndKeepsTheMode() throws Exception {
        Path f = written();
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("token.state"));
        Path link2 = Files.createSymbolicLink(dir.resolve("link2"), Path.of("link"));
        StateFile.write(link2, TearSafetyTest.fill(5000, 7));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.isSymbolicLink(link2)).isTrue();
        assertThat(StateFile.read(f)).isEqualTo(TearSafetyTest.fill(5000, 7));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                .isEqualTo("rw-r-----");
        assertThat(StateFile.staleTempFiles(link2)).isEmpty();
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("token.state", "link", "link2");
        }
    }

    @Test
    void refusals() throws Exception {
        Path f = written();
        byte[] good = Files.readAllBytes(f);
        byte[] flipped = good.clone();
        flipped[2500] ^= 0x10;
        assertRefused(f, flipped, "corrupt");
        assertRefused(f, Arrays.copyOf(good, good.length - 1), "truncated");
        assertRefused(f, Arrays.copyOf(good, 10), "truncated");
        assertRefused(f, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13}, "not an otptoken");
        byte[] v2 = good.clone();
        ByteBuffer.wrap(v2).putInt(8, 2);
        assertRefused(f, v2, "version 2");
        assertRefused(f, new byte[0], "empty");
        assertThatThrownBy(() -> StateFile.read(dir.resolve("missing"))).isInstanceOf(StateFileException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void staleTempFilesAreTheWritersOwnOnly() throws Exception {
        Path f = written();
        // what a writer killed before its rename leaves: Files.createTempFile's NAME.<digits>.tmp
        Path stale = Files.copy(f, dir.resolve("token.state.8141027519963411521.tmp"));
        Files.copy(f, dir.resolve("other.state.123.tmp"));
        Files.copy(f, dir.resolve("token.state.backup.tmp"));
        Files.copy(f, dir.resolve("token.state.123.tmp.keep"));
        Files.createDirectory(dir.resolve("token.state.77.tmp"));
        assertThat(StateFile.staleTempFiles(f)).containsExactly(stale);
        assertThat(StateFile.staleTempFiles(dir.resolve("missing/token.state"))).isEmpty();
    }

    @Test
    void theTempFileOfAWriteIsOfTheStaleForm() throws Exception {
        // the same name a killed write would leave: created, then caught before the rename
        Path f = dir.resolve("token.state");
        Path tmp = Files.createTempFile(dir, f.getFileName() + ".", StateFile.TEMP_SUFFIX);
        assertThat(StateFile.staleTempFiles(f)).containsExactly(tmp);
    }

    @Test
    void aWriteThatFailsIsDescribedInWords() throws Exception {
        Path f = dir.resolve("no/such/dir/token.state");
        assertThatThrownBy(() -> StateFile.write(f, new byte[10])).isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(StateFile.writeFailure(f, (IOException) e))
                        .isEqualTo("cannot write the state file " + f + ": directory does not exist ("
                                + dir.resolve("no/such/dir") + ")"));
        assertThat(StateFile.writeFailure(written(), new java.nio.file.FileSystemException(
                dir.resolve("x.tmp").toString(), null, "Read-only file system"))).endsWith(": read-only file system");
        assertThat(StateFile.writeFailure(written(), new IOException("No space left on device")))
                .endsWith(": no space left on device");
        assertThat(StateFile.writeFailure(written(), new java.nio.file.AccessDeniedException(dir.toString())))
                .endsWith(": permission denied");
    }
}
