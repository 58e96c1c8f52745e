package dev.otptoken.firmware.oath;

import dev.otptoken.protocol.oath.Oath;
import java.util.Objects;

/**
 * What differs between the OATH applets of the token models (docs/oath-applet.md, "Models"):
 * the version SELECT reports (tag {@code 79}), which clients gate features on, and what a
 * TOTP CALCULATE with an empty challenge ({@code 74 00}) computes. Everything else (commands,
 * status words, storage) is the same applet.
 *
 * @param major          first version byte
 * @param minor          second version byte
 * @param patch          third version byte
 * @param emptyChallenge what a TOTP account computes for {@code 74 00}
 */
public record OathProfile(int major, int minor, int patch, EmptyChallenge emptyChallenge) {
    /** The otptoken model: version {@link Oath#VERSION_MAJOR}.{@link Oath#VERSION_MINOR}.{@link Oath#VERSION_PATCH}, codes from its own clock. */
    public static final OathProfile OTPTOKEN = new OathProfile(Oath.VERSION_MAJOR, Oath.VERSION_MINOR,
            Oath.VERSION_PATCH, EmptyChallenge.RTC_TIME_STEP);

    /** What a TOTP CALCULATE with an empty challenge computes. */
    public enum EmptyChallenge {
        /** The token has a clock: the TOTP step of its RTC reading, from the name's period (this project's extension). */
        RTC_TIME_STEP,
        /**
         * A token without a clock: the challenge is the HMAC message whatever its length, so
         * the empty one gives HMAC(key, empty), as the YKOATH applet computes any challenge.
         */
        HMAC_OF_EMPTY_MESSAGE
    }

    public OathProfile {
        Objects.requireNonNull(emptyChallenge, "emptyChallenge");
        for (int b : new int[] {major, minor, patch}) {
            if (b < 0 || b > 0xFF) {
                throw new IllegalArgumentException("version bytes are 0..255");
            }
        }
    }

    /** The three version bytes, as SELECT sends them. */
    byte[] versionBytes() {
        return new byte[] {(byte) major, (byte) minor, (byte) patch};
    }
}
