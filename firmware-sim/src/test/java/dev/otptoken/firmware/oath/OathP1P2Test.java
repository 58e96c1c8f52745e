package dev.otptoken.firmware.oath;

import static dev.otptoken.firmware.oath.OathHarness.apdu;
import static dev.otptoken.firmware.oath.OathHarness.calc;
import static dev.otptoken.firmware.oath.OathHarness.put;
import static dev.otptoken.firmware.oath.OathHarness.text;
import static dev.otptoken.firmware.oath.OathHarness.tlv;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.oath.Oath;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Every OATH instruction checks its P1/P2 (docs/oath-applet.md, "P1/P2 per instruction"): the
 * values real clients send are served as before, anything else answers 6A86 and leaves the
 * memory image unchanged, byte for byte.
 */
class OathP1P2Test {
    /** P1/P2 values no instruction accepts (RESET's DEAD is wrong for every other one). */
    private static final int[][] WRONG = {{0xFF, 0xFF}, {0x01, 0x00}, {0x00, 0x02}, {0xDE, 0xAD}};

    private static OathHarness tokenWithAccount() {
        OathHarness t = new OathHarness();
        t.select();
        assertThat(t.tx(put("Ex:alice", OathAppletTest.TOTP_SHA1, 6, OathAppletTest.KEY20, ""))).isEqualTo("9000");
        return t;
    }

    /** A well-formed body for each instruction, so only P1/P2 can be the reason for a refusal. */
    private static String body(int ins) {
        return switch (ins) {
            case Oath.INS_PUT -> put("Ex:bob", OathAppletTest.TOTP_SHA1, 6, OathAppletTest.KEY20, "").substring(10);
            case Oath.INS_DELETE -> tlv(Oath.TAG_NAME, text("Ex:alice"));
            case Oath.INS_SET_CODE -> tlv(Oath.TAG_KEY, "");
            case Oath.INS_RENAME -> tlv(Oath.TAG_NAME, text("Ex:alice")) + tlv(Oath.TAG_NAME, text("Ex:carol"));
            case Oath.INS_CALCULATE -> tlv(Oath.TAG_NAME, text("Ex:alice")) + tlv(Oath.TAG_CHALLENGE, "0000000003914290");
            case Oath.INS_CALCULATE_ALL -> tlv(Oath.TAG_CHALLENGE, "0000000003914290");
            case Oath.INS_VALIDATE -> tlv(Oath.TAG_RESPONSE, "00".repeat(20)) + tlv(Oath.TAG_CHALLENGE, "00".repeat(8));
            default -> "";
        };
    }

    private static final int[] INSTRUCTIONS = {Oath.INS_PUT, Oath.INS_DELETE, Oath.INS_SET_CODE, Oath.INS_RESET,
        Oath.INS_RENAME, Oath.INS_LIST, Oath.INS_CALCULATE, Oath.INS_VALIDATE, Oath.INS_CALCULATE_ALL,
        Oath.INS_SEND_REMAINING};

    @Test
    void everyInstructionRefusesWrongP1P2AndChangesNothing() {
        for (int ins : INSTRUCTIONS) {
            for (int[] p : WRONG) {
                if (ins == Oath.INS_RESET && p[0] == 0xDE && p[1] == 0xAD) {
                    continue;
                }
                OathHarness t = tokenWithAccount();
                byte[] before = t.memory.physicalImage();
                String command = apdu(ins, p[0], p[1], body(ins));
                assertThat(t.tx(command)).as(command).isEqualTo("6A86");
                assertThat(Arrays.equals(before, t.memory.physicalImage())).as(command + " left memory").isTrue();
                assertThat(t.tx("00A1000000")).as(command + " then LIST").isEqualTo(LIST_ALICE);
            }
        }
    }

    @Test
    void putWithP1P2FfffIsRefused() {
        OathHarness t = tokenWithAccount();
        byte[] before = t.memory.physicalImage();
        assertThat(t.tx("0001FFFF" + put("Ex:bob", 0x21, 6, OathAppletTest.KEY20, "").substring(8)))
                .isEqualTo("6A86");
        assertThat(t.memory.physicalImage()).isEqualTo(before);
        assertThat(t.tx("00A1000000")).isEqualTo(LIST_ALICE);
    }

