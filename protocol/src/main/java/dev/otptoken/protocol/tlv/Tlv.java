package dev.otptoken.protocol.tlv;

import java.util.Arrays;
import java.util.Locale;

/**
 * One BER-TLV data object with a one-byte tag, as YKOATH and the device applet use.
 *
 * <p>Tags: any byte except those whose low five bits are all ones (the BER multi-byte tag
 * form, which no tag of ours uses) and except {@code 00} and {@code FF}, which ISO 7816-4
 * reserves as padding between objects; refusing them catches garbage early.
 * Lengths: short form 0–127, {@code 81 xx} for 128–255, {@code 82 xx xx} for 256–65535.
 * The indefinite form {@code 80} and {@code 83} or longer are refused. {@link #encode()}
 * always writes the shortest form; the reader also accepts non-minimal {@code 81}/{@code 82}
 * forms, since BER allows them.
 *
 * @param tag the tag byte, 0x01–0xFE, not of the multi-byte form
 * @param value the value (copied in and out; may hold a key)
 */
public record Tlv(int tag, byte[] value) {
    /** Largest value length a {@code 82 xx xx} length can express. */
    public static final int MAX_LENGTH = 0xFFFF;
    /** Largest length of the one-byte short form. */
    static final int MAX_SHORT_LENGTH = 0x7F;
    /** Length byte prefix: one length byte follows. */
    static final int LENGTH_ONE_BYTE = 0x81;
    /** Length byte prefix: two length bytes follow. */
    static final int LENGTH_TWO_BYTES = 0x82;
    /** Low five tag bits all set: a multi-byte tag follows (ISO 7816-4 §5.2.2.1). */
    static final int MULTI_BYTE_TAG_BITS = 0x1F;
    /** Padding bytes ISO 7816-4 allows between data objects. */
    static final int PADDING_00 = 0x00;
    static final int PADDING_FF = 0xFF;

    public Tlv {
        if (!isValidTag(tag)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "unsupported tag %02X", tag));
        }
        value = value == null ? new byte[0] : value.clone();
        if (value.length > MAX_LENGTH) {
            throw new IllegalArgumentException("TLV value longer than " + MAX_LENGTH + " bytes");
        }
    }

    /** Whether {@code tag} is a tag this codec can read and write. */
    public static boolean isValidTag(int tag) {
        return tag > PADDING_00 && tag < PADDING_FF && (tag & MULTI_BYTE_TAG_BITS) != MULTI_BYTE_TAG_BITS;
    }

    /** A copy of the value. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The value length, without copying. */
    public int length() {
        return value.length;
    }

    /** Tag, shortest length form, value. */
    public byte[] encode() {
        TlvWriter w = new TlvWriter();
        try {
            return w.put(tag, value).toByteArray();
        } finally {
            w.wipe();
        }
    }

    /** Number of bytes the shortest length form of {@code length} takes. */
    static int lengthFieldSize(int length) {
        if (length <= MAX_SHORT_LENGTH) {
            return 1;
        }
        return length <= 0xFF ? 2 : 3;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tlv t && tag == t.tag && Arrays.equals(value, t.value);
    }

    @Override
    public int hashCode() {
        return 31 * tag + Arrays.hashCode(value);
    }

    /** Tag and length only: values may be keys. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Tlv[tag=%02X, length=%d]", tag, value.length);
    }
}
