package dev.otptoken.host.session;

import java.util.random.RandomGenerator;

/** "Random" bytes 01 02 03 ... so that challenges in tests are known. */
public final class FixedRandom implements RandomGenerator {
    @Override
    public long nextLong() {
        return 0x0102030405060708L;
    }

    @Override
    public void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i + 1);
        }
    }
}
