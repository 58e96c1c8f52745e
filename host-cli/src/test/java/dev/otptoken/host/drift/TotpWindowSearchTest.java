package dev.otptoken.host.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.protocol.oath.Totp;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TotpWindowSearchTest {
    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void rfc6238VectorFoundAtItsStep() {
        // RFC 6238 Appendix B: 59 s → 94287082 (SHA-1, 8 digits); seen by a verifier 3 steps later
        try (TotpWindowSearch s = new TotpWindowSearch(HashAlgorithm.SHA1, SecretBytes.copyOf(KEY), 8, 30)) {
            assertThat(s.find("94287082", 1 + 3, 5)).isEqualTo(OptionalLong.of(-3));
            assertThat(s.find("94287082", 1 + 3, 2)).isEmpty();
            assertThat(s.find("1234", 1, 5)).isEmpty();
            // the same number written otherwise is no code the token shows
            for (String notACode : new String[] {"9428708a", "+4287082", " 4287082", "\uFF19\uFF14\uFF12\uFF18\uFF17\uFF10\uFF18\uFF12",
                "094287082", "4287082"}) {
                assertThat(s.find(notACode, 1 + 3, 5)).as(notACode).isEmpty();
            }
        }
    }

    @Property(tries = 60)
    void anyKeyLengthGivesTheReferenceCodes(@ForAll("keys") byte[] key, @ForAll HashAlgorithm alg,
                                            @ForAll @IntRange(min = -20, max = 20) int offset) {
        // keys longer than the hash's block are hashed first (RFC 2104): 64 or 128 bytes
        Instant tokenTime = Instant.ofEpochSecond(1_700_000_000L);
        String code = Totp.code(alg, key, tokenTime, 30, 6);
        long own = Totp.timeStep(tokenTime, 30) - offset;
        try (TotpWindowSearch s = new TotpWindowSearch(alg, SecretBytes.copyOf(key), 6, 30)) {
            OptionalLong k = s.find(code, own, 20);
            assertThat(k).isPresent();
            assertThat(Totp.code(alg, key, Totp.stepStart(own + k.getAsLong(), 30), 30, 6)).isEqualTo(code);
        }
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(200);
    }

    @Property(tries = 100)
    void findsTheOffsetOfACodeFromTheReference(@ForAll @LongRange(min = 0, max = 4_000_000_000L) long seconds,
                                               @ForAll @IntRange(min = -50, max = 50) int offset,
                                               @ForAll @IntRange(min = 6, max = 8) int digits) {
        Instant tokenTime = Instant.ofEpochSecond(seconds);
        String code = Totp.code(HashAlgorithm.SHA256, KEY, tokenTime, 30, digits);
        long own = Totp.timeStep(tokenTime, 30) - offset;
        try (TotpWindowSearch s = new TotpWindowSearch(HashAlgorithm.SHA256, SecretBytes.copyOf(KEY), digits, 30)) {
            OptionalLong k = s.find(code, own, 60);
            assertThat(k).isPresent();
            // the nearest match: the true offset unless a collision sits closer
            assertThat(Math.abs(k.getAsLong())).isLessThanOrEqualTo(Math.abs(offset));
            String again = Totp.code(HashAlgorithm.SHA256, KEY, Totp.stepStart(own + k.getAsLong(), 30), 30, digits);
            assertThat(again).isEqualTo(code);
        }
    }
}
