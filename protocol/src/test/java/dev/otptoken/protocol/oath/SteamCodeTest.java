package dev.otptoken.protocol.oath;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SteamCodeTest {
    /** Base32 63BEDWCQZKTQWPESARIERL5DTTQFCJTK, the Steam key of KeePassXC's tests/TestTotp.cpp. */
    private static final byte[] KEEPASSXC_KEY = HexFormat.of().parseHex("f6c241d850caa70b3c92045048afa39ce051266a");

    /** Published vectors (KeePassXC's and Authenticator Pro's tests of their Steam generators). */
    @ParameterizedTest
    @CsvSource({"1511200518, FR8RV", "1511200714, 9P3VP"})
    void publishedVectors(long unixSeconds, String expected) {
        byte[] hmac = Hotp.hmac(HashAlgorithm.SHA1, KEEPASSXC_KEY, challenge(unixSeconds / 30));
        assertThat(SteamCode.fromHmac(hmac, 0, hmac.length)).isEqualTo(expected);
        assertThat(reference(KEEPASSXC_KEY, unixSeconds / 30)).isEqualTo(expected);
    }

    @Test
    void writeFillsFiveAsciiBytesAtTheOffsetAndNothingElse() {
        byte[] out = new byte[9];
        int truncated = OtpFormat.truncate(Hotp.hmac(HashAlgorithm.SHA1, KEEPASSXC_KEY, challenge(1511200518L / 30)));
        assertThat(SteamCode.write(truncated, out, 2)).isEqualTo(7);
        assertThat(out).containsExactly(0, 0, 'F', 'R', '8', 'R', 'V', 0, 0);
    }

    @Test
    void theTopBitOfATruncatedValueIsIgnored() {
        assertThat(SteamCode.format(0x80000000)).isEqualTo("22222");
        assertThat(SteamCode.format(0xFFFFFFFF)).isEqualTo(SteamCode.format(0x7FFFFFFF));
        // 25 + 26 * 1: "Y3222"
        assertThat(SteamCode.format(51)).isEqualTo("Y3222");
    }

    /** The production path against an independent computation (javax.crypto HMAC, radix-26 text). */
    @Property(tries = 500)
    void equalsAnIndependentComputation(@ForAll @Size(min = 1, max = 64) byte[] key,
            @ForAll @LongRange(min = 0, max = 1L << 40) long step) {
        byte[] hmac = Hotp.hmac(HashAlgorithm.SHA1, key, challenge(step));
        String code = SteamCode.fromHmac(hmac, 0, hmac.length);
        assertThat(code).isEqualTo(reference(key, step)).hasSize(SteamCode.LENGTH);
        assertThat(code.chars()).allMatch(c -> SteamCode.ALPHABET.indexOf(c) >= 0);
    }

    @Test
    void steamIsTotpWithTheIssuerExactlySteam() {
        assertThat(SteamCode.isSteam(OathType.TOTP, "Steam")).isTrue();
        assertThat(SteamCode.isSteam(OathType.HOTP, "Steam")).isFalse();
        assertThat(SteamCode.isSteam(OathType.TOTP, "steam")).isFalse();
        assertThat(SteamCode.isSteam(OathType.TOTP, null)).isFalse();
        assertThat(stored(OathType.TOTP, "Steam:alice")).isTrue();
        assertThat(stored(OathType.TOTP, "60/Steam:alice")).isTrue();
        assertThat(stored(OathType.TOTP, "Steam:")).isFalse();
        assertThat(stored(OathType.TOTP, "Steam")).isFalse();
        assertThat(stored(OathType.TOTP, "Steamy:alice")).isFalse();
        assertThat(stored(OathType.TOTP, "0/Steam:alice")).isFalse();
        assertThat(stored(OathType.HOTP, "Steam:alice")).isFalse();
    }

    /** The byte rule the token uses says what the host's parse of the same name says. */
    @Property(tries = 2000)
    void storedNameRuleAgreesWithTheParsedName(@ForAll OathType type, @ForAll @IntRange(min = 0, max = 3) int shape,
            @ForAll @StringLength(max = 12) String account) {
        String prefix = switch (shape) {
            case 0 -> "";
            case 1 -> "60/";
            case 2 -> "0/";
            default -> "/";
        };
        for (String issuer : new String[] {"Steam", "steam", "Steam ", "Stea", "Valve", ""}) {
            byte[] wire = (prefix + issuer + ":" + account).getBytes(StandardCharsets.UTF_8);
            AccountName parsed = AccountName.parse(type, wire);
            assertThat(SteamCode.isSteam(type, wire, 0, wire.length))
                    .as("%s %s", type, prefix + issuer + ":" + account)
                    .isEqualTo(SteamCode.isSteam(type, parsed.issuer()));
        }
    }

    /** What the token runs on its display path allocates nothing once warm (bytes counted, not time). */
    @Test
    void theTokensRuleAndWriterAllocateNothing() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported()
                && mx.isThreadAllocatedMemoryEnabled());
        byte[] name = "60/Steam:alice@example.com".getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[SteamCode.LENGTH];
        long tid = Thread.currentThread().getId();
        int sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += round(name, out, i);
        }
        long least = Long.MAX_VALUE;
        for (int batch = 0; batch < 10 && least > 0; batch++) {
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 1000; i++) {
                sink += round(name, out, i);
            }
            least = Math.min(least, mx.getThreadAllocatedBytes(tid) - before);
        }
        assertThat(least).as("bytes allocated by 1000 rounds, best of up to 10 batches").isZero();
        assertThat(sink).isNotZero();
    }

    private static int round(byte[] name, byte[] out, int value) {
        boolean steam = SteamCode.isSteam(OathType.TOTP, name, 0, name.length);
        return SteamCode.write(value * 7919, out, 0) + (steam ? out[0] : 0);
    }

    private static boolean stored(OathType type, String name) {
        byte[] framed = ("xx" + name + "yy").getBytes(StandardCharsets.UTF_8);
        return SteamCode.isSteam(type, framed, 2, framed.length - 4);
    }

    private static byte[] challenge(long step) {
        return ByteBuffer.allocate(8).putLong(step).array();
    }

    /** Steam's code computed without the production classes: JDK HMAC, base-26 digits read low first. */
    private static String reference(byte[] key, long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] h = mac.doFinal(challenge(step));
            int offset = h[h.length - 1] & 0x0F;
            long value = ByteBuffer.wrap(h, offset, 4).getInt() & 0x7FFFFFFFL;
            String base26 = Long.toString(value % (26L * 26 * 26 * 26 * 26), 26);
            StringBuilder digits = new StringBuilder("00000".substring(base26.length()) + base26).reverse();
            StringBuilder code = new StringBuilder();
            for (int i = 0; i < digits.length(); i++) {
                code.append("23456789BCDFGHJKMNPQRTVWXY".charAt(Character.digit(digits.charAt(i), 26)));
            }
            return code.toString();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
