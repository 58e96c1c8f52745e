package dev.otptoken.protocol.t1;

import java.util.Arrays;
import java.util.Locale;

/**
 * One T=1 block (ISO/IEC 7816-3 §11.3): {@code NAD | PCB | LEN | INF | EDC}. The EDC is
 * CRC-16/X-25 over NAD, PCB, LEN and INF, sent LOW byte first (HDLC FCS order).
 * INF may carry key material, so {@link #toString()} shows its length only.
 */
public record Block(int nad, int pcb, byte[] inf) {

    /** Host-to-card and card-to-host NAD: no addressing on a point-to-point line. */
    public static final int NAD_DEFAULT = 0x00;
    /** Largest INF (LEN 255 is reserved). */
    public static final int MAX_INF = 254;
    /** Default IFSC and IFSD. */
    public static final int DEFAULT_IFS = 32;
    /** Prologue (NAD, PCB, LEN) length. */
    public static final int PROLOGUE = 3;
    /** EDC length (CRC form). */
    public static final int EDC_LENGTH = 2;
    /** Longest encoded block. */
    public static final int MAX_BLOCK = PROLOGUE + MAX_INF + EDC_LENGTH;

    static final int LEN_RESERVED = 0xFF;
    private static final int BYTE_MASK = 0xFF;
    private static final int BYTE_SHIFT = 8;

    // PCB bit layout (ISO/IEC 7816-3 §11.3.2.2).
    private static final int I_MASK = 0x80;
    private static final int I_NS = 0x40;
    private static final int I_MORE = 0x20;
    private static final int I_RESERVED = 0x1F;
    private static final int RS_MASK = 0xC0;
    private static final int R_TAG = 0x80;
    private static final int R_RESERVED = 0x20;
    private static final int R_NR = 0x10;
    private static final int R_ERROR = 0x0F;
    private static final int S_TAG = 0xC0;
    private static final int S_RESPONSE = 0x20;
    private static final int S_COMMAND = 0x1F;

    /** Block kinds. */
    public enum Type { I, R, S }

    /** R-block error codes (eeee). */
    public enum RError {
        OK(0x0), EDC(0x1), OTHER(0x2);

        private final int code;

