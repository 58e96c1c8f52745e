package dev.otptoken.testing;

import java.util.HexFormat;
import java.util.Locale;

/** Hex in every module's tests (protocol's test-jar): spaces ignored on input, upper case out. */
public final class Hex {
    private Hex() {
    }

    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    public static String of(byte[] b) {
        return HexFormat.of().formatHex(b).toUpperCase(Locale.ROOT);
    }
}
