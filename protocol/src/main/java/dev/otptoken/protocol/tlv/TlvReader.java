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
    private final TlvCursor cursor = new TlvCursor();
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
        if (!cursor.reset(buf, pos, end - pos).next()) {
            throw new TlvFormatException(switch (cursor.problem()) {
                case NO_LENGTH -> String.format(Locale.ROOT, "tag %02X has no length", tag);
                case LENGTH_TRUNCATED -> "length field truncated";
                case UNSUPPORTED_LENGTH_FORM -> String.format(Locale.ROOT, "unsupported length form %02X",
                        buf[pos + 1] & 0xFF);
                case VALUE_TRUNCATED -> String.format(Locale.ROOT, "tag %02X claims %d bytes but %d remain", tag,
                        cursor.valueLength(), end - cursor.valueOffset());
                case NO_OBJECT, NONE -> "no more TLV data";
            });
        }
        Tlv tlv = new Tlv(tag, Arrays.copyOfRange(buf, cursor.valueOffset(), cursor.valueOffset() + cursor.valueLength()));
        pos = cursor.position();
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

    private static int checkTag(int tag) throws TlvFormatException {
        if (!Tlv.isValidTag(tag)) {
            throw new TlvFormatException(String.format(Locale.ROOT, "unsupported tag %02X", tag));
        }
        return tag;
    }
}
