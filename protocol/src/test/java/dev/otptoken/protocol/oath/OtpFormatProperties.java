package dev.otptoken.protocol.oath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Positive;

class OtpFormatProperties {
    /** The written-out padding is the formatter's, in ASCII digits under any locale. */
    @Property
    void formatIsZeroPaddedValueModuloTenToTheDigits(@ForAll @Positive int value,
                                                     @ForAll @IntRange(min = Oath.MIN_DIGITS, max = Oath.MAX_DIGITS) int digits) {
        String code = OtpFormat.format(value, digits);
        assertThat(code).isEqualTo(String.format(Locale.ROOT, "%0" + digits + "d", value % OtpFormat.modulus(digits)));
        assertThat(code).hasSize(digits).containsOnlyDigits();
    }

    @Property(tries = 50)
    void zeroIsAllZeros(@ForAll @IntRange(min = Oath.MIN_DIGITS, max = Oath.MAX_DIGITS) int digits) {
        assertThat(OtpFormat.format(0, digits)).isEqualTo("0".repeat(digits));
    }
}
