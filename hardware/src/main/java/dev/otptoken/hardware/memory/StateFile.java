package dev.otptoken.hardware.memory;

import dev.otptoken.files.FileReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The {@code --state} file: magic "OTPTOKEN" (8) | format version (4) | image size (4) |
 * CRC32C over the preceding 16 bytes and the image (4) | image. Written atomically (temp
 * file in the same directory, forced, renamed, directory forced); a file that fails any
 * check is refused and left as it is.
 *
 * <p>The temporary file is {@code NAME.<digits>.tmp} beside the file; a writer killed between
 * creating it and the rename leaves it behind, a whole copy of the memory: see
 * {@link #staleTempFiles}.
 *
 * <p>A symbolic link is followed: the file it leads to is written (its temporary copy beside
 * it) and the link stays a link. The file's permission bits are kept across a write (a new
 * file is 0600); a file the process may not write ({@code access(2)}: a 0444 file of
 * another user than root) is refused, not replaced. Only a regular file is read, and only
 * up to the size the caller allows: a device, a FIFO or a huge file is refused before a byte
 * of it is read.
 */
public final class StateFile {
    public static final byte[] MAGIC = "OTPTOKEN".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 20;
    private static final int OFF_VERSION = 8;
    private static final int OFF_SIZE = 12;
    private static final int OFF_CRC = 16;
    static final String TEMP_SUFFIX = ".tmp";
    /** Links followed at most when looking for the file a link leads to (Linux's MAXSYMLINKS). */
    private static final int MAX_LINKS = 40;
    private static final int S_IFMT = 0170000;

    private StateFile() {
    }

