package dev.otptoken.firmware.runtime;

import java.util.HexFormat;

/**
 * An applet's region of the persistent memory is neither empty (never written) nor in a
 * layout this firmware knows: a damaged or foreign magic, or a layout version it does not
 * know. Such a region is never formatted: formatting would erase whatever it still holds.
 */
public final class CorruptRegionException extends Exception {
    private static final long serialVersionUID = 1L;

    public CorruptRegionException(String message) {
        super(message);
    }

    /** Whether {@code memory[base..base+length)} is all zero: a region that was never written. */
    public static boolean empty(dev.otptoken.hardware.memory.NonVolatileMemory memory, int base, int length) {
        byte[] chunk = new byte[Math.min(length, 1024)];
        for (int at = 0; at < length; at += chunk.length) { // bounded: advances by a chunk
            int n = Math.min(chunk.length, length - at);
            memory.read(base + at, chunk, 0, n);
            for (int i = 0; i < n; i++) {
                if (chunk[i] != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The bytes in hex, for a message (magics only: never key bytes). */
    public static String hex(byte[] b) {
        return HexFormat.of().withUpperCase().formatHex(b);
    }
}
