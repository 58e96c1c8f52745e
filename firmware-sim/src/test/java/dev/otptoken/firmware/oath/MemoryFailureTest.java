package dev.otptoken.firmware.oath;

import static dev.otptoken.firmware.oath.OathHarness.HEX;
import static dev.otptoken.firmware.oath.OathHarness.apdu;
import static dev.otptoken.firmware.oath.OathHarness.calc;
import static dev.otptoken.firmware.oath.OathHarness.put;
import static dev.otptoken.firmware.oath.OathHarness.text;
import static dev.otptoken.firmware.oath.OathHarness.tlv;
import static dev.otptoken.testing.SecretSlices.holdsSliceOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.protocol.oath.Oath;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The token's memory could not be saved (a full disk, a read-only file system): the command
 * fails with 6581 and changes nothing, as a chip whose EEPROM write fails; the next command
 * after the disk recovers works. And what a DELETE or a RESET removes leaves no byte behind
 * anywhere in the memory image, the journal included.
 */
class MemoryFailureTest {
    static final String MEMORY_FAILURE = "6581";
    static final String OK = "9000";
    static final byte[] KEY = HEX.parseHex("8F3A61C2D94E07B5A1C3E5F7092B4D6F8193A5B7");
    static final byte[] KEY2 = HEX.parseHex("2C4E6A8BADCFE1F30517395B7D9FB1D3F5173958");

    /** The disk behind the memory: every saved image, and a switch that makes saves fail. */
    boolean diskFull;
    byte[] saved;

    OathHarness token() {
        OathHarness t = new OathHarness(TransactionalMemory.fresh(8 * 1024, TransactionalMemory.DEFAULT_JOURNAL_SIZE,
                image -> {
                    if (diskFull) {
                        throw new IOException("cannot write the state file S: no space left on device");
                    }
                    saved = image;
                }), 5);
        assertThat(t.select()).endsWith(OK);
        return t;
    }

    byte[] user(OathHarness t) {
        byte[] b = new byte[t.memory.size()];
        t.memory.read(0, b, 0, b.length);
        return b;
    }

    @Test
    void aPutThatCannotBeSavedAnswers6581AndWritesNothing() {
        OathHarness t = token();
        assertThat(t.tx(put("kept", 0x21, 6, KEY2, ""))).isEqualTo(OK);
        byte[] before = user(t);
        diskFull = true;
        assertThat(t.tx(put("lost", 0x21, 6, KEY, ""))).isEqualTo(MEMORY_FAILURE);
        assertThat(user(t)).as("the memory holds what was saved").isEqualTo(before);
        assertThat(t.tx("00A1000000")).isEqualTo("7205" + "21" + text("kept") + OK);
        diskFull = false;
        assertThat(t.tx(put("lost", 0x21, 6, KEY, ""))).isEqualTo(OK);
        assertThat(saved).isEqualTo(t.memory.physicalImage());
    }

    @Test
    void deleteHotpAndValidateThatCannotBeSavedChangeNothing() {
        OathHarness t = token();
        t.tx(put("hotp", 0x11, 6, KEY, ""));
        t.tx(put("other", 0x21, 6, KEY2, ""));
        assertThat(t.tx(PowerCutTest.SET_CODE)).isEqualTo(OK);
        byte[] before = user(t);
        diskFull = true;
        assertThat(t.tx(apdu(Oath.INS_DELETE, 0, 0, tlv(Oath.TAG_NAME, text("other"))))).isEqualTo(MEMORY_FAILURE);
        assertThat(t.tx(calc("hotp", "", 1))).as("the counter cannot move on").isEqualTo(MEMORY_FAILURE);
        String sel = t.select();
        String right = BruteForceTest.validate(BruteForceTest.hmacHex(PowerCutTest.PW_KEY,
                BruteForceTest.challengeOf(sel)));
        assertThat(t.tx(right)).as("a guess that cannot be counted is not checked").isEqualTo(MEMORY_FAILURE);
        assertThat(user(t)).isEqualTo(before);
        assertThat(t.tx("00A1000000")).as("still locked").isEqualTo("6982");
        diskFull = false;
        sel = t.select();
        assertThat(t.tx(BruteForceTest.validate(BruteForceTest.hmacHex(PowerCutTest.PW_KEY,
                BruteForceTest.challengeOf(sel))))).endsWith(OK);
        // the counter did not move: the first code is still that of counter 0
        String first = t.tx(calc("hotp", "", 1));
        OathHarness reference = new OathHarness();
        reference.select();
        reference.tx(put("hotp", 0x11, 6, KEY, ""));
        assertThat(first).isEqualTo(reference.tx(calc("hotp", "", 1)));
    }

