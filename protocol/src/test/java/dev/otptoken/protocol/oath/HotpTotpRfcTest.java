package dev.otptoken.protocol.oath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HotpTotpRfcTest {
    private static final byte[] RFC4226_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    /** RFC 4226 Appendix D: counter, HMAC-SHA-1, truncated decimal, 6-digit HOTP. */
    @ParameterizedTest(name = "counter {0}")
    @CsvSource({
        "0, cc93cf18508d94934c64b65d8ba7667fb7cde4b0, 1284755224, 755224",
        "1, 75a48a19d4cbe100644e8ac1397eea747a2d33ab, 1094287082, 287082",
        "2, 0bacb7fa082fef30782211938bc1c5e70416ff44, 137359152, 359152",
        "3, 66c28227d03a2d5529262ff016a1e6ef76557ece, 1726969429, 969429",
        "4, a904c900a64b35909874b33e61c5938a8e15ed1c, 1640338314, 338314",
        "5, a37e783d7b7233c083d4f62926c7a25f238d0316, 868254676, 254676",
        "6, bc9cd28561042c83f219324d3c607256c03272ae, 1918287922, 287922",
        "7, a4fb960c0bc06e1eabb804e5b397cdc4b45596fa, 82162583, 162583",
        "8, 1b3c89f65e6c9e883012052823443f048b4332db, 673399871, 399871",
        "9, 1637409809a679dc698207310c8c7fc07290d9e5, 645520489, 520489"})
    void rfc4226AppendixD(long counter, String hmacHex, int truncated, String code) {
        byte[] hmac = Hotp.hmac(HashAlgorithm.SHA1, RFC4226_KEY, Hotp.counterBytes(counter));
        assertThat(HexFormat.of().formatHex(hmac)).isEqualTo(hmacHex);
        assertThat(OtpFormat.truncate(hmac)).isEqualTo(truncated);
        assertThat(OtpFormat.format(truncated, 6)).isEqualTo(code);
        assertThat(Hotp.code(HashAlgorithm.SHA1, RFC4226_KEY, counter, 6)).isEqualTo(code);
    }

    /** RFC 6238 Appendix B with one key per algorithm (erratum 2866), 8 digits, 30 s. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "59, SHA1, 94287082", "59, SHA256, 46119246", "59, SHA512, 90693936",
        "1111111109, SHA1, 07081804", "1111111109, SHA256, 68084774", "1111111109, SHA512, 25091201",
        "1111111111, SHA1, 14050471", "1111111111, SHA256, 67062674", "1111111111, SHA512, 99943326",
        "1234567890, SHA1, 89005924", "1234567890, SHA256, 91819424", "1234567890, SHA512, 93441116",
        "2000000000, SHA1, 69279037", "2000000000, SHA256, 90698825", "2000000000, SHA512, 38618901",
        "20000000000, SHA1, 65353130", "20000000000, SHA256, 77737706", "20000000000, SHA512, 47863826"})
    void rfc6238AppendixB(long seconds, HashAlgorithm alg, String code) {
        String seed = "1234567890".repeat(7).substring(0, alg.digestLength);
        byte[] key = seed.getBytes(StandardCharsets.US_ASCII);
        assertThat(Totp.code(alg, key, Instant.ofEpochSecond(seconds), 30, 8)).isEqualTo(code);
    }

    @Test
    void rfc6238TimeStepsFromAppendixB() {
        assertThat(Totp.timeStep(Instant.ofEpochSecond(59), 30)).isEqualTo(1);
        assertThat(Totp.timeStep(Instant.ofEpochSecond(1111111109), 30)).isEqualTo(0x23523EC);
        assertThat(Totp.timeStep(Instant.ofEpochSecond(20000000000L), 30)).isEqualTo(0x27BC86AA);
    }

    @Test
    void timeStepFloorsNegativeEpochs() {
        assertThat(Totp.timeStep(Instant.ofEpochSecond(-1), 30)).isEqualTo(-1);
        assertThat(Totp.timeStep(Instant.ofEpochSecond(-30), 30)).isEqualTo(-1);
        assertThat(Totp.timeStep(Instant.ofEpochSecond(-31), 30)).isEqualTo(-2);
        assertThat(Totp.timeStep(Instant.ofEpochSecond(29, 999_999_999), 30)).isZero();
        assertThat(Totp.secondsRemaining(Instant.ofEpochSecond(-1), 30)).isEqualTo(1);
        assertThat(Totp.secondsRemaining(Instant.ofEpochSecond(-30), 30)).isEqualTo(30);
        assertThat(Totp.secondsRemaining(Instant.ofEpochSecond(59), 30)).isEqualTo(1);
        assertThat(Totp.secondsRemaining(Instant.ofEpochSecond(60), 30)).isEqualTo(30);
        assertThat(Totp.stepStart(-2, 30)).isEqualTo(Instant.ofEpochSecond(-60));
        assertThat(Totp.stepStart(Totp.timeStep(Instant.ofEpochSecond(1234567890), 60), 60))
                .isEqualTo(Instant.ofEpochSecond(1234567860));
    }

    @Test
    void negativeStepCodeUsesTwosComplementCounter() {
        assertThat(Totp.code(HashAlgorithm.SHA1, RFC4226_KEY, Instant.ofEpochSecond(-1), 30, 6))
                .isEqualTo(Hotp.code(HashAlgorithm.SHA1, RFC4226_KEY, -1L, 6));
        assertThat(Hotp.counterBytes(-1L)).containsOnly(0xFF);
    }

    @Test
    void digitsAndPeriodAreValidated() {
        assertThatThrownBy(() -> Hotp.code(HashAlgorithm.SHA1, RFC4226_KEY, 0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hotp.code(HashAlgorithm.SHA1, RFC4226_KEY, 0, 9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Totp.timeStep(Instant.EPOCH, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OtpFormat.truncate(new byte[19])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatPadsWithZerosAndReducesModulus() {
        assertThat(OtpFormat.format(1234, 6)).isEqualTo("001234");
        assertThat(OtpFormat.format(1_284_755_224, 7)).isEqualTo("4755224");
        assertThat(OtpFormat.format(82_162_583, 8)).isEqualTo("82162583");
        assertThat(OtpFormat.format(0, 8)).isEqualTo("00000000");
        assertThat(OtpFormat.modulus(6)).isEqualTo(1_000_000);
        assertThat(OtpFormat.modulus(8)).isEqualTo(100_000_000);
    }

    @Test
    void emptyKeyEqualsSingleZeroByteKey() {
        assertThat(Hotp.hmac(HashAlgorithm.SHA256, new byte[0], new byte[8]))
                .isEqualTo(Hotp.hmac(HashAlgorithm.SHA256, new byte[14], new byte[8]));
    }
}
