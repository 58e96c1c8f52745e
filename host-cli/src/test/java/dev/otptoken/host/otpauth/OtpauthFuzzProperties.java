package dev.otptoken.host.otpauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.fuzz.FuzzSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;

/**
 * Fuzzes the text parsers a QR code's content reaches: {@link OtpInput#parse} (and so
 * {@link OtpAuthUri#parse} and {@link MigrationPayload#parse}) and {@link Base32#decode}. Any
 * text ends in a value or the declared exception; an accepted credential never shows its
 * secret in {@code toString}. Structure-aware: real URIs mutated as bytes, and real migration
 * payloads mutated as protobuf bytes and then wrapped in a well-formed URI, so the mutations
 * reach the protobuf reader instead of dying in Base64.
 */
class OtpauthFuzzProperties {
    private static final long CI_INPUTS = 20_000;
    private static final int BATCH = 5_000;
    private static final int MAX_RANDOM = 400;
    private static final String URI_CHARS =
            "otpauth://htotp/migration?secret=&issuer=:%+@._-~ABCDEFGHIJKLMNOPQRSTUVWXYZ234567=/\u0130\u00e9\u0000 \t";

    static List<String> uris() {
        return List.of(
                "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
                "otpauth://hotp/Example:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example&counter=5&digits=8",
                "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"
                        + "&issuer=ACME%20Co&algorithm=SHA512&digits=8&period=60",
                "otpauth://totp/a+b?secret=jbswy3dpehpk3pxp&issuer=Big+Corp&algorithm=sha256",
                "otpauth://hotp/me?secret=JBSWY3DPEHPK3PXP&counter=4294967295",
                "OTPAUTH://TOTP/x?SECRET=JBSW%20Y3DP%20EHPK%203PXP====&image=https%3A%2F%2Fexample.com%2Fa.png",
                "otpauth-migration://offline?data=CjYKCkhlbGxvId6tvu8SGUV4YW1wbGU6YWxpY2VAZXhhbXBsZS5jb20aB0V4YW1wbGU"
                        + "gASgBMAIKJQoUMTIzNDU2Nzg5MDEyMzQ1Njc4OTASA2JvYhoAIAIoAjABOAcKEAoFAQIDBAUSA29sZCAEMAIQARgBIAAowMQH");
    }

    /** Migration payloads as Google Authenticator lays them out, every field and enum value. */
    static List<byte[]> payloads() {
        try {
            byte[] key = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
            List<byte[]> p = new ArrayList<>();
            p.add(MigrationPayloadTest.payload(1, 0, 42,
                    MigrationPayloadTest.otp(key, "Example:alice@example.com", "Example", 1, 1, 2, 0)));
            p.add(MigrationPayloadTest.payload(3, 2, -7,
                    MigrationPayloadTest.otp(key, "bob", "", 2, 2, 1, 7),
                    MigrationPayloadTest.otp(key, "old", "Legacy", 4, 1, 2, 0),
                    MigrationPayloadTest.otp(new byte[0], "x".repeat(70), null, 3, 3, 0, 1L << 33)));
            p.add(MigrationPayloadTest.payload(1, 0, 0));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Example
    void anyTextEndsInInputOrInvalidUriException() {
        List<String> uris = uris();
        List<byte[]> uriBytes = uris.stream().map(u -> u.getBytes(StandardCharsets.UTF_8)).toList();
        List<byte[]> payloads = payloads();
        FuzzSupport.run("otpauth", FuzzSupport.inputs("otpauth", CI_INPUTS), BATCH, (random, i) -> {
            String text = switch (random.nextInt(6)) {
                case 0 -> randomText(random);
                case 1 -> new String(FuzzSupport.randomBytes(random, MAX_RANDOM), StandardCharsets.ISO_8859_1);
                case 2, 3 -> new String(FuzzSupport.mutate(random, uriBytes),
                        random.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
                default -> migrationUri(random, FuzzSupport.mutate(random, payloads));
            };
            byte[] shown = text.getBytes(StandardCharsets.UTF_8);
            OtpInput input = FuzzSupport.valueOrDeclared(InvalidUriException.class, shown, () -> OtpInput.parse(text));
            if (input != null) {
                try {
                    for (OtpCredential c : input.credentials()) {
                        assertThat(c.toString()).contains("redacted");
                        assertThat(c.digits()).isBetween(6, 8);
                    }
                } finally {
                    input.destroy();
                }
            }
            OtpCredential single = FuzzSupport.valueOrDeclared(InvalidUriException.class, shown,
                    () -> OtpAuthUri.parse(text));
            if (single != null) {
                single.destroy();
            }
            MigrationBatch batch = FuzzSupport.valueOrDeclared(InvalidUriException.class, shown,
                    () -> MigrationPayload.parse(text));
            if (batch != null) {
                batch.destroy();
            }
        });
    }

    @Example
    void anyTextEndsInBytesOrInvalidBase32Exception() {
        List<byte[]> secrets = List.of("JBSWY3DPEHPK3PXP".getBytes(StandardCharsets.US_ASCII),
                "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".getBytes(StandardCharsets.US_ASCII),
                "jbsw y3dp ehpk 3pxp====".getBytes(StandardCharsets.US_ASCII),
                "MZXW6YTBOI======".getBytes(StandardCharsets.US_ASCII));
        FuzzSupport.run("base32", FuzzSupport.inputs("base32", CI_INPUTS), BATCH, (random, i) -> {
            String text = random.nextInt(3) == 0 ? randomText(random)
                    : new String(FuzzSupport.mutate(random, secrets), StandardCharsets.ISO_8859_1);
            byte[] shown = text.getBytes(StandardCharsets.UTF_8);
            byte[] decoded = FuzzSupport.valueOrDeclared(InvalidBase32Exception.class, shown, () -> Base32.decode(text));
            if (decoded != null) {
                byte[] again = FuzzSupport.valueOrDeclared(InvalidBase32Exception.class, shown,
                        () -> Base32.decode(Base32.encode(decoded)));
                assertThat(again).isEqualTo(decoded);
                Arrays.fill(decoded, (byte) 0);
            }
        });
    }

    private static String migrationUri(Random random, byte[] payload) {
        String data = Base64.getEncoder().encodeToString(payload);
        return switch (random.nextInt(3)) {
            case 0 -> MigrationPayloadTest.uri(payload);
            case 1 -> "otpauth-migration://offline?data=" + data;
            default -> "otpauth-migration://offline?data=" + URLEncoder.encode(
                    Base64.getUrlEncoder().withoutPadding().encodeToString(payload), StandardCharsets.UTF_8);
        };
    }

    private static String randomText(Random random) {
        int len = random.nextInt(MAX_RANDOM);
        StringBuilder sb = new StringBuilder(len);
        for (int c = 0; c < len; c++) {
            sb.append(random.nextInt(8) == 0 ? (char) random.nextInt(Character.MAX_VALUE + 1)
                    : URI_CHARS.charAt(random.nextInt(URI_CHARS.length())));
        }
        return sb.toString();
    }
}
