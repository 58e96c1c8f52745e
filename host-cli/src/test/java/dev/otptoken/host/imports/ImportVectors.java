package dev.otptoken.host.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.OathType;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** The known keys the readers' test files are built with, and the exact check of one account read back. */
public final class ImportVectors {
    /** RFC 4226 Appendix D and RFC 6238 Appendix B (SHA-1) key. */
    public static final byte[] KEY20 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    /** RFC 6238 Appendix B SHA-256 key. */
    public static final byte[] KEY32 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    /** RFC 6238 Appendix B SHA-512 key. */
    public static final byte[] KEY64 = "1234567890123456789012345678901234567890123456789012345678901234"
            .getBytes(StandardCharsets.US_ASCII);

    private ImportVectors() {
    }

    /** Every field of {@code c}, its key compared as bytes. */
    public static void assertCredential(OtpCredential c, OathType type, String issuer, String account,
                                        HashAlgorithm hash, int digits, int period, long counter, byte[] key) {
        assertThat(c.type()).isEqualTo(type);
        assertThat(c.issuer()).isEqualTo(issuer);
        assertThat(c.account()).isEqualTo(account);
        assertThat(c.algorithm()).isEqualTo(hash);
        assertThat(c.digits()).isEqualTo(digits);
        assertThat(c.period()).isEqualTo(type == OathType.TOTP ? period : 0);
        assertThat(c.counter()).isEqualTo(counter);
        String hex = c.secret().use(b -> HexFormat.of().formatHex(b));
        assertThat(hex).isEqualTo(HexFormat.of().formatHex(key));
    }
}
