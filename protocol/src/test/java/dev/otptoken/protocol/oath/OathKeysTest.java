package dev.otptoken.protocol.oath;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OathKeysTest {
    private static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i + 1);
        }
        return b;
    }

    @Test
    void shortKeysAreZeroPaddedTo14() {
        byte[] key = OathKeys.prepare(HashAlgorithm.SHA1, ramp(5));
        assertThat(key).hasSize(Oath.MIN_KEY_LENGTH);
        assertThat(Arrays.copyOf(key, 5)).isEqualTo(ramp(5));
        assertThat(Arrays.copyOfRange(key, 5, 14)).containsOnly(0);
        assertThat(OathKeys.prepare(HashAlgorithm.SHA1, new byte[0])).isEqualTo(new byte[14]);
    }

    @Test
    void keysOf14UpToBlockSizeAreKeptAsCopies() {
        byte[] raw = ramp(14);
        byte[] key = OathKeys.prepare(HashAlgorithm.SHA1, raw);
        assertThat(key).isEqualTo(raw).isNotSameAs(raw);
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void keyOfExactlyBlockSizeIsNotHashed(HashAlgorithm alg) {
        assertThat(OathKeys.prepare(alg, ramp(alg.blockSize))).isEqualTo(ramp(alg.blockSize));
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void keyLongerThanBlockSizeIsHashed(HashAlgorithm alg) throws Exception {
        byte[] raw = ramp(alg.blockSize + 1);
        byte[] expected = MessageDigest.getInstance(alg.digestName).digest(raw);
        assertThat(OathKeys.prepare(alg, raw)).isEqualTo(expected).hasSize(alg.digestLength);
    }
}
