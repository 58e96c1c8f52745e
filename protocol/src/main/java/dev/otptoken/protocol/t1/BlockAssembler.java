package dev.otptoken.protocol.t1;

import java.util.Arrays;

/**
 * Cuts a byte stream into blocks: the LEN byte tells where a block ends; a partial block
 * older than CWT is dropped so one lost byte cannot desynchronise the framing for good.
 */
final class BlockAssembler {

    enum Result { NONE, BLOCK, INVALID }

    private final long cwtNanos;
    private final byte[] buf = new byte[Block.MAX_BLOCK];
    private int count;
    private long lastByteAt;
    private Block block;
    private boolean edcError;

    BlockAssembler(long cwtNanos) {
        this.cwtNanos = cwtNanos;
    }

    /** True when a partial block has been silent for longer than CWT at {@code now}. */
    boolean expired(long now) {
        return count > 0 && now - lastByteAt > cwtNanos;
    }

    void reset() {
        Arrays.fill(buf, 0, count, (byte) 0);
        count = 0;
    }

    boolean partial() {
        return count > 0;
    }

    /** Deadline at which the partial block expires (Long.MAX_VALUE if none). */
    long deadline() {
        return count > 0 ? lastByteAt + cwtNanos + 1 : Long.MAX_VALUE;
    }

    Result add(byte b, long now) {
        buf[count++] = b;
        lastByteAt = now;
        if (count == Block.PROLOGUE && (buf[2] & 0xFF) == Block.LEN_RESERVED) {
            count = 0;
            edcError = false;
            return Result.INVALID;
        }
        if (count < Block.PROLOGUE + Block.EDC_LENGTH
                || count < Block.PROLOGUE + (buf[2] & 0xFF) + Block.EDC_LENGTH) {
            return Result.NONE;
        }
        int len = count;
        count = 0;
        try {
            block = Block.decode(buf, 0, len);
            return Result.BLOCK;
        } catch (T1FormatException e) {
            int infLen = buf[2] & 0xFF;
            int crc = Crc16X25.compute(buf, 0, Block.PROLOGUE + infLen);
            int got = (buf[len - 2] & 0xFF) | (buf[len - 1] & 0xFF) << 8;
            edcError = crc != got;
            return Result.INVALID;
        } finally {
            // A block may carry part of a key (PUT, SET CODE): the raw bytes do not stay here.
            Arrays.fill(buf, 0, len, (byte) 0);
        }
    }

    Block block() {
        return block;
    }

    Block.RError errorCode() {
        return edcError ? Block.RError.EDC : Block.RError.OTHER;
    }
}
