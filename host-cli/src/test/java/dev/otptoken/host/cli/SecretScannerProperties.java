package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The audit's scanner (used by {@code SecretAuditIT}): a secret planted in any form, anywhere
 * in random text, is found at the place it was planted; random text alone is never a hit.
 */
class SecretScannerProperties {
    private static final String NOISE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 :=-_/+<>.\n";
    private static final int MAX_NOISE = 120;
    private static final int MAX_PREFIX_BYTES = 20;

    enum Form {
        RAW, HEX_LOWER, HEX_UPPER_SPACED, HEX_COLONS, BASE32, BASE32_LOWER, BASE32_PADDED, BASE32_GROUPED,
        BASE32_PERCENT, BASE64, BASE64_URL, BASE64_PERCENT, BASE64_EMBEDDED, DECIMAL_SIGNED, DECIMAL_UNSIGNED
    }

    private static String noise(Random r, int max) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            sb.append(NOISE.charAt(r.nextInt(NOISE.length())));
        }
        return sb.toString();
    }

    private static byte[] encode(Form form, byte[] secret, Random r) {
        String text = switch (form) {
            case RAW -> null;
            case HEX_LOWER -> HexFormat.of().formatHex(secret);
            case HEX_UPPER_SPACED -> HexFormat.ofDelimiter(" ").withUpperCase().formatHex(secret);
            case HEX_COLONS -> HexFormat.ofDelimiter(":").formatHex(secret);
            case BASE32 -> SecretAuditIT.base32(secret, false);
            case BASE32_LOWER -> SecretAuditIT.base32(secret, false).toLowerCase(Locale.ROOT);
            case BASE32_PADDED -> SecretAuditIT.base32(secret, true);
            case BASE32_GROUPED -> SecretAuditIT.base32(secret, false).replaceAll("(.{4})", "$1 ");
            case BASE32_PERCENT -> URLEncoder.encode(SecretAuditIT.base32(secret, true), StandardCharsets.UTF_8);
            case BASE64 -> Base64.getEncoder().encodeToString(secret);
            case BASE64_URL -> Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            case BASE64_PERCENT -> URLEncoder.encode(Base64.getEncoder().encodeToString(secret), StandardCharsets.UTF_8);
            case DECIMAL_SIGNED -> java.util.Arrays.toString(secret);
            case DECIMAL_UNSIGNED -> {
                // delimited, as any printed list is: digits of the noise glued to the first or last
                // number would change it (the hex and Base32/64 decoders have no such ambiguity)
                StringBuilder sb = new StringBuilder(" ");
                for (byte b : secret) {
                    sb.append(b & 0xFF).append(' ');
                }
                yield sb.toString();
            }
            case BASE64_EMBEDDED -> {
                byte[] around = new byte[r.nextInt(MAX_PREFIX_BYTES + 1) + secret.length + r.nextInt(MAX_PREFIX_BYTES + 1)];
                r.nextBytes(around);
                int at = around.length - secret.length - r.nextInt(around.length - secret.length + 1);
                System.arraycopy(secret, 0, around, at, secret.length);
                yield Base64.getEncoder().encodeToString(around);
            }
        };
        return text == null ? secret.clone() : text.getBytes(StandardCharsets.US_ASCII);
    }

    @Property(tries = 2000)
    void aPlantedSecretIsFoundWhereItWasPlanted(@ForAll long seed, @ForAll Form form,
                                                @ForAll @IntRange(min = SecretScanner.WINDOW, max = 64) int length) {
        Random r = new Random(seed);
        byte[] secret = new byte[length];
        r.nextBytes(secret);
        byte[] before = noise(r, MAX_NOISE).getBytes(StandardCharsets.US_ASCII);
        byte[] planted = encode(form, secret, r);
        byte[] after = noise(r, MAX_NOISE).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes(before);
        text.writeBytes(planted);
        text.writeBytes(after);
        var hits = new SecretScanner().secret("planted", secret).scan("scratch", text.toByteArray());
        assertThat(hits).as(form.name()).isNotEmpty();
        // a decoded run may begin in the noise just before the secret (letters are Base32 too)
        assertThat(hits).allSatisfy(h -> assertThat(h.offset()).isBetween(0L, (long) before.length + planted.length));
    }

    @Property(tries = 300)
    void randomTextHoldsNoSecret(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] secret = new byte[SecretScanner.WINDOW + r.nextInt(57)];
        r.nextBytes(secret);
        byte[] text = noise(r, 40 * MAX_NOISE).getBytes(StandardCharsets.US_ASCII);
        assertThat(new SecretScanner().secret("absent", secret).text("absent text", "otpauth://absent")
                .scan("noise", text)).isEmpty();
    }
}
