package dev.otptoken.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.cli.Launchers;
import dev.otptoken.host.cli.Processes;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Steam Guard account end to end (docs/imports.md, "Steam"): {@code bin/otptoken provision --uri} of an
 * Aegis-style {@code otpauth://steam/} URI and of an ordinary TOTP URI onto {@code
 * bin/otptoken-sim}; {@code bin/otptoken code} shows the Steam account's five characters, equal
 * to a reference computed here apart from the project (JDK HMAC-SHA1, base 26), and the ordinary
 * code equal to oathtool's; unmodified ykman over PC/SC shows the same Steam code; and the
 * token's own display, pressed through the headless input, shows the same five characters.
 */
class SteamIT {
    /** KeePassXC's Steam test key: at 1511200518 s its code is FR8RV (checked below). */
    private static final String STEAM_B32 = "63BEDWCQZKTQWPESARIERL5DTTQFCJTK";
    private static final byte[] STEAM_KEY = HexFormat.of().parseHex("f6c241d850caa70b3c92045048afa39ce051266a");
    private static final String SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    private static final String STEAM_URI = "otpauth://steam/Steam:alice?secret=" + STEAM_B32
            + "&issuer=Steam&algorithm=SHA1&digits=5&period=30";
    private static final String BOB_URI = "otpauth://totp/Example:bob?secret=" + SEED + "&issuer=Example";
    private static final long WAIT_MILLIS = 10_000;
    /** Seconds before a step ends in which a run is not started (a press then shows the next step). */
    private static final int MARGIN_SECONDS = 8;

    @TempDir
    Path dir;

    private static List<String> otptoken(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "--reader";
        all[1] = Commands.READER;
        System.arraycopy(args, 0, all, 2, args.length);
        Processes.Result r = Launchers.otptoken(Map.of(), null, all);
        assertThat(r.status()).as("bin/otptoken %s: %s", List.of(args), r.err()).isZero();
        return r.outLines();
    }

    @Test
    void theHostYkmanAndTheTokensDisplayShowTheSameSteamCode() throws Exception {
        assertThat(reference(1511200518L / 30)).as("the reference reproduces KeePassXC's vector").isEqualTo("FR8RV");
        Commands.requireTool("oathtool");
        Commands.requireReader();
        try (ModelsYkmanIT.ModelSim sim = ModelsYkmanIT.ModelSim.start("otptoken", dir.resolve("steam.state"))) {
            showTheSameCode(sim);
        }
    }

    private static void showTheSameCode(ModelsYkmanIT.ModelSim sim) throws Exception {
        otptoken("provision", "--uri", STEAM_URI);
        otptoken("provision", "--uri", BOB_URI);
        assertThat(otptoken("list")).containsExactly("Steam:alice  TOTP  SHA1  6  30", "Example:bob  TOTP  SHA1  6  30");

        for (int attempt = 0; attempt < 3; attempt++) {
            awayFromAStepEnd();
            long step = Instant.now().getEpochSecond() / 30;
            Map<String, String> host = Commands.codes(otptoken("code"));
            String single = otptoken("code", "-s", "Steam:alice").get(0);
            String json = String.join("\n", otptoken("--json", "code", "alice"));
            Map<String, String> ykman = Commands.codes(Commands.ykmanOk("oath", "accounts", "code"));
            sim.clearLines();
            sim.command("press");
            String display = sim.nextLine("display: ", WAIT_MILLIS);
            if (Instant.now().getEpochSecond() / 30 != step) {
                continue;
            }
            String steam = reference(step);
            assertThat(host).containsExactly(Map.entry("Steam:alice", steam),
                    Map.entry("Example:bob", Commands.totp(SEED, "SHA1", 6, 30, step)));
            assertThat(single).isEqualTo(steam);
            assertThat(json).contains("\"name\":\"Steam:alice\",\"type\":\"TOTP\",\"touch\":false,\"code\":\""
                    + steam + "\"");
            assertThat(ykman).containsEntry("Steam:alice", steam)
                    .containsEntry("Example:bob", Commands.totp(SEED, "SHA1", 6, 30, step));
            assertThat(display).as("the token's display").matches("display: " + steam + " \\d+s");
            return;
        }
        throw new AssertionError("three step boundaries in a row");
    }

    /** Waits until at least {@value #MARGIN_SECONDS} s are left of the current 30-second step. */
    private static void awayFromAStepEnd() throws InterruptedException {
        long intoStep = Instant.now().toEpochMilli() % 30_000;
        if (intoStep > (30 - MARGIN_SECONDS) * 1000L) {
            Thread.sleep(30_000 - intoStep + 200);
        }
    }

    /** Steam's code for a time step, computed apart from the project: JDK HMAC-SHA1, base 26, low digit first. */
    private static String reference(long step) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(STEAM_KEY, "HmacSHA1"));
        byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
        int offset = h[h.length - 1] & 0x0F;
        long value = ByteBuffer.wrap(h, offset, 4).getInt() & 0x7FFFFFFFL;
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            code.append("23456789BCDFGHJKMNPQRTVWXY".charAt((int) (value % 26)));
            value /= 26;
        }
        return code.toString();
    }
}
