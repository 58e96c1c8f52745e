package dev.otptoken.protocol.tlv;

import static dev.otptoken.testing.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.testing.Hex;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TlvCursorTest {
    private static final int ALL_PROPS = Oath.ALL_PROPERTIES;

    private static String value(TlvCursor c, byte[] b) {
        return Hex.of(Arrays.copyOfRange(b, c.valueOffset(), c.valueOffset() + c.valueLength()));
    }

    @Test
    void readsEveryLengthFormInPlace() {
        byte[] b = bytes("7103616263 7481 02AABB 7582 0001CC 7600");
        TlvCursor c = new TlvCursor().reset(b, 0, b.length);
        assertThat(c.next(Oath.TAG_NAME)).isTrue();
        assertThat(value(c, b)).isEqualTo("616263");
        assertThat(c.next(Oath.TAG_RESPONSE)).as("wrong tag: nothing read").isFalse();
        assertThat(c.next()).isTrue();
        assertThat(c.tag()).isEqualTo(0x74);
        assertThat(value(c, b)).isEqualTo("AABB");
        assertThat(c.next()).isTrue();
        assertThat(c.objectOffset()).isEqualTo(10);
        assertThat(value(c, b)).isEqualTo("CC");
        assertThat(c.next()).isTrue();
        assertThat(c.valueLength()).isZero();
        assertThat(c.hasRemaining()).isFalse();
        assertThat(c.next()).isFalse();
        assertThat(c.problem()).isEqualTo(TlvCursor.Problem.NO_OBJECT);
    }

    @ParameterizedTest
    @CsvSource({
        "71, NO_LENGTH",
        "7181, LENGTH_TRUNCATED",
        "718200, LENGTH_TRUNCATED",
        "7180, UNSUPPORTED_LENGTH_FORM",
        "718300000000, UNSUPPORTED_LENGTH_FORM",
        "7103AABB, VALUE_TRUNCATED",
        "718103AABB, VALUE_TRUNCATED",
    })
    void malformedObjectsAreRefusedWithTheCursorUnmoved(String hex, TlvCursor.Problem problem) {
        byte[] b = bytes("7100" + hex);
        TlvCursor c = new TlvCursor().reset(b, 0, b.length);
        assertThat(c.next()).isTrue();
        assertThat(c.next()).isFalse();
        assertThat(c.problem()).isEqualTo(problem);
        assertThat(c.position()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({
        // body,            property, position after
        "7802,               02, 2",
        "780102,             02, 3",
        "7802 7A0400000001,  02, 2",
        "7801 7A0400000001,  01, 2",
        "780103,             03, 3",
        "780104,             01, 2",
        "7801,               01, 2",
    })
    void thePropertyIsReadBothWaysClientsSendIt(String hex, String property, int after) {
        byte[] b = bytes(hex);
        TlvCursor c = new TlvCursor().reset(b, 0, b.length);
        assertThat(c.nextProperty(Oath.TAG_PROPERTY, ALL_PROPS, Oath.TAG_IMF)).isTrue();
        assertThat(Hex.of(new byte[] {(byte) c.valueByte()})).isEqualTo(property);
        assertThat(c.position()).isEqualTo(after);
    }

    @Test
    void aPropertyNeedsItsTagAndAValueByte() {
        byte[] b = bytes("78");
        assertThat(new TlvCursor().reset(b, 0, 1).nextProperty(Oath.TAG_PROPERTY, ALL_PROPS, Oath.TAG_IMF)).isFalse();
        byte[] other = bytes("7A0400000001");
        assertThat(new TlvCursor().reset(other, 0, other.length).nextProperty(Oath.TAG_PROPERTY, ALL_PROPS,
                Oath.TAG_IMF)).isFalse();
    }

    /** The reader is built on the cursor: both accept and refuse the same bytes, with the same objects. */
    @Property(tries = 3000)
    void cursorAndReaderAgreeOnAnyBytes(@ForAll @Size(max = 60) byte[] input,
                                        @ForAll @IntRange(min = 0, max = 60) int from) {
        int off = Math.min(from, input.length);
        TlvCursor c = new TlvCursor().reset(input, off, input.length - off);
        TlvReader r = new TlvReader(input, off, input.length - off);
        while (r.hasRemaining()) {
            int before = c.position();
            boolean ok = c.next();
            try {
                Tlv t = r.next();
                assertThat(ok).isTrue();
                assertThat(c.tag()).isEqualTo(t.tag());
                assertThat(value(c, input)).isEqualTo(Hex.of(t.value()));
            } catch (TlvFormatException e) {
                if (Tlv.isValidTag(input[before] & 0xFF)) {
                    // the reader also refuses tags it cannot represent (00, FF, multi-byte); the cursor reads them
                    assertThat(ok).isFalse();
                    assertThat(c.position()).isEqualTo(before);
                }
                return;
            }
        }
        assertThat(c.hasRemaining()).isFalse();
    }
}