        RError(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** S-block commands (ccccc); IFS and WTX carry one INF byte. */
    public enum SType {
        RESYNCH(0x00, 0), IFS(0x01, 1), ABORT(0x02, 0), WTX(0x03, 1);

        private final int code;
        private final int infLength;

        SType(int code, int infLength) {
            this.code = code;
            this.infLength = infLength;
        }

        public int code() {
            return code;
        }

        public int infLength() {
            return infLength;
        }
    }

    public Block {
        if (nad < 0 || nad > BYTE_MASK || pcb < 0 || pcb > BYTE_MASK) {
            throw new IllegalArgumentException("nad and pcb are bytes");
        }
        inf = inf == null ? new byte[0] : inf.clone();
        if (inf.length > MAX_INF) {
            throw new IllegalArgumentException("INF longer than " + MAX_INF);
        }
    }

    @Override
    public byte[] inf() {
        return inf.clone();
    }

    /** INF length without copying. */
    public int infLength() {
        return inf.length;
    }

    /** An information block carrying {@code inf} with send sequence {@code ns}. */
    public static Block iBlock(int ns, boolean more, byte[] inf) {
        return new Block(NAD_DEFAULT, (ns & 1) * I_NS | (more ? I_MORE : 0), inf);
    }

    /** A receive-ready block asking for the I-block numbered {@code nr}. */
    public static Block rBlock(int nr, RError error) {
        return new Block(NAD_DEFAULT, R_TAG | (nr & 1) * R_NR | error.code(), new byte[0]);
    }

    /** A supervisory block; {@code value} is used only for IFS and WTX. */
    public static Block sBlock(SType type, boolean response, int value) {
        byte[] payload = type.infLength() == 0 ? new byte[0] : new byte[] {(byte) value};
        return new Block(NAD_DEFAULT, S_TAG | (response ? S_RESPONSE : 0) | type.code(), payload);
    }

    public Type type() {
        if ((pcb & I_MASK) == 0) {
            return Type.I;
        }
        return (pcb & RS_MASK) == R_TAG ? Type.R : Type.S;
    }

    /** I-block N(S). */
    public int ns() {
        return (pcb & I_NS) != 0 ? 1 : 0;
    }

    /** I-block M bit. */
    public boolean more() {
        return (pcb & I_MORE) != 0;
    }

    /** R-block N(R). */
    public int nr() {
        return (pcb & R_NR) != 0 ? 1 : 0;
    }

    /** R-block error code; OTHER for unknown codes (decode rejects them anyway). */
    public RError rError() {
        int code = pcb & R_ERROR;
        for (RError e : RError.values()) {
            if (e.code() == code) {
                return e;
            }
        }
        return RError.OTHER;
    }

    /** S-block command, or null if the code is not one of the four. */
    public SType sType() {
        int code = pcb & S_COMMAND;
        for (SType s : SType.values()) {
            if (s.code() == code) {
                return s;
            }
        }
        return null;
    }

    /** S-block r bit. */
    public boolean isResponse() {
        return (pcb & S_RESPONSE) != 0;
    }

    /** True if this is the S-block {@code type} with the given direction. */
    public boolean isS(SType s, boolean response) {
        return type() == Type.S && sType() == s && isResponse() == response;
    }

    /** The single INF byte of S(IFS)/S(WTX), unsigned. */
    public int sValue() {
        return inf.length == 0 ? 0 : inf[0] & BYTE_MASK;
    }

    /** Wire form, EDC low byte first. */
    public byte[] encode() {
        byte[] out = new byte[PROLOGUE + inf.length + EDC_LENGTH];
        out[0] = (byte) nad;
        out[1] = (byte) pcb;
        out[2] = (byte) inf.length;
        System.arraycopy(inf, 0, out, PROLOGUE, inf.length);
        int crc = Crc16X25.compute(out, 0, PROLOGUE + inf.length);
        out[PROLOGUE + inf.length] = (byte) crc;
        out[PROLOGUE + inf.length + 1] = (byte) (crc >>> BYTE_SHIFT);
        return out;
    }

    /**
     * Parses exactly one block occupying {@code len} bytes. Throws only
     * {@link T1FormatException}, whatever the input.
     */
    public static Block decode(byte[] buf, int off, int len) throws T1FormatException {
        if (buf == null || off < 0 || len < 0 || off > buf.length || len > buf.length - off) {
            throw new T1FormatException("range outside the buffer");
        }
        if (len < PROLOGUE + EDC_LENGTH) {
            throw new T1FormatException("block shorter than " + (PROLOGUE + EDC_LENGTH) + " bytes");
        }
        int infLen = buf[off + 2] & BYTE_MASK;
        if (infLen == LEN_RESERVED) {
            throw new T1FormatException("LEN 255 is reserved");
        }
        if (len != PROLOGUE + infLen + EDC_LENGTH) {
            throw new T1FormatException("LEN " + infLen + " does not match block length " + len);
        }
        int crc = Crc16X25.compute(buf, off, PROLOGUE + infLen);
        int got = (buf[off + PROLOGUE + infLen] & BYTE_MASK)
                | (buf[off + PROLOGUE + infLen + 1] & BYTE_MASK) << BYTE_SHIFT;
        if (crc != got) {
            throw new T1FormatException("EDC mismatch");
        }
        int nad = buf[off] & BYTE_MASK;
        int pcb = buf[off + 1] & BYTE_MASK;
        checkPcb(pcb, infLen);
        return new Block(nad, pcb, Arrays.copyOfRange(buf, off + PROLOGUE, off + PROLOGUE + infLen));
    }

    private static void checkPcb(int pcb, int infLen) throws T1FormatException {
        if ((pcb & I_MASK) == 0) {
            if ((pcb & I_RESERVED) != 0) {
                throw new T1FormatException("I-block PCB with reserved bits set");
            }
            return;
        }
        if ((pcb & RS_MASK) == R_TAG) {
            int err = pcb & R_ERROR;
            if ((pcb & R_RESERVED) != 0 || err > RError.OTHER.code()) {
                throw new T1FormatException("invalid R-block PCB");
            }
            if (infLen != 0) {
                throw new T1FormatException("R-block with INF");
            }
            return;
        }
        int code = pcb & S_COMMAND;
        SType found = null;
        for (SType s : SType.values()) {
            if (s.code() == code) {
                found = s;
            }
        }
        if (found == null) {
            throw new T1FormatException("unknown S-block command");
        }
        if (infLen != found.infLength()) {
            throw new T1FormatException("S-block INF length " + infLen + " invalid");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Block b && b.nad == nad && b.pcb == pcb && Arrays.equals(b.inf, inf);
    }

    @Override
    public int hashCode() {
        return (nad * 31 + pcb) * 31 + Arrays.hashCode(inf);
    }

    @Override
    public String toString() {
        String kind = switch (type()) {
            case I -> String.format(Locale.ROOT, "I(ns=%d, more=%b)", ns(), more());
            case R -> String.format(Locale.ROOT, "R(nr=%d, %s)", nr(), rError());
            case S -> String.format(Locale.ROOT, "S(%s %s)", sType(), isResponse() ? "response" : "request");
        };
        return String.format(Locale.ROOT, "Block[%s, nad=%02X, inf=%d bytes]", kind, nad, inf.length);
    }
}
