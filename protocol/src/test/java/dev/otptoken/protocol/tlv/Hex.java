package dev.otptoken.protocol.tlv;

import java.util.HexFormat;

/** Hex helpers for tests: spaces allowed in the input. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.of().withUpperCase().formatHex(b);
    }
}
