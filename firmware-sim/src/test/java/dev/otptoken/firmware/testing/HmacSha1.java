package dev.otptoken.firmware.testing;

import dev.otptoken.testing.Hex;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The JCA's HMAC-SHA1, as the tests' independent reference for VALIDATE and SET CODE responses. */
public final class HmacSha1 {
    private HmacSha1() {
    }

    /** HMAC-SHA1 of {@code dataHex} under {@code keyHex}, in hex. */
    public static String hex(String keyHex, String dataHex) {
        try {
            Mac m = Mac.getInstance("HmacSHA1");
            m.init(new SecretKeySpec(Hex.bytes(keyHex), "HmacSHA1"));
            return Hex.of(m.doFinal(Hex.bytes(dataHex)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
