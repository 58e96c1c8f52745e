package dev.otptoken.hardware.link;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Test frames that carry the bytes a tty likes to mangle. */
final class Frames {
    static final byte NUL = 0x00;
    static final byte LF = 0x0A;
    static final byte CR = 0x0D;
    static final byte XON = 0x11;
    static final byte XOFF = 0x13;
    static final byte CTRL_C = 0x03;
    static final byte CTRL_D = 0x04;
    static final byte DEL = 0x7F;
    static final byte FF = (byte) 0xFF;

    private static final byte[] TROUBLE = {NUL, XON, XOFF, LF, CR, FF, CTRL_C, CTRL_D, DEL};
    private static final int ALL_BYTE_VALUES = 256;

    private Frames() {
    }

    /**
     * A frame of {@code size} bytes: the troublesome bytes first, then (when it fits) every
     * byte value in a shuffled order, then seeded random bytes.
     */
    static byte[] frame(int size, long seed) {
        Random random = new Random(seed);
        byte[] frame = new byte[size];
        int pos = 0;
        for (int i = 0; i < TROUBLE.length && pos < size; i++) {
            frame[pos++] = TROUBLE[i];
        }
        if (size - pos >= ALL_BYTE_VALUES) {
            List<Integer> values = new ArrayList<>();
            for (int v = 0; v < ALL_BYTE_VALUES; v++) {
                values.add(v);
            }
            Collections.shuffle(values, random);
            for (int v : values) {
                frame[pos++] = (byte) v;
            }
        }
        while (pos < size) {
            frame[pos++] = (byte) random.nextInt(ALL_BYTE_VALUES);
        }
        return frame;
    }
}
