package dev.otptoken.protocol.tlv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class TlvProperties {
    @Provide
    Arbitrary<Tlv> tlvs() {
        Arbitrary<Integer> tags = Arbitraries.integers().between(1, 254).filter(Tlv::isValidTag);
        Arbitrary<byte[]> values = Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(Tlv.MAX_LENGTH));
        return Combinators.combine(tags, values).as(Tlv::new);
    }

    @Property(tries = 300)
    void sequencesRoundTrip(@ForAll @Size(max = 5) List<@From("tlvs") Tlv> list) throws Exception {
        TlvWriter w = new TlvWriter();
        list.forEach(w::put);
        assertThat(TlvReader.parseAll(w.toByteArray())).isEqualTo(list);
    }

    @Property
    void singleRoundTrips(@ForAll("tlvs") Tlv tlv) throws Exception {
        assertThat(new TlvReader(tlv.encode()).next()).isEqualTo(tlv);
    }

    @Property(tries = 3000)
    void anyBytesGiveTlvsOrFormatException(@ForAll @Size(max = 300) byte[] input) {
        try {
            List<Tlv> all = TlvReader.parseAll(input);
            int total = all.stream().mapToInt(t -> t.encode().length).sum();
            assertThat(total).isLessThanOrEqualTo(input.length);
        } catch (Throwable t) {
            assertThat(t).isInstanceOf(TlvFormatException.class);
        }
    }

    @Property(tries = 2000)
    void anyBytesThroughEveryReaderMethod(@ForAll @Size(max = 40) byte[] input) {
        TlvReader r = new TlvReader(input);
        int op = 0;
        try {
            while (r.hasRemaining()) {
                switch (op++ % 4) {
                    case 0 -> r.next();
                    case 1 -> r.expect(r.peekTag());
                    case 2 -> r.remaining();
                    default -> r.expect(0x71);
                }
            }
        } catch (Throwable t) {
            assertThat(t).isInstanceOf(TlvFormatException.class);
        }
    }
}
