package dev.otptoken.protocol.apdu;

import java.util.Arrays;
import java.util.Locale;

/**
 * An ISO 7816-4 command APDU (cases 1–4, short and extended length).
 *
 * <p>{@code ne} is the maximum number of response bytes expected: 0 means "no Le field",
 * 1–256 fit a short Le (256 is encoded {@code 00}), up to 65536 need an extended Le (65536
 * is encoded {@code 00 00}). {@link #encode()} picks the extended form only when the data
 * is longer than 255 bytes or {@code ne} is above 256.
 *
 * <p><b>YKOATH quirk.</b> YubiKey OATH clients send commands without data as
 * {@code 00 A1 00 00 00}: a lone fifth byte they mean as "Lc = 0". ISO reads a five-byte
 * APDU as case 2 (that byte is Le, 00 = 256). Both readings give an empty command data
 * field, so {@link #parse(byte[])} returns case 2 with empty data and {@code ne} 256;
 * applets must therefore accept commands that carry an Le they did not ask for.
 *
 * @param cla class byte, 0–255
 * @param ins instruction byte, 0–255
 * @param p1 parameter 1, 0–255
 * @param p2 parameter 2, 0–255
 * @param data command data, 0–65535 bytes (copied in and out; may hold a key)
 * @param ne expected response length, 0 (no Le) to 65536
 */
public record CommandApdu(int cla, int ins, int p1, int p2, byte[] data, int ne) {
    /** The interindustry class byte (ISO 7816-4): no secure messaging, logical channel 0. */
    public static final int CLA_ISO = 0x00;
    /** SELECT (ISO 7816-4 §11.1.1); YKOATH reuses the byte for CALCULATE ALL with P1 = 00. */
    public static final int INS_SELECT = 0xA4;
    /** P1 of SELECT by DF name (an AID). */
    public static final int P1_SELECT_BY_NAME = 0x04;

    /** Header length: CLA INS P1 P2. */
    public static final int HEADER_LENGTH = 4;
    /** Largest data field of a short APDU. */
    public static final int MAX_SHORT_LC = 255;
    /** Largest Ne of a short APDU (Le byte 00). */
    public static final int MAX_SHORT_NE = 256;
    /** Largest data field of an extended APDU. */
    public static final int MAX_EXTENDED_LC = 65535;
    /** Largest Ne of an extended APDU (Le bytes 00 00). */
    public static final int MAX_EXTENDED_NE = 65536;
    /** The byte that introduces extended Lc/Le where a short Lc would be. */
    private static final int EXTENDED_MARKER = 0x00;
    private static final int BYTE_MASK = 0xFF;

    public CommandApdu {
        checkByte("CLA", cla);
        checkByte("INS", ins);
        checkByte("P1", p1);
        checkByte("P2", p2);
        data = data == null ? new byte[0] : data.clone();
        if (data.length > MAX_EXTENDED_LC) {
            throw new IllegalArgumentException("command data longer than " + MAX_EXTENDED_LC + " bytes");
        }
        if (ne < 0 || ne > MAX_EXTENDED_NE) {
            throw new IllegalArgumentException("ne out of range 0.." + MAX_EXTENDED_NE + ": " + ne);
        }
    }

    private static void checkByte(String what, int value) {
        if (value < 0 || value > BYTE_MASK) {
            throw new IllegalArgumentException(what + " out of range 0..255: " + value);
        }
    }

    /** ISO 7816-4 SELECT by DF name: {@code 00 A4 04 00 Lc AID}, the one SELECT every applet here answers. */
    public static CommandApdu select(byte[] aid) {
        return of(CLA_ISO, INS_SELECT, P1_SELECT_BY_NAME, 0, aid);
    }

    /** Case 1: header only. */
    public static CommandApdu of(int cla, int ins, int p1, int p2) {
        return new CommandApdu(cla, ins, p1, p2, null, 0);
    }

    /** Case 3 (or 1 when {@code data} is empty). */
    public static CommandApdu of(int cla, int ins, int p1, int p2, byte[] data) {
        return new CommandApdu(cla, ins, p1, p2, data, 0);
    }

    /** Case 4 (or 2 when {@code data} is empty). */
    public static CommandApdu of(int cla, int ins, int p1, int p2, byte[] data, int ne) {
        return new CommandApdu(cla, ins, p1, p2, data, ne);
    }

    /** A copy of the command data. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /**
     * Zeros this command's own copy of its data, for a command that carried a secret (a PUT's
     * key) once it has been sent; the command is not to be used afterwards.
     */
    public void wipe() {
        java.util.Arrays.fill(data, (byte) 0);
    }

    /** The length of the command data (Nc), without copying it. */
    public int nc() {
        return data.length;
    }

    /** Whether {@link #encode()} uses extended length fields. */
    public boolean isExtended() {
        return data.length > MAX_SHORT_LC || ne > MAX_SHORT_NE;
    }

