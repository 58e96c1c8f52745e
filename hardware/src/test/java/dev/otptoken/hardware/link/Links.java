package dev.otptoken.hardware.link;

import dev.otptoken.protocol.t1.ByteLink;
import java.io.IOException;
import java.util.Arrays;

final class Links {
    static final long READ_TIMEOUT_MILLIS = 5_000;
    /** Enough passes for a 4 KiB frame arriving a byte at a time, and then some. */
    private static final int MAX_READS = 10_000;

    private Links() {
    }

    /** Reads exactly {@code count} bytes, failing if a read times out. */
    static byte[] readExactly(ByteLink link, int count) throws IOException {
        byte[] buf = new byte[count];
        int got = 0;
        for (int i = 0; i < MAX_READS && got < count; i++) {
            int n = link.read(buf, got, count - got, READ_TIMEOUT_MILLIS);
            if (n == 0) {
                throw new AssertionError("timed out after " + got + " of " + count + " bytes: "
                        + Arrays.toString(Arrays.copyOf(buf, Math.min(got, 16))));
            }
            got += n;
        }
        if (got != count) {
            throw new AssertionError("only " + got + " of " + count + " bytes");
        }
        return buf;
    }
}
