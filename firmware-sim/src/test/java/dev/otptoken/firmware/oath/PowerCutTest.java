package dev.otptoken.firmware.oath;

import static dev.otptoken.firmware.oath.OathHarness.apdu;
import static dev.otptoken.firmware.oath.OathHarness.calc;
import static dev.otptoken.firmware.oath.OathHarness.put;
import static dev.otptoken.firmware.oath.OathHarness.text;
import static dev.otptoken.firmware.oath.OathHarness.tlv;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.hardware.memory.PowerLossError;
import dev.otptoken.hardware.memory.TransactionalMemory;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cuts the power at every write of each persistent operation and checks that the state
 * after the next power-up is exactly the old one or the new one. The memory is the token's
 * journaled {@code TransactionalMemory}; the power-up after a cut starts from its physical
 * image, whose journal recovery rolls back what was not committed.
 */
class PowerCutTest {
    static final byte[] KEY = "12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final String PW_KEY = "000102030405060708090A0B0C0D0E0F";
    static final String SET_CODE = apdu(3, 0, 0, tlv(0x73, "21" + PW_KEY) + tlv(0x74, "0011223344556677")
            + tlv(0x75, hmac()));

    static String hmac() {
        try {
            javax.crypto.Mac m = javax.crypto.Mac.getInstance("HmacSHA1");
            m.init(new javax.crypto.spec.SecretKeySpec(OathHarness.HEX.parseHex(PW_KEY), "HmacSHA1"));
            return OathHarness.HEX.formatHex(m.doFinal(OathHarness.HEX.parseHex("0011223344556677")));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static OathHarness setUp() {
        OathHarness t = new OathHarness(TransactionalMemory.fresh(8 * 1024, TransactionalMemory.DEFAULT_JOURNAL_SIZE, null), 7);
        t.select();
        t.tx(put("a", 0x21, 6, KEY, ""));
        t.tx(put("hotp", 0x11, 6, KEY, ""));
        t.tx(put("b", 0x22, 8, KEY, ""));
        return t;
    }

    /** Observable state: SELECT (challenge masked), LIST, a TOTP and an HOTP code. */
    static String state(OathHarness t) {
        String sel = t.select();
        if (sel.length() > 34) {
            sel = sel.substring(0, 34) + "xxxxxxxxxxxxxxxx" + sel.substring(50);
        }
        return sel + "|" + t.tx("00A1000000") + "|" + t.tx(calc("a", "0000000000000001", 1))
                + "|" + t.tx(calc("hotp", "", 1));
    }

    static Consumer<OathHarness> op(String name) {
        return switch (name) {
            case "put" -> t -> t.tx(put("new", 0x21, 6, KEY, "7802"));
            case "overwrite" -> t -> t.tx(put("a", 0x23, 8, new byte[64], ""));
            case "delete" -> t -> t.tx(apdu(2, 0, 0, tlv(0x71, text("a"))));
            case "rename" -> t -> t.tx(apdu(5, 0, 0, tlv(0x71, text("a")) + tlv(0x71, text("renamed"))));
            case "setcode" -> t -> t.tx(SET_CODE);
            case "reset" -> t -> t.tx("0004DEAD");
            case "hotp" -> t -> t.tx(calc("hotp", "", 1));
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"put", "overwrite", "delete", "rename", "setcode", "reset", "hotp"})
    void everyCutLeavesOldOrNew(String name) {
        Consumer<OathHarness> op = op(name);
        OathHarness ref = setUp();
        String old = state(setUp());
        op.accept(ref);
        ref.boot();
        String now = state(ref);
        assertThat(now).isNotEqualTo(old);
        Set<String> seen = new HashSet<>();
        boolean completed = false;
        for (int n = 0; n < 1000 && !completed; n++) {
            OathHarness t = setUp();
            t.memory.setPowerCutAfterWrites(n + 1);
            try {
                op.accept(t);
                completed = true;
            } catch (PowerLossError expected) {
                // the memory is dead; the power cycle below brings it up again
            }
            t.powerCycle();
            String s = state(t);
            assertThat(s).as("cut after %d writes", n).isIn(old, now);
            seen.add(s);
        }
        assertThat(completed).isTrue();
        assertThat(seen).contains(old, now);
    }
}
