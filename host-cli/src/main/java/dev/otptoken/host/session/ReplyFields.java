package dev.otptoken.host.session;

import dev.otptoken.protocol.tlv.Tlv;
import dev.otptoken.protocol.tlv.TlvFormatException;
import dev.otptoken.protocol.tlv.TlvReader;
import java.io.IOException;
import java.util.List;

/** Reads a token reply as TLVs; a malformed reply is a transport-level failure. */
final class ReplyFields {
    private ReplyFields() {
    }

    static List<Tlv> parse(byte[] data) throws IOException {
        try {
            return TlvReader.parseAll(data);
        } catch (TlvFormatException e) {
            throw new IOException("malformed reply from the token: " + e.getMessage(), e);
        }
    }

    /** The value of the first TLV with {@code tag}, or null. */
    static byte[] find(List<Tlv> tlvs, int tag) {
        for (Tlv t : tlvs) {
            if (t.tag() == tag) {
                return t.value();
            }
        }
        return null;
    }

    static byte[] require(List<Tlv> tlvs, int tag) throws IOException {
        byte[] v = find(tlvs, tag);
        if (v == null) {
            throw new IOException(String.format(java.util.Locale.ROOT, "token reply lacks tag %02X", tag));
        }
        return v;
    }

    static long unsigned(byte[] value, int expectedLength) throws IOException {
        if (value.length != expectedLength) {
            throw new IOException("token reply field has " + value.length + " bytes, expected " + expectedLength);
        }
        long v = 0;
        for (byte b : value) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }
}
