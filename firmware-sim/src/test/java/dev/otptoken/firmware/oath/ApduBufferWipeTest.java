package dev.otptoken.firmware.oath;

import static dev.otptoken.firmware.oath.OathHarness.HEX;
import static dev.otptoken.firmware.oath.OathHarness.apdu;
import static dev.otptoken.firmware.oath.OathHarness.put;
import static dev.otptoken.firmware.oath.OathHarness.tlv;
import static dev.otptoken.testing.SecretSlices.holdsSliceOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A command that carries a key leaves none of it in the runtime's APDU buffer, whatever the
 * answer: a refused PUT (6A80, 6A84) used to leave the whole key there until the next command
 * overwrote it.
 */
class ApduBufferWipeTest {
    static final int TOTP_SHA1 = 0x21;

    OathHarness t;

    @BeforeEach
    void setUp() {
        t = new OathHarness();
        t.select();
    }

    /** A key of distinct non-zero bytes, so that a zeroed buffer never matches by chance. */
    static byte[] key(int len, int seed) {
        byte[] k = new byte[len];
        for (int i = 0; i < len; i++) {
            k[i] = (byte) (0x40 + seed * 7 + i * 13 | 1);
        }
        return k;
    }

    void assertNoSliceOf(byte[] key) {
        assertThat(holdsSliceOf(t.runtime.apduBufferSnapshot(), key))
                .as("a slice of the key is left in the APDU buffer").isFalse();
    }

    @Test
    void refusedPutWithBadDigitsLeavesNoKey() {
        byte[] key = key(20, 1);
        assertThat(t.tx(put("x", TOTP_SHA1, 9, key, ""))).isEqualTo("6A80");
        assertNoSliceOf(key);
    }

    @Test
    void refusedPutWithTooLongKeyLeavesNoKey() {
        byte[] key = key(65, 2);
        assertThat(t.tx(put("x", TOTP_SHA1, 6, key, ""))).isEqualTo("6A80");
        assertNoSliceOf(key);
    }

    @Test
    void refusedPutWithBadTrailingTagLeavesNoKey() {
        byte[] key = key(32, 3);
        assertThat(t.tx(put("x", TOTP_SHA1, 6, key, "7804"))).isEqualTo("6A80");
        assertNoSliceOf(key);
    }

    @Test
    void putRefusedWhenFullLeavesNoKey() {
        byte[] filler = key(64, 4);
        int n = 0;
        while (true) {
            String name = String.format(Locale.ROOT, "%03d", n) + "n".repeat(61);
            String r = t.tx(put(name, TOTP_SHA1, 6, filler, ""));
            if (!r.equals("9000")) {
                assertThat(r).isEqualTo("6A84");
                break;
            }
            n++;
            assertThat(n).isLessThan(10_000);
        }
        byte[] key = key(64, 5);
        assertThat(t.tx(put("extra", TOTP_SHA1, 6, key, ""))).isEqualTo("6A84");
        assertNoSliceOf(key);
    }

    @Test
    void acceptedPutLeavesNoKey() {
        byte[] key = key(20, 6);
        assertThat(t.tx(put("x", TOTP_SHA1, 6, key, ""))).isEqualTo("9000");
        assertNoSliceOf(key);
    }

    @Test
    void refusedSetCodeLeavesNoKey() {
        byte[] key = key(16, 7);
        // A wrong response to the challenge: refused, and the new password key must go too.
        String r = t.tx(apdu(3, 0, 0, tlv(0x73, "21" + HEX.formatHex(key)) + tlv(0x74, "0102030405060708")
                + tlv(0x75, "00".repeat(20))));
        assertThat(r).isNotEqualTo("9000");
        assertNoSliceOf(key);
    }

    @Test
    void badlyFramedCommandLeavesNothing() {
        byte[] key = key(20, 8);
        // Lc says 0x30 but more bytes follow: 6700, yet the bytes were loaded into the buffer.
        String cmd = put("x", TOTP_SHA1, 6, key, "") + "0000";
        assertThat(t.tx(cmd)).isEqualTo("6700");
        assertNoSliceOf(key);
        assertThat(t.runtime.apduBufferSnapshot()).containsOnly(0);
    }
}
