package dev.otptoken.protocol.tlv;

/**
 * Reads BER-TLV data objects in place over a byte array, allocating nothing: the one length
 * rule of the project (short form {@code 00..7F}, {@code 81 xx}, {@code 82 xx xx}; see
 * docs/apdu-tlv-otp.md, "TLV"). The token's applets parse their APDU buffer with it,
 * {@link TlvReader} builds {@link Tlv} objects on it, and the host's trace redactor walks
 * commands with it.
 *
 * <p>A malformed object — no length byte, a length form other than the three above, a value
 * running past the end — makes {@link #next()} answer false and leaves the cursor where it
 * was; nothing here throws on any input.
 */
public final class TlvCursor {
    /** Why the last {@link #next()} answered false. */
    public enum Problem { NONE, NO_OBJECT, NO_LENGTH, LENGTH_TRUNCATED, UNSUPPORTED_LENGTH_FORM, VALUE_TRUNCATED }

    private Problem problem = Problem.NONE;
    private byte[] buf = new byte[0];
    private int pos;
    private int end;
    private int start;
    private int tag;
    private int valueOffset;
    private int valueLength;

    /** Starts over on {@code buf[off, off+len)}. Returns this cursor. */
    public TlvCursor reset(byte[] buf, int off, int len) {
        if (off < 0 || len < 0 || off > buf.length - len) {
            throw new IndexOutOfBoundsException("range outside the buffer");
        }
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        this.start = off;
        this.tag = -1;
        this.valueOffset = off;
        this.valueLength = 0;
        this.problem = Problem.NONE;
        return this;
    }

    /** Whether bytes remain after the last object read. */
    public boolean hasRemaining() {
        return pos < end;
    }

    /** Index of the first byte not yet read. */
    public int position() {
        return pos;
    }

    /** Index just past the range. */
    public int end() {
        return end;
    }

    /** The next object's tag byte without reading it, or -1 when no bytes remain. */
    public int peekTag() {
        return pos < end ? buf[pos] & 0xFF : -1;
    }

    /**
     * Reads the next object's header and steps over its value. False, with nothing read, when
     * no object starts here or it is malformed.
     */
    public boolean next() {
        int p = pos;
        if (p >= end) {
            return fail(Problem.NO_OBJECT);
        }
        int t = buf[p++] & 0xFF;
        if (p >= end) {
            return fail(Problem.NO_LENGTH);
        }
        int first = buf[p++] & 0xFF;
        int length;
        if (first <= Tlv.MAX_SHORT_LENGTH) {
            length = first;
        } else if (first == Tlv.LENGTH_ONE_BYTE) {
            if (end - p < 1) {
                return fail(Problem.LENGTH_TRUNCATED);
            }
            length = buf[p++] & 0xFF;
        } else if (first == Tlv.LENGTH_TWO_BYTES) {
            if (end - p < 2) {
                return fail(Problem.LENGTH_TRUNCATED);
            }
            length = ((buf[p] & 0xFF) << Byte.SIZE) | (buf[p + 1] & 0xFF);
            p += 2;
        } else {
            // 80 is BER's indefinite length; 83 and up exceed anything an APDU carries.
            return fail(Problem.UNSUPPORTED_LENGTH_FORM);
        }
        if (length > end - p) {
            valueOffset = p;
            valueLength = length;
            return fail(Problem.VALUE_TRUNCATED);
        }
        problem = Problem.NONE;
        start = pos;
        tag = t;
        valueOffset = p;
        valueLength = length;
        pos = p + length;
        return true;
    }

    private boolean fail(Problem why) {
        problem = why;
        return false;
    }

    /**
     * Why the last {@link #next()} failed. After {@link Problem#VALUE_TRUNCATED},
     * {@link #valueOffset()} and {@link #valueLength()} hold where the value would start and
     * the length it claimed.
     */
    public Problem problem() {
        return problem;
    }

    /** Reads the next object if it has {@code tag}; false (nothing read) otherwise. */
    public boolean next(int expectedTag) {
        return peekTag() == expectedTag && next();
    }

    /**
     * Reads a YKOATH property object, which clients send two ways: {@code 78 01 pp} (a TLV)
     * and, as ykman does, {@code 78 pp} with no length byte. The one rule for telling them
     * apart: {@code 78 01} followed by a byte that is a valid set of properties ({@code allowed}
     * mask) and not the tag {@code notATag} of the object that may follow is the TLV form;
     * anything else is the bare form, whose one value byte follows the tag. False (nothing
     * read) when the next tag is not {@code propertyTag} or no value byte follows.
     */
    public boolean nextProperty(int propertyTag, int allowed, int notATag) {
        if (peekTag() != propertyTag || end - pos < 2) {
            return false;
        }
        int p = pos + 1;
        int first = buf[p] & 0xFF;
        start = pos;
        tag = propertyTag;
        if (first == 1 && p + 1 < end) {
            int second = buf[p + 1] & 0xFF;
            if (second != notATag && (second & ~allowed) == 0) {
                valueOffset = p + 1;
                valueLength = 1;
                pos = p + 2;
                return true;
            }
        }
        valueOffset = p;
        valueLength = 1;
        pos = p + 1;
        return true;
    }

    /** The tag of the object last read (-1 before any). */
    public int tag() {
        return tag;
    }

    /** Index of the first byte of the object last read (its tag). */
    public int objectOffset() {
        return start;
    }

    /** Index of the value of the object last read. */
    public int valueOffset() {
        return valueOffset;
    }

    /** Length of the value of the object last read. */
    public int valueLength() {
        return valueLength;
    }

    /** The first value byte of the object last read (0..255); its value must not be empty. */
    public int valueByte() {
        return buf[valueOffset] & 0xFF;
    }
}
