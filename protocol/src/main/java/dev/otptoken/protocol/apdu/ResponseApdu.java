package dev.otptoken.protocol.apdu;

import java.util.Arrays;

/**
 * A response APDU: data followed by the status word SW1 SW2.
 *
 * @param data response data (copied in and out; may hold secrets such as a full HMAC)
 * @param sw status word 0x0000–0xFFFF
 */
public record ResponseApdu(byte[] data, int sw) {
    /** Length of the status word trailer. */
    public static final int SW_LENGTH = 2;
    /** Largest response data an extended Le can ask for. */
    public static final int MAX_DATA = CommandApdu.MAX_EXTENDED_NE;
    private static final int BYTE_MASK = 0xFF;
    private static final int SW_MASK = 0xFFFF;

    public ResponseApdu {
        data = data == null ? new byte[0] : data.clone();
        if (data.length > MAX_DATA) {
            throw new IllegalArgumentException("response data longer than " + MAX_DATA + " bytes");
        }
        if (sw < 0 || sw > SW_MASK) {
            throw new IllegalArgumentException("status word out of range: " + sw);
        }
    }

    /** A response with no data. */
    public static ResponseApdu of(int sw) {
        return new ResponseApdu(null, sw);
    }

    /** Parses data + SW1 SW2. */
    public static ResponseApdu parse(byte[] response) throws ApduFormatException {
        if (response == null) {
            throw new ApduFormatException("no response");
        }
        return parse(response, 0, response.length);
    }

    /** Parses {@code len} bytes at {@code off} as data + SW1 SW2. */
    public static ResponseApdu parse(byte[] buf, int off, int len) throws ApduFormatException {
        if (buf == null || off < 0 || len < 0 || off > buf.length || len > buf.length - off) {
            throw new ApduFormatException("response range outside the buffer");
        }
        if (len < SW_LENGTH) {
            throw new ApduFormatException("response shorter than its status word: " + len + " bytes");
        }
        if (len - SW_LENGTH > MAX_DATA) {
            throw new ApduFormatException("response data longer than " + MAX_DATA + " bytes");
        }
        int end = off + len;
        int sw = ((buf[end - 2] & BYTE_MASK) << 8) | (buf[end - 1] & BYTE_MASK);
        return new ResponseApdu(Arrays.copyOfRange(buf, off, end - SW_LENGTH), sw);
    }

    /** Data then SW1 SW2. */
    public byte[] encode() {
        byte[] out = Arrays.copyOf(data, data.length + SW_LENGTH);
        out[data.length] = (byte) (sw >>> 8);
        out[data.length + 1] = (byte) sw;
        return out;
    }

    /** A copy of the response data. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Length of the response data, without copying it. */
    public int length() {
        return data.length;
    }

    public int sw1() {
        return sw >>> 8;
    }

    public int sw2() {
        return sw & BYTE_MASK;
    }

    /** SW = 9000. */
    public boolean isOk() {
        return sw == StatusWord.OK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResponseApdu r && sw == r.sw && Arrays.equals(data, r.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + sw;
    }

    /** Status word and data length only: the data may be secret. */
    @Override
    public String toString() {
        return "ResponseApdu[sw=" + StatusWord.describe(sw) + ", length=" + data.length + "]";
    }
}
