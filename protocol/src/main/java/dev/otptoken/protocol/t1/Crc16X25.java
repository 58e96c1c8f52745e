package dev.otptoken.protocol.t1;

/**
 * CRC-16/X-25 (ISO/IEC 13239 FCS), the CRC form of the T=1 EDC (ISO/IEC 7816-3 §11.4.4).
 * The register is transmitted low byte first, as HDLC sends its FCS; see {@link Block}.
 */
public final class Crc16X25 {

    /** 0x1021 bit-reversed: the algorithm works LSB first. */
    private static final int POLY_REFLECTED = 0x8408;
    private static final int INIT = 0xFFFF;
    private static final int XOR_OUT = 0xFFFF;
    private static final int BYTE_MASK = 0xFF;
    private static final int BITS_PER_BYTE = 8;

    private Crc16X25() {
    }

    /** Returns the 16-bit CRC of {@code len} bytes of {@code data} starting at {@code off}. */
    public static int compute(byte[] data, int off, int len) {
        int crc = INIT;
        for (int i = off; i < off + len; i++) {
            crc ^= data[i] & BYTE_MASK;
            for (int bit = 0; bit < BITS_PER_BYTE; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
            }
        }
        return (crc ^ XOR_OUT) & 0xFFFF;
    }

    /** Convenience for a whole array. */
    public static int compute(byte[] data) {
        return compute(data, 0, data.length);
    }
}
