package dev.otptoken.firmware.oath;

import static dev.otptoken.firmware.oath.OathHarness.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exact APDUs unmodified ykman 4.0.9 sends over PC/SC (captured with {@code pcscd -a}
 * against the simulator, docs/contactless.md), replayed in-process: the probe of other
 * applets must get 6A82 and SELECT OATH must carry version and salt, or ykman aborts.
 */
class YkmanTraceTest {
    /** ykman's device probe, in its order, before any OATH command. */
    private static final String[] PROBE = {
        "00A4040008A000000527471117", // management
        "00A4040008A000000527471117", // management, fallback read
        "00A4040007A0000005272001",   // OTP
        "00A4040008A0000006472F0001", // FIDO
        "00A4040007A0000005271002",   // U2F
        "00A4040005A000000308",       // PIV
        "00A4040006D27600012401",     // OpenPGP
    };
    private static final String SELECT_OATH = "00A4040007A0000005272101";
    /** CALCULATE ALL, truncated, time step 0x03914290 (ykman's `oath accounts code`). */
    private static final String CALCULATE_ALL = "00A400010A74080000000003914290";
    private static final Pattern SELECT_REPLY = Pattern.compile("79030507007108([0-9A-F]{16})9000");

    private OathHarness t;

    @BeforeEach
    void setUp() {
        t = new OathHarness();
    }

    private String probeAndSelect() {
        for (String apdu : PROBE) {
            assertThat(t.tx(apdu)).as(apdu).isEqualTo("6A82");
        }
        String first = t.tx(SELECT_OATH);
        assertThat(first).matches(SELECT_REPLY);
        assertThat(t.tx(SELECT_OATH)).isEqualTo(first);
        Matcher m = SELECT_REPLY.matcher(first);
        assertThat(m.matches()).isTrue();
        return m.group(1);
    }

    @Test
    void probeThenSelectThenCalculateAllOnAnEmptyToken() {
        probeAndSelect();
        assertThat(t.tx(CALCULATE_ALL)).isEqualTo("9000");
    }

    @Test
    void calculateAllAnswersEveryAccountTruncated() throws Exception {
        t.select();
        assertThat(t.tx(put("Ex:alice", OathAppletTest.TOTP_SHA1, 6, OathAppletTest.KEY20, ""))).isEqualTo("9000");
        probeAndSelect();
        String expected = "7108" + OathHarness.text("Ex:alice") + "760506"
                + OathAppletTest.truncated("HmacSHA1", OathAppletTest.KEY20, OathHarness.HEX.parseHex("0000000003914290"))
                + "9000";
        assertThat(t.tx(CALCULATE_ALL)).isEqualTo(expected);
    }

    @Test
    void resetAsYkmanSendsItThenANewSalt() {
        String salt = probeAndSelect();
        assertThat(t.tx("00 04 DE AD")).isEqualTo("9000");
        String again = probeAndSelect();
        assertThat(again).isNotEqualTo(salt);
    }
}
