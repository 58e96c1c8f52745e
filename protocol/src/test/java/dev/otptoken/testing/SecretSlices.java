package dev.otptoken.testing;

import java.util.Arrays;

/** Whether a memory image or file still holds any part of a secret: the tests of "nothing left behind". */
public final class SecretSlices {
    /** The shortest run of a secret's bytes that counts as found: 8 bytes by chance in a few KiB is about 2^-50. */
    public static final int SLICE = 8;

    private SecretSlices() {
    }

    /** True when any {@value #SLICE} consecutive bytes of {@code secret} stand anywhere in {@code image}. */
    public static boolean holdsSliceOf(byte[] image, byte[] secret) {
        for (int s = 0; s + SLICE <= secret.length; s++) {
            for (int i = 0; i + SLICE <= image.length; i++) {
                if (Arrays.equals(image, i, i + SLICE, secret, s, s + SLICE)) {
                    return true;
                }
            }
        }
        return false;
    }
}