    @Test
    void aLockedTokenChecksP1P2BeforeItsLock() throws Exception {
        OathHarness t = tokenWithAccount();
        byte[] key = OathHarness.HEX.parseHex("00112233445566778899AABBCCDDEEFF");
        String ch = "0011223344556677";
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA1"));
        String resp = OathHarness.HEX.formatHex(mac.doFinal(OathHarness.HEX.parseHex(ch)));
        assertThat(t.tx(apdu(Oath.INS_SET_CODE, 0, 0, tlv(Oath.TAG_KEY, "21" + OathHarness.HEX.formatHex(key))
                + tlv(Oath.TAG_CHALLENGE, ch) + tlv(Oath.TAG_RESPONSE, resp)))).isEqualTo("9000");
        t.select();
        byte[] before = t.memory.physicalImage();
        assertThat(t.tx(apdu(Oath.INS_PUT, 0xFF, 0xFF, body(Oath.INS_PUT)))).isEqualTo("6A86");
        assertThat(t.tx(apdu(Oath.INS_PUT, 0, 0, body(Oath.INS_PUT)))).isEqualTo("6982");
        assertThat(t.tx(apdu(Oath.INS_VALIDATE, 0xFF, 0xFF, body(Oath.INS_VALIDATE)))).isEqualTo("6A86");
        assertThat(Arrays.equals(before, t.memory.physicalImage())).isTrue();
    }

    @Test
    void theValuesRealClientsSendAreServed() {
        OathHarness t = tokenWithAccount();
        // ykman and OathSession: LIST 00A1 0000, CALCULATE/CALCULATE ALL P2=01 (truncated) or 00
        assertThat(t.tx("00A1000000")).isEqualTo(LIST_ALICE);
        String truncated = t.tx(calc("Ex:alice", "0000000003914290", 1));
        assertThat(truncated).startsWith("7605").endsWith("9000");
        assertThat(t.tx(calc("Ex:alice", "0000000003914290", 0))).startsWith("7515").endsWith("9000");
        assertThat(t.tx("00A400010A74080000000003914290"))
                .isEqualTo("7108" + text("Ex:alice") + truncated);
        assertThat(t.tx(apdu(Oath.INS_CALCULATE_ALL, 0, 0, body(Oath.INS_CALCULATE_ALL))))
                .startsWith("7108" + text("Ex:alice") + "7515").endsWith("9000");
        // PUT 0001 0000, RENAME 0005 0000, DELETE 0002 0000, SET CODE 0003 0000 (clear)
        assertThat(t.tx(apdu(Oath.INS_PUT, 0, 0, body(Oath.INS_PUT)))).isEqualTo("9000");
        assertThat(t.tx(apdu(Oath.INS_RENAME, 0, 0, body(Oath.INS_RENAME)))).isEqualTo("9000");
        assertThat(t.tx(apdu(Oath.INS_DELETE, 0, 0, tlv(Oath.TAG_NAME, text("Ex:carol"))))).isEqualTo("9000");
        assertThat(t.tx(apdu(Oath.INS_SET_CODE, 0, 0, body(Oath.INS_SET_CODE)))).isEqualTo("9000");
        // VALIDATE 00A3 0000 with no code set, SEND REMAINING 00A5 0000 with nothing pending: as before
        assertThat(t.tx(apdu(Oath.INS_VALIDATE, 0, 0, body(Oath.INS_VALIDATE)))).isEqualTo(VALIDATE_WITHOUT_CODE);
        assertThat(t.tx("00A50000")).isEqualTo("6985");
        // RESET 0004 DEAD
        assertThat(t.tx("0004DEAD")).isEqualTo("9000");
        assertThat(t.tx("00A1000000")).isEqualTo("9000");
    }

    private static final String LIST_ALICE = "7209" + "21" + text("Ex:alice") + "9000";
    private static final String VALIDATE_WITHOUT_CODE = "6984";
}
