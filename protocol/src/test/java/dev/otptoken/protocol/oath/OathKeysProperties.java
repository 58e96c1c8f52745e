package dev.otptoken.protocol.oath;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class OathKeysProperties {
    /** The whole point of the rules: the token, holding the prepared key, computes the same codes. */
    @Property(tries = 300)
    void preparedKeyGivesSameCodes(@ForAll @Size(max = 200) byte[] raw, @ForAll HashAlgorithm alg,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long counter) {
        assertThat(Hotp.code(alg, OathKeys.prepare(alg, raw), counter, 8))
                .isEqualTo(Hotp.code(alg, raw, counter, 8));
    }
}
