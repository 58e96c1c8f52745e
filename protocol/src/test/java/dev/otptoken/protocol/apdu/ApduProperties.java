package dev.otptoken.protocol.apdu;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ApduProperties {
    @Provide
    Arbitrary<CommandApdu> commands() {
        Arbitrary<Integer> b = Arbitraries.integers().between(0, 255);
        Arbitrary<byte[]> data = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                Arbitraries.bytes().array(byte[].class).ofMinSize(250).ofMaxSize(70_000)
                        .filter(d -> d.length <= CommandApdu.MAX_EXTENDED_LC));
        Arbitrary<Integer> ne = Arbitraries.oneOf(Arbitraries.integers().between(0, 300),
                Arbitraries.integers().between(0, 65536), Arbitraries.of(0, 256, 257, 65535, 65536));
        return Combinators.combine(b, b, b, b, data, ne).as(CommandApdu::new);
    }

    @Property
    void commandRoundTrips(@ForAll("commands") CommandApdu apdu) throws Exception {
        byte[] encoded = apdu.encode();
        assertThat(CommandApdu.parse(encoded)).isEqualTo(apdu);
        assertThat(encoded.length > 5 + apdu.nc() + 1).isEqualTo(apdu.isExtended());
    }

    @Property(tries = 3000)
    void anyBytesGiveCommandOrFormatException(@ForAll @Size(max = 600) byte[] input) {
        try {
            CommandApdu apdu = CommandApdu.parse(input);
            assertThat(apdu.encode().length).isLessThanOrEqualTo(input.length);
        } catch (Throwable t) {
            assertThat(t).isInstanceOf(ApduFormatException.class);
        }
    }

    @Property(tries = 2000)
    void anyHeaderAndLengthBytesGiveCommandOrFormatException(
            @ForAll @Size(min = 4, max = 12) byte[] head, @ForAll @IntRange(max = 300) int bodyLength) {
        byte[] input = new byte[head.length + bodyLength];
        System.arraycopy(head, 0, input, 0, head.length);
        try {
            CommandApdu.parse(input);
        } catch (Throwable t) {
            assertThat(t).isInstanceOf(ApduFormatException.class);
        }
    }

    @Property
    void responseRoundTrips(@ForAll @Size(max = 600) byte[] data, @ForAll @IntRange(max = 0xFFFF) int sw)
            throws Exception {
        ResponseApdu r = new ResponseApdu(data, sw);
        assertThat(ResponseApdu.parse(r.encode())).isEqualTo(r);
    }

    @Property(tries = 2000)
    void anyBytesGiveResponseOrFormatException(@ForAll @Size(max = 40) byte[] input) {
        try {
            ResponseApdu r = ResponseApdu.parse(input);
            assertThat(r.encode()).isEqualTo(input);
        } catch (Throwable t) {
            assertThat(t).isInstanceOf(ApduFormatException.class);
        }
    }
}
