package dev.otptoken.hardware.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The {@code --state} file: magic "OTPTOKEN" (8) | format version (4) | image size (4) |
 * CRC32C over the preceding 16 bytes and the image (4) | image. Written atomically (temp
 * file in the same directory, forced, renamed, directory forced); a file that fails any
 * check is refused and left as it is.
 */
public final class StateFile {
    public static final byte[] MAGIC = "OTPTOKEN".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 20;
    private static final int OFF_VERSION = 8;
    private static final int OFF_SIZE = 12;
    private static final int OFF_CRC = 16;

    private StateFile() {
    }

    public static void write(Path file, byte[] image) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + image.length);
        b.put(MAGIC).putInt(VERSION).putInt(image.length);
        b.putInt(crc(b.array(), image));
        b.put(image);
        b.flip();
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = Files.createTempFile(dir, abs.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (b.hasRemaining()) { // bounded: each write advances or throws
                    ch.write(b);
                }
                ch.force(true);
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

    private static int crc(byte[] header16, byte[] image) {
        CRC32C c = new CRC32C();
        c.update(header16, 0, OFF_CRC);
        c.update(image);
        return (int) c.getValue();
    }

    public static byte[] read(Path file) throws StateFileException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new StateFileException("state file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new StateFileException("state file " + file + " cannot be read: " + e.getMessage(), e);
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
}
