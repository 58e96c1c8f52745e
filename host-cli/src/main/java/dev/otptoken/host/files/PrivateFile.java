package dev.otptoken.host.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * The host's files that hold secrets (drift records, remembered access keys): readable by
 * their owner only, replaced atomically. One writer for both; the token's state file has its
 * own (docs/decisions.md, "Two serial adapters and two atomic file writers, on purpose").
 */
public final class PrivateFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    /** Random bytes in a temporary file's name. */
    private static final int TEMP_SUFFIX_BYTES = 6;

    private PrivateFile() {
    }

    /**
     * Replaces {@code file} with {@code bytes}: missing directories are made 0700, the bytes go
     * into a 0600 temporary file beside it ({@code .NAME.<hex>.tmp}), which is forced to disk
     * and renamed over {@code file}; then the directory is forced. {@code bytes} is wiped
     * whatever happens, and the temporary file never outlives the call.
     *
     * @throws HostFileException {@code cannot write FILE: REASON} when any step fails
     */
    public static void replace(Path file, byte[] bytes) throws HostFileException {
        try {
            Path dir = file.toAbsolutePath().getParent();
            boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
            if (!Files.isDirectory(dir)) {
                try {
                    if (posix) {
                        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
                    } else {
                        Files.createDirectories(dir);
                    }
                } catch (IOException e) {
                    throw notADirectoryAbove(dir).<IOException>map(f -> new IOException(f + " is not a directory", e))
                            .orElse(e);
                }
            }
            FileAttribute<?>[] attrs = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
            Path tmp = createTemp(dir, file.getFileName().toString(), attrs);
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ByteBuffer buf = ByteBuffer.wrap(bytes);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("cannot replace it atomically on this file system", e);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                // some platforms cannot open a directory; the rename is still atomic there
            }
        } catch (IOException e) {
            throw HostFileException.writing(file, e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The nearest of {@code dir} and the directories above it that exists, when it is not a directory. */
    private static Optional<Path> notADirectoryAbove(Path dir) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        return existing != null && !Files.isDirectory(existing) ? Optional.of(existing) : Optional.empty();
    }

    private static Path createTemp(Path dir, String base, FileAttribute<?>[] attrs) throws IOException {
        SecureRandom random = new SecureRandom();
        byte[] suffix = new byte[TEMP_SUFFIX_BYTES];
        // bounded: a clash of 48 random bits repeating this often means something else is wrong
        for (int attempt = 0; attempt < 10; attempt++) {
            random.nextBytes(suffix);
            Path tmp = dir.resolve("." + base + "." + HexFormat.of().formatHex(suffix) + ".tmp");
            try {
                return Files.createFile(tmp, attrs);
            } catch (FileAlreadyExistsException clash) {
                // try another name
            }
        }
        throw new IOException("cannot make a temporary file beside it in " + dir);
    }
}