    public static void write(Path file, byte[] image) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + image.length);
        b.put(MAGIC).putInt(VERSION).putInt(image.length);
        b.putInt(crc(b.array(), image));
        b.put(image);
        b.flip();
        Path abs = target(file);
        Path dir = abs.getParent();
        Set<PosixFilePermission> mode = null;
        if (Files.exists(abs)) {
            if (!Files.isRegularFile(abs)) {
                throw new FileSystemException(abs.toString(), null, "not a regular file");
            }
            if (!Files.isWritable(abs)) {
                // ask the kernel why: a read-only mount answers so (writeFailure names it); a
                // file without write permission is refused here rather than replaced by the rename
                try (FileChannel probe = FileChannel.open(abs, StandardOpenOption.WRITE)) {
                    probe.size();
                } catch (AccessDeniedException denied) {
                    throw new AccessDeniedException(abs.toString(), null, "the file is read-only");
                }
            }
            PosixFileAttributeView posix = Files.getFileAttributeView(abs, PosixFileAttributeView.class);
            mode = posix == null ? null : posix.readAttributes().permissions();
        }
        Path tmp = Files.createTempFile(dir, abs.getFileName() + ".", TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (b.hasRemaining()) { // bounded: each write advances or throws
                    ch.write(b);
                }
                ch.force(true);
            }
            if (mode != null) {
                Files.setPosixFilePermissions(tmp, mode);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + abs + " atomically", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some platforms cannot open a directory; the rename is still atomic there
        }
    }

    /**
     * The temporary files of {@code file} left by writes that never reached their rename (a
     * process killed in {@link #write}): regular files named {@code NAME.<digits>.tmp} in its
     * directory. Empty when the directory does not exist.
     */
    public static List<Path> staleTempFiles(Path file) throws IOException {
        Path abs = target(file);
        Path dir = abs.getParent();
        List<Path> stale = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return stale;
        }
        Pattern name = Pattern.compile(Pattern.quote(abs.getFileName() + ".") + "[0-9]+" + Pattern.quote(TEMP_SUFFIX));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (name.matcher(p.getFileName().toString()).matches()
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    stale.add(p);
                }
            }
        }
        return stale;
    }

    /**
     * One line on why {@code file} could not be written by {@link #write}, in words: "directory
     * does not exist", "read-only file system", "no space left on device", "permission denied",
     * else the system's message.
     */
    public static String writeFailure(Path file, IOException e) {
        Path dir;
        try {
            dir = target(file).getParent();
        } catch (IOException loop) {
            dir = file.toAbsolutePath().getParent();
        }
        String why;
        if (dir != null && !Files.exists(dir)) {
            why = "directory does not exist (" + dir + ")";
        } else if (dir != null && !Files.isDirectory(dir)) {
            why = "not a directory (" + dir + ")";
        } else {
            why = FileReason.of(e);
        }
        return "cannot write the state file " + file + ": " + why;
    }

    /**
     * The file {@code file} leads to: itself, or the end of its chain of symbolic links (which
     * need not exist yet), as an absolute path. A state file reached through a link is written
     * there, so that the link stays a link and its target holds the token.
     */
    public static Path target(Path file) throws IOException {
        Path p = file.toAbsolutePath();
        for (int i = 0; i < MAX_LINKS; i++) {
            if (!Files.isSymbolicLink(p)) {
                return p;
            }
            p = p.getParent().resolve(Files.readSymbolicLink(p)).toAbsolutePath().normalize();
        }
        throw new FileSystemException(file.toString(), null, "too many levels of symbolic links");
    }

    private static int crc(byte[] header16, byte[] image) {
        CRC32C c = new CRC32C();
        c.update(header16, 0, OFF_CRC);
        c.update(image);
        return (int) c.getValue();
    }

    /** {@link #read(Path, int)} without a bound of its own (an image fits in an array). */
    public static byte[] read(Path file) throws StateFileException {
        return read(file, Integer.MAX_VALUE - HEADER_SIZE - 8);
    }

    /**
     * The image in {@code file}, checked. Only a regular file (through links) is read, and
     * only if it is at most {@code maxImageSize} bytes plus the header: a device, a FIFO, a
     * directory or a larger file is refused before any of it is read, so that {@code
     * /dev/zero} or a FIFO without a writer cannot hold the caller.
     */
    public static byte[] read(Path file, int maxImageSize) throws StateFileException {
        long max = (long) HEADER_SIZE + maxImageSize;
        byte[] all;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new StateFileException("state file " + file + " is not a regular file (" + kind(file, attributes)
                        + ")");
            }
            if (attributes.size() > max) {
                throw new StateFileException("state file " + file + " is too large (" + attributes.size()
                        + " bytes; a token's memory takes at most " + max + ")");
            }
            all = readAtMost(file, attributes.size());
        } catch (NoSuchFileException e) {
            throw new StateFileException("state file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new StateFileException("state file " + file + " cannot be read: " + FileReason.of(e), e);
        }
        if (all.length == 0) {
            throw new StateFileException("state file " + file + " is empty");
        }
        if (all.length < MAGIC.length || !Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new StateFileException("state file " + file + " is not an otptoken state file (wrong magic)");
        }
        if (all.length < HEADER_SIZE) {
            throw new StateFileException("state file " + file + " is truncated (" + all.length + " bytes, header needs "
                    + HEADER_SIZE + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        int version = b.getInt(OFF_VERSION);
        if (version != VERSION) {
            throw new StateFileException("state file " + file + " has format version " + version + ", expected " + VERSION);
        }
        int size = b.getInt(OFF_SIZE);
        long expected = (long) HEADER_SIZE + (size & 0xFFFFFFFFL);
        if (expected != all.length) {
            throw new StateFileException("state file " + file + " is truncated or padded (" + all.length
                    + " bytes, header says " + expected + ")");
        }
        byte[] image = Arrays.copyOfRange(all, HEADER_SIZE, all.length);
        if (crc(all, image) != b.getInt(OFF_CRC)) {
            throw new StateFileException("state file " + file + " is corrupt (CRC32C mismatch)");
        }
        return image;
    }

    /** The file's bytes, {@code size} of them; refused if it grew since its size was read. */
    private static byte[] readAtMost(Path file, long size) throws IOException, StateFileException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate((int) size + 1);
            while (b.hasRemaining() && ch.read(b) >= 0) { // bounded: the buffer fills or the file ends
                continue;
            }
            if (!b.hasRemaining()) {
                throw new StateFileException("state file " + file + " grew while it was read (past " + size
                        + " bytes)");
            }
            return Arrays.copyOf(b.array(), b.position());
        }
    }

    /** What a file that is not a regular file is, in words. */
    private static String kind(Path file, BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        try {
            int type = (Integer) Files.getAttribute(file, "unix:mode") & S_IFMT;
            switch (type) {
                case 0020000: return "a character device";
                case 0060000: return "a block device";
                case 0010000: return "a FIFO";
                case 0140000: return "a socket";
                default: break;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            // no unix view: fall through to the general words
        }
        return "a device, FIFO or socket";
    }
}