    @Test
    void aResetWhoseWipesWereCutShortIsScrubbedAtTheNextPowerUp() {
        OathHarness t = token();
        t.tx(put("one", 0x21, 6, KEY, ""));
        t.tx(put("two", 0x11, 6, KEY2, ""));
        // a RESET that committed and then lost power before its wipes: two free slots with keys
        TransactionalMemory m = t.memory;
        long before = m.writeCount();
        t.tx(apdu(Oath.INS_RESET, 0xDE, 0xAD, ""));
        long resetWrites = m.writeCount() - before;
        OathHarness cut = token();
        cut.tx(put("one", 0x21, 6, KEY, ""));
        cut.tx(put("two", 0x11, 6, KEY2, ""));
        cut.memory.setPowerCutAfterWrites(resetWrites - 8); // each of the two wipes is 4 writes
        try {
            cut.tx(apdu(Oath.INS_RESET, 0xDE, 0xAD, ""));
            throw new AssertionError("no power cut");
        } catch (dev.otptoken.hardware.memory.PowerLossError expected) {
            // the chip died right after the commit
        }
        TransactionalMemory up = TransactionalMemory.powerUp(cut.memory.physicalImage(), null);
        assertThat(holdsSliceOf(up.physicalImage(), KEY) && holdsSliceOf(up.physicalImage(), KEY2))
                .as("the cut left both keys in free slots").isTrue();
        assertThat(AccountStore.scrubFreeSlots(up, 0, up.size())).isEqualTo(2);
        assertThat(holdsSliceOf(up.physicalImage(), KEY) || holdsSliceOf(up.physicalImage(), KEY2)).isFalse();
        assertThat(AccountStore.scrubFreeSlots(up, 0, up.size())).as("nothing left to wipe").isZero();
    }

    @Test
    void deleteAndResetLeaveNoByteOfTheKeysInTheSavedImage() {
        OathHarness t = token();
        t.tx(put("one", 0x21, 6, KEY, ""));
        t.tx(put("two", 0x11, 6, KEY2, ""));
        assertThat(holdsSliceOf(saved, KEY)).as("the scan finds a stored key").isTrue();
        assertThat(t.tx(apdu(Oath.INS_DELETE, 0, 0, tlv(Oath.TAG_NAME, text("one"))))).isEqualTo(OK);
        assertThat(holdsSliceOf(saved, KEY)).as("deleted key in the saved image").isFalse();
        assertThat(holdsSliceOf(t.memory.physicalImage(), KEY)).as("deleted key in the memory").isFalse();
        assertThat(holdsSliceOf(saved, KEY2)).isTrue();

        assertThat(t.tx(PowerCutTest.SET_CODE)).isEqualTo(OK);
        byte[] pwKey = HEX.parseHex(PowerCutTest.PW_KEY);
        assertThat(holdsSliceOf(saved, pwKey)).as("the password key is stored").isTrue();
        assertThat(t.tx(apdu(Oath.INS_RESET, 0xDE, 0xAD, ""))).isEqualTo(OK);
        assertThat(holdsSliceOf(saved, KEY2)).as("reset key in the saved image").isFalse();
        assertThat(holdsSliceOf(saved, pwKey)).as("password key in the saved image").isFalse();
        assertThat(holdsSliceOf(t.memory.physicalImage(), KEY2)).isFalse();
    }
}
