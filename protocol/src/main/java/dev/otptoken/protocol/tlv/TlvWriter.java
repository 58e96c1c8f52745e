package dev.otptoken.protocol.tlv;

import java.util.Arrays;
import java.util.Locale;

/**
 * Builds a sequence of one-byte-tag BER-TLV objects with shortest-form lengths. It keeps its
 * own buffer, rather than a ByteArrayOutputStream, so that {@link #wipe()} can zero every
 * copy a key may have left behind when the buffer grew.
 */
public final class TlvWriter {
    private static final int INITIAL_CAPACITY = 64;

    private byte[] buf = new byte[INITIAL_CAPACITY];
    private int size;

    /** Appends {@code tag}, the length of {@code value}, and {@code value}. */
    public TlvWriter put(int tag, byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("no value");
        }
        return put(tag, value, 0, value.length);
    }

    /** Appends {@code tag} and {@code len} bytes of {@code value} at {@code off}. */
    public TlvWriter put(int tag, byte[] value, int off, int len) {
        if (!Tlv.isValidTag(tag)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "unsupported tag %02X", tag));
        }
        if (value == null || off < 0 || len < 0 || off > value.length || len > value.length - off) {
            throw new IllegalArgumentException("value range outside the array");
        }
        if (len > Tlv.MAX_LENGTH) {
            throw new IllegalArgumentException("TLV value longer than " + Tlv.MAX_LENGTH + " bytes");
        }
        ensure(1 + Tlv.lengthFieldSize(len) + len);
        buf[size++] = (byte) tag;
        if (len <= Tlv.MAX_SHORT_LENGTH) {
            buf[size++] = (byte) len;
        } else if (len <= 0xFF) {
            buf[size++] = (byte) Tlv.LENGTH_ONE_BYTE;
            buf[size++] = (byte) len;
        } else {
            buf[size++] = (byte) Tlv.LENGTH_TWO_BYTES;
            buf[size++] = (byte) (len >>> 8);
            buf[size++] = (byte) len;
        }
        System.arraycopy(value, off, buf, size, len);
        size += len;
        return this;
    }

    /** Appends {@code tag 01 singleByte}. */
    public TlvWriter put(int tag, int singleByte) {
        if (singleByte < 0 || singleByte > 0xFF) {
            throw new IllegalArgumentException("not a byte: " + singleByte);
        }
        return put(tag, new byte[] {(byte) singleByte});
    }

    /** Appends a TLV object. */
    public TlvWriter put(Tlv tlv) {
        byte[] v = tlv.value();
        try {
            return put(tlv.tag(), v);
        } finally {
            Arrays.fill(v, (byte) 0);
        }
    }

    /**
     * Appends bytes verbatim. For YKOATH's touch property, sent as {@code 78 02} with no
     * length byte, which a well-formed TLV cannot express.
     */
    public TlvWriter putRaw(byte... bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("no bytes");
        }
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
        return this;
    }

    /** Bytes written so far. */
    public int size() {
        return size;
    }

    /** A copy of what has been written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Zeroes the buffer and empties the writer: it may have held a key. */
    public void wipe() {
        Arrays.fill(buf, (byte) 0);
        size = 0;
    }

    private void ensure(int extra) {
        if (extra > Integer.MAX_VALUE - size) {
            throw new IllegalStateException("TLV buffer too large");
        }
        int needed = size + extra;
        if (needed <= buf.length) {
            return;
        }
        int capacity = Math.max(needed, buf.length <= Integer.MAX_VALUE / 2 ? buf.length * 2 : Integer.MAX_VALUE);
        byte[] bigger = Arrays.copyOf(buf, capacity);
        Arrays.fill(buf, (byte) 0);
        buf = bigger;
    }
}
