package dev.otptoken.host.otpauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.OathType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

public class MigrationPayloadTest {
    private static final byte[] KEY = HexFormat.of().parseHex(OtpAuthUriTest.SECRET_HEX);

    /** One OtpParameters message, built the way the real protobuf encoder lays it out. */
    public static byte[] otp(byte[] secret, String name, String issuer, int algorithm, int digits, int type, long counter)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeByteArray(1, secret);
        out.writeString(2, name);
        if (issuer != null) {
            out.writeString(3, issuer);
        }
        out.writeEnum(4, algorithm);
        out.writeEnum(5, digits);
        out.writeEnum(6, type);
        if (counter != 0) {
            out.writeInt64(7, counter);
        }
        out.flush();
        return bytes.toByteArray();
    }

    public static byte[] payload(int batchSize, int batchIndex, int batchId, byte[]... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (byte[] e : entries) {
            out.writeBytes(1, ByteString.copyFrom(e));
        }
        out.writeInt32(2, 1);
        out.writeInt32(3, batchSize);
        out.writeInt32(4, batchIndex);
        out.writeInt32(5, batchId);
        out.flush();
        return bytes.toByteArray();
    }

    public static String uri(byte[] payload) {
        return "otpauth-migration://offline?data="
                + URLEncoder.encode(Base64.getEncoder().encodeToString(payload), StandardCharsets.UTF_8);
    }

    @Test
    void acceptsWhatTheTokenCanHoldAndReportsTheRest() throws Exception {
        byte[] data = payload(2, 1, 777,
                otp(KEY, "Example:alice@example.com", "Example", 1, 1, 2, 0),
                otp("12345678901234567890".getBytes(StandardCharsets.US_ASCII), "bob", "", 2, 2, 1, 7),
                otp(KEY, "plain", null, 0, 0, 2, 0),
                otp(KEY, "old", "Legacy", 4, 1, 2, 0),
                otp(KEY, "what", null, 1, 1, 0, 0),
                otp(KEY, "x".repeat(70), null, 1, 1, 2, 0),
                otp(new byte[0], "nokey", null, 1, 1, 2, 0),
                otp(KEY, "big", null, 1, 1, 1, 1L << 33),
                otp(KEY, "seven", null, 1, 3, 2, 0));
        MigrationBatch batch = MigrationPayload.parse(uri(data));
        assertThat(batch.batchSize()).isEqualTo(2);
        assertThat(batch.batchIndex()).isEqualTo(1);
        assertThat(batch.batchId()).isEqualTo(777);
        assertThat(batch.accepted()).extracting(Object::toString).containsExactly(
                "OtpCredential[TOTP Example:alice@example.com, SHA1, digits=6, period=30, secret redacted, 10 bytes]",
                "OtpCredential[HOTP bob, SHA256, digits=8, counter=7, secret redacted, 20 bytes]",
                "OtpCredential[TOTP plain, SHA1, digits=6, period=30, secret redacted, 10 bytes]");
        assertThat(batch.accepted().get(0).secret().copy()).isEqualTo(KEY);
        assertThat(batch.accepted().get(1).type()).isEqualTo(OathType.HOTP);
        assertThat(batch.accepted().get(1).algorithm()).isEqualTo(HashAlgorithm.SHA256);
        assertThat(batch.skipped()).containsExactly(
                new Skipped("old", "unsupported algorithm MD5"),
                new Skipped("what", "unknown OTP type (0)"),
                new Skipped("x".repeat(70), "account name is 70 bytes; the token holds at most 64"),
                new Skipped("nokey", "empty secret"),
                new Skipped("big", "counter 8589934592 does not fit the token's 32-bit counter"),
                new Skipped("seven", "unknown digit count (3)"));
        assertThat(batch.toString()).isEqualTo("MigrationBatch[3 accepted, 6 skipped, batch 2 of 2, id 777]");
        batch.destroy();
        assertThat(batch.isDestroyed()).isTrue();
    }

    @Test
    void labelPrefixGivesTheIssuerWhenTheFieldIsEmpty() throws Exception {
        MigrationBatch batch = MigrationPayload.parse(uri(payload(1, 0, 1,
                otp(KEY, "GitHub: me", "", 1, 1, 2, 0), otp(KEY, "Old:me", "New", 1, 1, 2, 0))));
        assertThat(batch.accepted()).extracting(c -> c.name().display()).containsExactly("GitHub:me", "New:me");
    }

    @Test
    void spacesForPlusAndMissingPaddingAreRepaired() throws Exception {
        // Find a key whose payload's Base64 has a '+' and needs padding, so both repairs are exercised.
        byte[] data = null;
        String b64 = "";
        byte[] pattern = {(byte) 0xFB, (byte) 0xEF, (byte) 0xBE}; // "++++" when aligned
        for (int n = 6 * pattern.length; n < 12 * pattern.length && !(b64.contains("+") && b64.endsWith("=")); n++) {
            // n / 6 rotates the pattern (its bit phase against Base64's 6-bit groups), n % 6 varies padding.
            byte[] key = new byte[6 + n % 6];
            for (int i = 0; i < key.length; i++) {
                key[i] = pattern[(i + n / 6) % pattern.length];
            }
            data = payload(1, 0, 0, otp(key, "ab", null, 1, 1, 2, 0));
            b64 = Base64.getEncoder().encodeToString(data);
        }
        assertThat(b64).contains("+").endsWith("=");
        byte[] key = MigrationPayload.parse(uri(data)).accepted().get(0).secret().copy();
        String broken = "otpauth-migration://offline?data=" + b64.replace('+', ' ').replace("=", "");
        assertThat(MigrationPayload.parse(broken).accepted()).hasSize(1);
        String unescaped = "otpauth-migration://offline?data=" + b64;
        assertThat(MigrationPayload.parse(unescaped).accepted().get(0).secret().copy()).isEqualTo(key);
        assertThat(MigrationPayload.parse(broken).accepted().get(0).secret().copy()).isEqualTo(key);
    }

    @Test
    void unknownFieldsAreSkipped() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeString(9, "future");
        out.writeFixed64(10, 5);
        out.writeBytes(1, ByteString.copyFrom(otp(KEY, "me", null, 1, 1, 2, 0)));
        out.flush();
        assertThat(MigrationPayload.parse(uri(bytes.toByteArray())).accepted()).hasSize(1);
    }

    @Test
    void refusesMalformedInput() throws Exception {
        byte[] good = payload(1, 0, 0, otp(KEY, "me", null, 1, 1, 2, 0));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 12);
        assertThatThrownBy(() -> MigrationPayload.parse(uri(truncated)))
                .isInstanceOf(InvalidUriException.class)
                .hasMessage("migration data is not a valid Google Authenticator export");
        assertThatThrownBy(() -> MigrationPayload.parse("otpauth-migration://offline?data=%%%"))
                .hasMessage("malformed percent escape in parameter 'data'");
        assertThatThrownBy(() -> MigrationPayload.parse("otpauth-migration://offline?data=abc*def"))
                .hasMessage("migration data is not valid Base64");
        assertThatThrownBy(() -> MigrationPayload.parse("otpauth-migration://offline"))
                .hasMessage("missing data parameter in the migration URI");
        assertThatThrownBy(() -> MigrationPayload.parse("otpauth-migration://online?data=AA"))
                .hasMessage("unsupported migration URI (expected otpauth-migration://offline?data=...)");
        assertThatThrownBy(() -> MigrationPayload.parse("otpauth://totp/x"))
                .hasMessage("not an otpauth-migration:// URI");
    }

    @Property
    void anyBytesParseOrAreRefusedWithTheCheckedException(@ForAll byte[] data) {
        try {
            MigrationBatch batch = MigrationPayload.parse(uri(data));
            assertThat(batch.accepted().size() + batch.skipped().size()).isNotNegative();
        } catch (InvalidUriException e) {
            assertThat(e.getMessage()).isIn("migration data is not a valid Google Authenticator export",
                    "missing data parameter in the migration URI");
        }
    }

    @Property
    void anyEntryBytesParseOrAreRefused(@ForAll byte[] entry) throws IOException {
        try {
            MigrationPayload.parse(uri(payload(1, 0, 0, entry)));
        } catch (InvalidUriException e) {
            assertThat(e.getMessage()).isEqualTo("migration data is not a valid Google Authenticator export");
        }
    }
}
