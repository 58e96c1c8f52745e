package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.firmware.runtime.CardRuntime;
import dev.otptoken.testing.Hex;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The face of an assembled token on its pseudo-terminal: the port a host is to use and the
 * selected account's name as the OATH applet stores it, escaped.
 */
class FaceTokenTest {
    static final String OATH_SELECT = "00A4040007A0000005272101";
    static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    private SimulatedToken token;

    @AfterEach
    void stop() {
        if (token != null) {
            token.stop(false, 1_000);
        }
    }

    private SimulatedToken start(String... args) throws Exception {
        SimOptions options = new SimOptions();
        new CommandLine(options).parseArgs(args);
        assertThat(options.validate()).isEmpty();
        token = SimulatedToken.create(options, InstantSource.system(), () -> { }, w -> { });
        token.attach();
        return token;
    }

    private void put(String name) {
        put(name, KEY);
    }

    private void put(String name, byte[] key) {
        Card card = token.card(CardRuntime.CONTACT);
        assertThat(Hex.of(card.transmit(Hex.bytes(OATH_SELECT)))).endsWith("9000");
        String data = ModelCardTest.tlv(0x71, ModelCardTest.text(name))
                + ModelCardTest.tlv(0x73, "2106" + Hex.of(key));
        assertThat(Hex.of(card.transmit(Hex.bytes(ModelCardTest.apdu(0x01, 0, 0, data))))).isEqualTo("9000");
    }

    @Test
    void theFaceShowsThePortAndTheSelectedAccountsName() throws Exception {
        start("--serial", "12345678", "--start-time", "2030-01-01T00:00:00Z");
        assertThat(token.attachedName()).startsWith("/dev/pts/");
        assertThat(token.face(FaceRenderer.Style.DUMB)).isEqualTo(
                "otptoken  serial 12345678  account -  port " + token.attachedName() + "\n  display off\n");
        put("Evil\u001b[2J:bob");
        put("60/Example:alice");
        assertThat(token.face(FaceRenderer.Style.DUMB)).isEqualTo("otptoken  serial 12345678  account 1/2  "
                + "Evil\\x1b[2J:bob  port " + token.attachedName() + "\n  display off\n");
        assertThat(token.face(FaceRenderer.Style.ANSI)).contains("  port " + token.attachedName() + "\n");
    }

    /**
     * A Steam account pressed: the display, the headless text and the face's big glyphs show
     * the five characters of KeePassXC's published vector (key 63BEDWCQZKTQWPESARIERL5DTTQFCJTK
     * at 1511200518 gives FR8RV); its step began at 1511200500.
     */
    @Test
    void aSteamAccountPressedShowsItsFiveCharacters() throws Exception {
        start("--serial", "12345678", "--start-time", "2017-11-20T17:55:01Z");
        put("Steam:alice", Hex.bytes("f6c241d850caa70b3c92045048afa39ce051266a"));
        token.press();
        assertThat(Simulator.displayText(token.display())).matches("FR8RV (2[0-9]|1[0-9]|[6-9])s");
        assertThat(token.face(FaceRenderer.Style.DUMB)).contains("\n  FR8RV  ");
        int[] glyphs = new int[5];
        for (int i = 0; i < 5; i++) {
            glyphs[i] = dev.otptoken.hardware.io.SevenSegment.encode("FR8RV".charAt(i));
        }
        assertThat(token.face(FaceRenderer.Style.ANSI)).contains(String.join("\n  ", FaceRenderer.digits(glyphs, 5)));
    }

    @Test
    void aYubiKeyModelsFaceShowsItsPortToo() throws Exception {
        start("--model", "yubikey-5-nfc", "--serial", "12345678");
        assertThat(token.face(FaceRenderer.Style.DUMB))
                .isEqualTo("yubikey-5-nfc  serial 12345678  port " + token.attachedName() + "\n");
    }
}
