package dev.otptoken.firmware.oath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.hardware.memory.TransactionalMemory;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Any bytes from outside end in a status word, never an internal failure (6F00). */
class OathAppletProperties {
    private static final byte[] KEY = "12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Property(tries = 500)
    void anyCommandAnswersWithADeliberateStatusWord(@ForAll @IntRange(min = 0, max = 0xFF) int ins,
            @ForAll @IntRange(min = 0, max = 0xFF) int p1, @ForAll @IntRange(min = 0, max = 0xFF) int p2,
            @ForAll @Size(max = 260) byte[] data) {
        OathHarness t = new OathHarness(TransactionalMemory.fresh(4 * 1024, TransactionalMemory.DEFAULT_JOURNAL_SIZE, null), 3);
        t.select();
        t.tx(OathHarness.put("a", 0x21, 6, KEY, ""));
        t.tx(OathHarness.put("h", 0x11, 6, KEY, "7802"));
        byte[] cmd = new byte[4 + (data.length > 0 ? 1 : 0) + data.length];
        cmd[1] = (byte) ins;
        cmd[2] = (byte) p1;
        cmd[3] = (byte) p2;
        if (data.length > 0) {
            cmd[4] = (byte) Math.min(data.length, 255);
            System.arraycopy(data, 0, cmd, 5, data.length);
        }
        byte[] r = t.runtime.transmit(cmd);
        assertThat(r.length).isGreaterThanOrEqualTo(2);
        int sw = ((r[r.length - 2] & 0xFF) << 8) | (r[r.length - 1] & 0xFF);
        assertThat(sw).isNotEqualTo(0x6F00);
    }

    @Property(tries = 300)
    void anyTlvBodyForEachInsNeverFails(@ForAll @IntRange(min = 0, max = 11) int which,
            @ForAll @Size(min = 1, max = 255) byte[] data) {
        int[] ins = {0x01, 0x02, 0x03, 0x05, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0x04, 0xA2, 0x01};
        OathHarness t = new OathHarness(TransactionalMemory.fresh(4 * 1024, TransactionalMemory.DEFAULT_JOURNAL_SIZE, null), 3);
        t.select();
        t.tx(OathHarness.put("a", 0x21, 6, KEY, ""));
        byte[] cmd = new byte[5 + data.length];
        cmd[1] = (byte) ins[which];
        cmd[3] = (byte) (which == 10 ? 0 : 1);
        cmd[4] = (byte) data.length;
        System.arraycopy(data, 0, cmd, 5, data.length);
        byte[] r = t.runtime.transmit(cmd);
        int sw = ((r[r.length - 2] & 0xFF) << 8) | (r[r.length - 1] & 0xFF);
        assertThat(sw).isNotEqualTo(0x6F00);
    }
}
