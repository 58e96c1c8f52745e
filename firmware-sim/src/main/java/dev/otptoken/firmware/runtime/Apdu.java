package dev.otptoken.firmware.runtime;

import dev.otptoken.protocol.apdu.StatusWord;
import java.util.Arrays;

/**
 * The one preallocated APDU buffer of the runtime, parsed in place with offsets as on
 * Java Card. The command occupies {@code buffer[0..incomingLength)}; the applet writes
 * its response data at offset 0 of the same buffer (after it has read the command) and
 * calls {@link #setOutgoing(int)}.
 */
public final class Apdu {
    /** Header length: CLA INS P1 P2. */
    public static final int HEADER_LENGTH = 4;
    /** Offset of the command data of a short APDU (after the one-byte Lc). */
    public static final int OFFSET_CDATA = 5;
    /** Offset of the command data of an extended APDU (after {@code 00} and the two-byte Lc). */
    public static final int OFFSET_EXT_CDATA = 7;
    /** The most command data either form may carry here: what a short Lc can say. */
    public static final int MAX_DATA = 255;
    /** Largest command: an extended one with {@link #MAX_DATA} bytes and a two-byte Le. */
    public static final int MAX_COMMAND = OFFSET_EXT_CDATA + MAX_DATA + 2;
    /** Largest short response data. */
    public static final int MAX_RESPONSE_DATA = 256;
    /** Buffer size: room for either direction. */
    public static final int BUFFER_SIZE = Math.max(MAX_COMMAND, MAX_RESPONSE_DATA);

    private static final int OFFSET_CLA = 0;
    private static final int OFFSET_INS = 1;
    private static final int OFFSET_P1 = 2;
    private static final int OFFSET_P2 = 3;
    private static final int OFFSET_LC = 4;

    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int incomingLength;
    private int lc;
    private int dataOffset = OFFSET_CDATA;
    private int outgoingLength;
    private int statusWord;
    private boolean selecting;
    private int interfaceIndex;

    /** The shared buffer itself (not a copy: this is the allocation-free path). */
    public byte[] buffer() {
        return buffer;
    }

    /**
     * Loads a command; returns 9000 or the status word (6700) that rejects its framing.
     * Short form: a lone fifth byte means no data (ISO case 2, and YKOATH's
     * {@code 00 A1 00 00 00}); one trailing byte after the data is Le and ignored. Extended
     * form (tried only when the short reading does not fit): {@code 00} and a two-byte
     * length, then either nothing (case 2E, that was Le) or that many data bytes and an
     * optional two-byte Le (3E, 4E). More than {@link #MAX_DATA} data bytes is 6700.
     */
    int load(byte[] command, int len) {
        outgoingLength = 0;
        statusWord = StatusWord.OK;
        selecting = false;
        incomingLength = 0;
        lc = 0;
        dataOffset = OFFSET_CDATA;
        if (len < HEADER_LENGTH || len > MAX_COMMAND) {
            return StatusWord.WRONG_LENGTH;
        }
        System.arraycopy(command, 0, buffer, 0, len);
        incomingLength = len;
        // Exactly five bytes is ISO case 2: the fifth byte is Le, there is no data. This
        // also covers YKOATH's "Lc present even with no data" ({@code 00 A1 00 00 00}).
        if (len <= OFFSET_CDATA) {
            return StatusWord.OK;
        }
        int shortLc = buffer[OFFSET_LC] & 0xFF;
        if (len == OFFSET_CDATA + shortLc || len == OFFSET_CDATA + shortLc + 1) {
            lc = shortLc;
            return StatusWord.OK;
        }
        if (shortLc == 0 && len >= OFFSET_EXT_CDATA) {
            int extLc = ((buffer[OFFSET_LC + 1] & 0xFF) << 8) | (buffer[OFFSET_LC + 2] & 0xFF);
            if (len == OFFSET_EXT_CDATA) {
                return StatusWord.OK; // case 2E: the two bytes were Le
            }
            if (extLc > 0 && extLc <= MAX_DATA
                    && (len == OFFSET_EXT_CDATA + extLc || len == OFFSET_EXT_CDATA + extLc + 2)) {
                lc = extLc;
                dataOffset = OFFSET_EXT_CDATA;
                return StatusWord.OK;
            }
        }
        return StatusWord.WRONG_LENGTH;
    }

    /** Zeroes the whole buffer (command and response): called after every command. */
    void wipe() {
        Arrays.fill(buffer, (byte) 0);
        incomingLength = 0;
        lc = 0;
        dataOffset = OFFSET_CDATA;
        outgoingLength = 0;
    }

    void setInterfaceIndex(int iface) {
        this.interfaceIndex = iface;
    }

    /** The interface the command came from: {@link CardRuntime#CONTACT} or {@link CardRuntime#CONTACTLESS}. */
    public int interfaceIndex() {
        return interfaceIndex;
    }

    void setSelecting(boolean selecting) {
        this.selecting = selecting;
    }

    /** Whether this APDU is the SELECT that chose the applet now processing it. */
    public boolean isSelecting() {
        return selecting;
    }

    public int cla() {
        return buffer[OFFSET_CLA] & 0xFF;
    }

    public int ins() {
        return buffer[OFFSET_INS] & 0xFF;
    }

    public int p1() {
        return buffer[OFFSET_P1] & 0xFF;
    }

    public int p2() {
        return buffer[OFFSET_P2] & 0xFF;
    }

    /** Nc: the number of command data bytes (0 when absent). */
    public int lc() {
        return lc;
    }

    /** Where the command data starts in {@link #buffer()}: 5 for a short APDU, 7 for an extended one. */
    public int dataOffset() {
        return dataOffset;
    }

    public int incomingLength() {
        return incomingLength;
    }

    /** Declares {@code len} response bytes at offset 0 of {@link #buffer()}. */
    public void setOutgoing(int len) {
        if (len < 0 || len > MAX_RESPONSE_DATA) {
            throw new IllegalArgumentException("response length out of range: " + len);
        }
        outgoingLength = len;
    }

    public int outgoingLength() {
        return outgoingLength;
    }

    /** Sets a success-class status word other than 9000 (e.g. 61xx with data). */
    public void setStatusWord(int sw) {
        statusWord = sw & 0xFFFF;
    }

    public int statusWord() {
        return statusWord;
    }
}
