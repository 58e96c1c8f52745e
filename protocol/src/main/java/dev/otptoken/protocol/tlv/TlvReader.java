package dev.otptoken.protocol.tlv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads one-byte-tag BER-TLV objects (see {@link Tlv} for the accepted forms) from a slice
 * of a byte array. Every length is checked against what remains, so outside bytes end in a
 * {@link Tlv} or a {@link TlvFormatException}, never an index exception.
 */
public final class TlvReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    /** Reads the whole array (not copied: do not change it while reading). */
    public TlvReader(byte[] buf) {
        this(buf, 0, buf == null ? 0 : buf.length);
    }

    /** Reads {@code len} bytes at {@code off}; an out-of-range slice is a programming error. */
    public TlvReader(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 0 || off > buf.length || len > buf.length - off) {
            throw new IllegalArgumentException("TLV range outside the buffer");
        }
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    /** Parses a whole array as a sequence of TLVs. */
    public static List<Tlv> parseAll(byte[] bytes) throws TlvFormatException {
        if (bytes == null) {
            throw new TlvFormatException("no TLV data");
        }
        TlvReader r = new TlvReader(bytes);
        List<Tlv> out = new ArrayList<>();
        while (r.hasRemaining()) {
            out.add(r.next());
        }
        return out;
    }

    public boolean hasRemaining() {
        return pos < end;
    }

    /** Bytes not yet read. */
    public int remaining() {
        return end - pos;
    }

    /** The next tag, without consuming it. */
    public int peekTag() throws TlvFormatException {
        if (!hasRemaining()) {
            throw new TlvFormatException("no more TLV data");
        }
        return checkTag(buf[pos] & 0xFF);
    }

    /** Reads the next object. */
    public Tlv next() throws TlvFormatException {
        int tag = peekTag();
        int p = pos + 1;
        if (p >= end) {
            throw new TlvFormatException(String.format(Locale.ROOT, "tag %02X has no length", tag));
        }
        int first = buf[p++] & 0xFF;
        int length;
        if (first <= Tlv.MAX_SHORT_LENGTH) {
            length = first;
        } else if (first == Tlv.LENGTH_ONE_BYTE) {
            if (end - p < 1) {
                throw new TlvFormatException("length field truncated");
            }
            length = buf[p++] & 0xFF;
        } else if (first == Tlv.LENGTH_TWO_BYTES) {
            if (end - p < 2) {
                throw new TlvFormatException("length field truncated");
            }
            length = ((buf[p] & 0xFF) << 8) | (buf[p + 1] & 0xFF);
            p += 2;
        } else {
            // 80 is BER's indefinite length; 83 and up exceed anything an APDU carries.
            throw new TlvFormatException(String.format(Locale.ROOT, "unsupported length form %02X", first));
        }
        if (length > end - p) {
            throw new TlvFormatException(String.format(Locale.ROOT,
                    "tag %02X claims %d bytes but %d remain", tag, length, end - p));
        }
        Tlv tlv = new Tlv(tag, Arrays.copyOfRange(buf, p, p + length));
        pos = p + length;
        return tlv;
    }

    /** Reads the next object, which must have {@code tag}. */
    public Tlv expect(int tag) throws TlvFormatException {
        int actual = peekTag();
        if (actual != tag) {
            throw new TlvFormatException(String.format(Locale.ROOT, "expected tag %02X, found %02X", tag, actual));
        }
        return next();
    }

    /**
     * Reads {@code tag} followed by one value byte with no length byte, and returns that byte.
     * YKOATH sends the PUT property this way ({@code 78 02}), so a plain {@link #next()} would
     * mistake the property for a length.
     */
    public int expectTagAndByte(int tag) throws TlvFormatException {
        int actual = peekTag();
        if (actual != tag) {
            throw new TlvFormatException(String.format(Locale.ROOT, "expected tag %02X, found %02X", tag, actual));
        }
        if (end - pos < 2) {
            throw new TlvFormatException(String.format(Locale.ROOT, "tag %02X has no value byte", tag));
        }
        int value = buf[pos + 1] & 0xFF;
        pos += 2;
        return value;
    }

    private static int checkTag(int tag) throws TlvFormatException {
        if (!Tlv.isValidTag(tag)) {
            throw new TlvFormatException(String.format(Locale.ROOT, "unsupported tag %02X", tag));
        }
        return tag;
    }
}
