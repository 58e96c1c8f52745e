package dev.otptoken.firmware.sim;

import dev.otptoken.hardware.memory.StateFile;
import dev.otptoken.log.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One token per state file: {@code otptoken-sim} holds an exclusive lock on {@code FILE.lock}
 * beside the file (the one a link leads to) for as long as it runs. Two tokens on one file
 * would each keep their own memory and write it over the other's, losing accounts both had
 * confirmed. The lock goes with the process, however it ends; the lock file stays, holding the
 * process id of its last holder for the message of a refused start.
 */
final class StateLock implements AutoCloseable {
    private static final StateLock NONE = new StateLock(null);
    private final FileChannel channel;

    private StateLock(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Locks {@code state}'s lock file; refused when another token holds it. Where the lock file
     * cannot be made (no such directory, a read-only disk) nothing is locked: the state file
     * cannot be written there either, and its own check says so.
     */
    static StateLock acquire(Path state) throws SimulatedToken.BadStateException {
        Path lockFile;
        FileChannel ch;
        try {
            Path target = StateFile.target(state);
            lockFile = target.resolveSibling(target.getFileName() + ".lock");
            ch = FileChannel.open(lockFile, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException | UnsupportedOperationException e) {
            Log.debug("state file {}: no lock file: {}", state, e.getMessage());
            return NONE;
        }
        try {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // another token of this process
            }
            if (lock == null) {
                String holder = holder(ch);
                ch.close();
                throw new SimulatedToken.BadStateException("state file " + state + " is in use by another token"
                        + (holder.isEmpty() ? "" : " (process " + holder + ")") + ": one token per state file");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new StateLock(ch);
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing what could not be locked
            }
            Log.debug("state file {}: not locked: {}", state, e.getMessage());
            return NONE;
        }
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(24);
            ch.read(b, 0);
            String text = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
            return text.matches("[0-9]{1,19}") ? text : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                Log.debug("state lock: {}", e.getMessage());
            }
        }
    }
}
