package dev.otptoken.protocol.tlv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.fuzz.FuzzSupport;
import dev.otptoken.protocol.oath.Oath;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;

/**
 * Fuzzes {@link TlvReader}: {@code parseAll} and random sequences of the cursor calls
 * ({@code peekTag}, {@code next}, {@code expect}, {@code remaining}) end in values or
 * {@link TlvFormatException}; the cursor only moves forward and never past the end, and what
 * parses re-encodes to the same bytes.
 */
class TlvFuzzProperties {
    private static final long CI_INPUTS = 30_000;
    private static final int BATCH = 10_000;
    private static final int MAX_RANDOM = 300;
    private static final int MAX_CALLS = 12;
    private static final int[] TAGS = {Oath.TAG_NAME, Oath.TAG_NAME_LIST, Oath.TAG_KEY, Oath.TAG_CHALLENGE,
        Oath.TAG_RESPONSE, Oath.TAG_TRUNCATED, Oath.TAG_HOTP, Oath.TAG_PROPERTY, Oath.TAG_VERSION, Oath.TAG_IMF,
        Oath.TAG_ALGORITHM, Oath.TAG_TOUCH};
    private static final HexFormat HEX = HexFormat.of();

    /** Real YKOATH bodies: PUT with property, SELECT and CALCULATE ALL responses, long forms. */
    static List<byte[]> corpus() {
        List<byte[]> c = new ArrayList<>();
        c.add(HEX.parseHex("710b6578616d706c653a6a6f7316210631323334353637383930313233343536373839307802"));
        c.add(HEX.parseHex("7903050700710805b7e6c9d5c0cea3740801020304050607087b0121"));
        c.add(HEX.parseHex("7104746f74707605063c1f8a2d71046874707777010677"));
        c.add(HEX.parseHex("74080000000003523c60"));
        c.add(new Tlv(Oath.TAG_KEY, new byte[200]).encode());
        c.add(new Tlv(Oath.TAG_NAME_LIST, new byte[300]).encode());
        c.add(new Tlv(Oath.TAG_RESPONSE, new byte[0]).encode());
        return c;
    }

    @Example
    void anyBytesReadToTlvsOrFormatException() {
        List<byte[]> corpus = corpus();
        FuzzSupport.run("tlv", FuzzSupport.inputs("tlv", CI_INPUTS), BATCH, (random, i) -> {
            byte[] input = random.nextInt(3) == 0
                    ? FuzzSupport.randomBytes(random, MAX_RANDOM) : FuzzSupport.mutate(random, corpus);
            List<Tlv> all = FuzzSupport.valueOrDeclared(TlvFormatException.class, input,
                    () -> TlvReader.parseAll(input));
            if (all != null) {
                ByteArrayOutputStream again = new ByteArrayOutputStream();
                all.forEach(t -> again.writeBytes(t.encode()));
                List<Tlv> reparsed = FuzzSupport.valueOrDeclared(TlvFormatException.class, input,
                        () -> TlvReader.parseAll(again.toByteArray()));
                assertThat(reparsed).as("re-parse of %s", HEX.formatHex(input)).isEqualTo(all);
            }
            cursorCalls(random, input);
        });
    }

    private static void cursorCalls(Random random, byte[] input) {
        int off = input.length == 0 ? 0 : random.nextInt(input.length);
        TlvReader r = new TlvReader(input, off, input.length - off);
        int calls = random.nextInt(MAX_CALLS);
        for (int c = 0; c < calls; c++) {
            int before = r.remaining();
            int tag = TAGS[random.nextInt(TAGS.length)];
            Object got = FuzzSupport.valueOrDeclared(TlvFormatException.class, input, () -> switch (random.nextInt(4)) {
                case 0 -> r.peekTag();
                case 1 -> r.next();
                case 2 -> r.expect(tag);
                default -> r.remaining();
            });
            assertThat(r.remaining()).isBetween(0, before);
            assertThat(r.hasRemaining()).isEqualTo(r.remaining() > 0);
            if (got instanceof Tlv t) {
                assertThat(before - r.remaining()).isGreaterThanOrEqualTo(t.length() + 2);
            }
        }
    }
}
