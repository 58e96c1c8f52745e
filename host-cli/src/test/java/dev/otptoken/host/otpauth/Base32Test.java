package dev.otptoken.host.otpauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Base32Test {

    /** RFC 4648 §10. */
    @ParameterizedTest
    @CsvSource(value = {
        "'',       ''",
        "f,        MY======",
        "fo,       MZXQ====",
        "foo,      MZXW6===",
        "foob,     MZXW6YQ=",
        "fooba,    MZXW6YTB",
        "foobar,   MZXW6YTBOI======",
    })
    void rfc4648Vectors(String plain, String encoded) throws InvalidBase32Exception {
        byte[] bytes = plain.getBytes(StandardCharsets.US_ASCII);
        assertThat(Base32.encode(bytes)).isEqualTo(encoded);
        assertThat(Base32.decode(encoded)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"mzxw6ytboi", "MZXW 6YTB OI", "mzxw6ytboi======", "MzXw6YtBoI"})
    void decodesTheWaysAuthenticatorsWriteIt(String text) throws InvalidBase32Exception {
        assertThat(Base32.decode(text)).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @CsvSource({"mzxw6ytboi", "MZXW 6YTB OI", "mzxw6ytboi======", "MzXw6YtBoI"})
    void decodesCharsAsItDecodesText(String text) throws InvalidBase32Exception {
        assertThat(Base32.decode(text.toCharArray())).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void refusesBadCharsAsItRefusesText() {
        assertThatThrownBy(() -> Base32.decode("JBSWY3DP1".toCharArray())).hasMessage("invalid Base32 character at position 9");
        assertThatThrownBy(() -> Base32.decode("JBSW\u0130".toCharArray())).hasMessage("invalid Base32 character at position 5");
    }

    @Test
    void ignoresTheDefaultLocale() throws InvalidBase32Exception {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            // 'i' upper-cases to dotted I in Turkish; the decoder must still read it as I.
            assertThat(Base32.decode("mi")).isEqualTo(Base32.decode("MI"));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void refusesBadTextWithoutQuotingIt() {
        assertThatThrownBy(() -> Base32.decode("JBSWY3DP1"))
                .isInstanceOf(InvalidBase32Exception.class)
                .hasMessage("invalid Base32 character at position 9");
        assertThatThrownBy(() -> Base32.decode("JBSWY3DPE"))
                .hasMessage("Base32 text has an impossible length (9 characters)");
        assertThatThrownBy(() -> Base32.decode("MY=A"))
                .hasMessage("Base32 padding '=' in the middle of the text");
        assertThatThrownBy(() -> Base32.decode("MY=="))
                .hasMessage("Base32 padding does not complete a block of 8 characters");
        assertThatThrownBy(() -> Base32.decode("JBSW\u0130"))
                .hasMessage("invalid Base32 character at position 5");
    }

    @Property
    void roundTrips(@ForAll byte[] data) throws InvalidBase32Exception {
        String text = Base32.encode(data);
        assertThat(text.length() % 8).isZero();
        assertThat(Base32.decode(text)).isEqualTo(data);
        assertThat(Base32.decode(text.replace("=", "").toLowerCase(Locale.ROOT))).isEqualTo(data);
    }

    @Property
    void anyStringDecodesOrIsRefusedWithoutEcho(@ForAll String text) {
        try {
            byte[] bytes = Base32.decode(text);
            assertThat(Base32.decode(Base32.encode(bytes))).isEqualTo(bytes);
        } catch (InvalidBase32Exception e) {
            assertThat(e.getMessage()).isNotBlank();
            if (text.length() > 3) {
                assertThat(e.getMessage()).doesNotContain(text);
            }
        }
    }

    @Property
    void encodeAsciiIsEncodeAsBytes(@ForAll byte[] data) {
        assertThat(Base32.encodeAscii(data)).isEqualTo(Base32.encode(data).getBytes(StandardCharsets.US_ASCII));
    }

    /** Each byte is one character (ISO 8859-1), so a byte outside ASCII is a character outside the alphabet. */
    @Property
    void decodeAsciiAcceptsAndRefusesWhatDecodeDoes(
            @ForAll @StringLength(max = 24) @Chars({'A', 'M', 'Z', 'a', 'q', '2', '7', '=', ' ', '1', 'i', '\u00e9'})
                    String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] padded = new byte[bytes.length + 4];
        System.arraycopy(bytes, 0, padded, 2, bytes.length);
        padded[0] = '!';
        padded[padded.length - 1] = '!';
        byte[] expected;
        try {
            expected = Base32.decode(text);
        } catch (InvalidBase32Exception e) {
            assertThatThrownBy(() -> Base32.decodeAscii(padded, 2, 2 + bytes.length)).hasMessage(e.getMessage());
            return;
        }
        try {
            assertThat(Base32.decodeAscii(padded, 2, 2 + bytes.length)).isEqualTo(expected);
        } catch (InvalidBase32Exception e) {
            throw new AssertionError("decodeAscii refused what decode accepts: " + e.getMessage(), e);
        }
    }

    @Test
    void decodeAsciiReadsOnlyItsRange() throws InvalidBase32Exception {
        byte[] bytes = "secret MZXW6YTBOI\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(Base32.decodeAscii(bytes, 7, 17)).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> Base32.decodeAscii(bytes, 7, 18)).isInstanceOf(InvalidBase32Exception.class);
        assertThatThrownBy(() -> Base32.decodeAscii(bytes, 7, 19)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
