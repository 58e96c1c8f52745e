package dev.otptoken.firmware.oath;

import static dev.otptoken.firmware.oath.OathHarness.HEX;
import static dev.otptoken.firmware.oath.OathHarness.apdu;
import static dev.otptoken.firmware.oath.OathHarness.tlv;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.protocol.oath.AccountName;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.PeriodPrefix;
import dev.otptoken.protocol.oath.Totp;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * The period of a TOTP name is one rule ({@link PeriodPrefix}) on both sides: for any name bytes
 * and any time, the token (CALCULATE on its own clock, and the button's display path) and the
 * host (its name parser and the RFC 6238 reference) compute the same period, time step and code.
 */
class PeriodRuleProperties {
    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGITS = 6;
    private static final int MODULO = 1_000_000;
    private static final int CODE_OFFSET = 3;

    @Property(tries = 400)
    void tokenAndHostAgreeOnPeriodStepAndCode(@ForAll("names") byte[] name,
            @ForAll @LongRange(min = 0, max = 4_000_000_000L) long seconds) {
        OathHarness t = new OathHarness(TransactionalMemory.fresh(4 * 1024, TransactionalMemory.DEFAULT_JOURNAL_SIZE, null), 5);
        t.rtc.set(seconds * 1_000_000L);
        t.select();
        String put = t.tx(apdu(Oath.INS_PUT, 0, 0, tlv(Oath.TAG_NAME, HEX.formatHex(name))
                + tlv(Oath.TAG_KEY, "21" + String.format(Locale.ROOT, "%02X", DIGITS) + HEX.formatHex(KEY))));
        Assume.that(put.equals("9000"));

        AccountName host = AccountName.parse(OathType.TOTP, name);
        assertThat(host.period()).as("the host's period").isPositive()
                .isEqualTo(PeriodPrefix.period(name, 0, name.length));
        assertThat(t.applet.display().accountPeriod(0)).as("the button's period").isEqualTo(host.period());

        String reply = t.tx(apdu(Oath.INS_CALCULATE, 0, 1, tlv(Oath.TAG_NAME, HEX.formatHex(name)) + "7400"));
        assertThat(reply).as("CALCULATE on the token's clock").startsWith("760506").endsWith("9000");
        int value = Integer.parseUnsignedInt(reply.substring(2 * CODE_OFFSET, 2 * CODE_OFFSET + 8), 16) & 0x7FFFFFFF;
        String onToken = String.format(Locale.ROOT, "%06d", value % MODULO);
        String onHost = Totp.code(HashAlgorithm.SHA1, KEY, Instant.ofEpochSecond(seconds), host.period(), DIGITS);
        assertThat(onToken).as("period %d", host.period()).isEqualTo(onHost);
        long step = Math.floorDiv(seconds, host.period());
        assertThat(String.format(Locale.ROOT, "%06d", t.applet.display().totp(0, step))).isEqualTo(onHost);
    }

    /** Names with and without a period prefix, valid or not, plus any bytes. */
    @Provide
    Arbitrary<byte[]> names() {
        Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(11);
        Arbitrary<String> separator = Arbitraries.of("/", "", "//", ":", "/:");
        Arbitrary<String> tail = Arbitraries.strings().withCharRange(' ', '~').ofMinLength(0).ofMaxLength(20);
        Arbitrary<byte[]> shaped = Combinators.combine(digits, separator, tail)
                .as((d, s, rest) -> (d + s + rest).getBytes(StandardCharsets.UTF_8))
                .filter(b -> b.length >= 1 && b.length <= Oath.MAX_NAME_LENGTH);
        Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(Oath.MAX_NAME_LENGTH);
        return Arbitraries.oneOf(shaped, shaped, any);
    }
}