    /** The ISO 7816-4 encoding; extended only when short cannot express the lengths. */
    public byte[] encode() {
        boolean extended = isExtended();
        int lcLength = data.length == 0 ? 0 : (extended ? 3 : 1);
        int leLength;
        if (ne == 0) {
            leLength = 0;
        } else if (!extended) {
            leLength = 1;
        } else {
            // In case 2E the leading 00 belongs to Le; in case 4E Lc already carried it.
            leLength = data.length == 0 ? 3 : 2;
        }
        byte[] out = new byte[HEADER_LENGTH + lcLength + data.length + leLength];
        out[0] = (byte) cla;
        out[1] = (byte) ins;
        out[2] = (byte) p1;
        out[3] = (byte) p2;
        int pos = HEADER_LENGTH;
        if (lcLength == 1) {
            out[pos++] = (byte) data.length;
        } else if (lcLength == 3) {
            out[pos++] = EXTENDED_MARKER;
            out[pos++] = (byte) (data.length >>> 8);
            out[pos++] = (byte) data.length;
        }
        System.arraycopy(data, 0, out, pos, data.length);
        pos += data.length;
        // ne 256 and 65536 wrap to 00 and 00 00 through the casts below.
        if (leLength == 1) {
            out[pos] = (byte) ne;
        } else if (leLength >= 2) {
            if (leLength == 3) {
                out[pos++] = EXTENDED_MARKER;
            }
            out[pos++] = (byte) (ne >>> 8);
            out[pos] = (byte) ne;
        }
        return out;
    }

    /** Parses a whole array as one command APDU. */
    public static CommandApdu parse(byte[] apdu) throws ApduFormatException {
        if (apdu == null) {
            throw new ApduFormatException("no APDU");
        }
        return parse(apdu, 0, apdu.length);
    }

    /**
     * Parses {@code len} bytes at {@code off} as one command APDU (ISO 7816-4 §5.1, cases
     * 1, 2S, 3S, 4S, 2E, 3E, 4E). The length fields must account for every byte exactly.
     */
    public static CommandApdu parse(byte[] buf, int off, int len) throws ApduFormatException {
        if (buf == null || off < 0 || len < 0 || off > buf.length || len > buf.length - off) {
            throw new ApduFormatException("APDU range outside the buffer");
        }
        if (len < HEADER_LENGTH) {
            throw new ApduFormatException("APDU shorter than its 4-byte header: " + len + " bytes");
        }
        int cla = buf[off] & BYTE_MASK;
        int ins = buf[off + 1] & BYTE_MASK;
        int p1 = buf[off + 2] & BYTE_MASK;
        int p2 = buf[off + 3] & BYTE_MASK;
        int body = len - HEADER_LENGTH;
        int b = off + HEADER_LENGTH;
        if (body == 0) {
            return new CommandApdu(cla, ins, p1, p2, null, 0);
        }
        int first = buf[b] & BYTE_MASK;
        if (body == 1) {
            // Case 2S; also the YKOATH "Lc = 0" quirk, which yields the same empty data.
            return new CommandApdu(cla, ins, p1, p2, null, shortNe(first));
        }
        if (first != EXTENDED_MARKER) {
            int lc = first;
            if (body == 1 + lc) {
                return new CommandApdu(cla, ins, p1, p2, Arrays.copyOfRange(buf, b + 1, b + 1 + lc), 0);
            }
            if (body == 2 + lc) {
                int ne = shortNe(buf[b + 1 + lc] & BYTE_MASK);
                return new CommandApdu(cla, ins, p1, p2, Arrays.copyOfRange(buf, b + 1, b + 1 + lc), ne);
            }
            throw new ApduFormatException("short Lc " + lc + " does not match the " + body + " bytes after the header");
        }
        if (body < 3) {
            throw new ApduFormatException("extended length field truncated");
        }
        int ext = ((buf[b + 1] & BYTE_MASK) << 8) | (buf[b + 2] & BYTE_MASK);
        if (body == 3) {
            return new CommandApdu(cla, ins, p1, p2, null, extendedNe(ext));
        }
        if (ext == 0) {
            throw new ApduFormatException("extended Lc of 0 followed by more bytes");
        }
        int lc = ext;
        if (body == 3 + lc) {
            return new CommandApdu(cla, ins, p1, p2, Arrays.copyOfRange(buf, b + 3, b + 3 + lc), 0);
        }
        if (body == 5 + lc) {
            int le = ((buf[b + 3 + lc] & BYTE_MASK) << 8) | (buf[b + 4 + lc] & BYTE_MASK);
            return new CommandApdu(cla, ins, p1, p2, Arrays.copyOfRange(buf, b + 3, b + 3 + lc), extendedNe(le));
        }
        throw new ApduFormatException("extended Lc " + lc + " does not match the " + body + " bytes after the header");
    }

    private static int shortNe(int le) {
        return le == 0 ? MAX_SHORT_NE : le;
    }

    private static int extendedNe(int le) {
        return le == 0 ? MAX_EXTENDED_NE : le;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommandApdu c && cla == c.cla && ins == c.ins && p1 == c.p1 && p2 == c.p2
                && ne == c.ne && Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
        int h = (cla << 24) | (ins << 16) | (p1 << 8) | p2;
        return 31 * (31 * h + Arrays.hashCode(data)) + ne;
    }

    /** Header in hex, data by length only: command data may hold a key. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CommandApdu[%02X %02X %02X %02X, nc=%d, ne=%d]",
                cla, ins, p1, p2, data.length, ne);
    }
}
