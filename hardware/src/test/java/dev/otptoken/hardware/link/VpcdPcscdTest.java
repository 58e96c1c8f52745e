package dev.otptoken.hardware.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.testing.PrivatePcsc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.smartcardio.Card;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import javax.smartcardio.TerminalFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The vpcd link against the real pcscd + vpcd stack: a card connected by {@link VpcdLink}
 * is seen by PC/SC and answers APDUs. Runs on the tests' own pcscd ({@link PrivatePcsc});
 * skipped on a developer machine without pcscd and vpcd, never under CI.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VpcdPcscdTest {
    private static final String LIBPCSCLITE = "/usr/lib/x86_64-linux-gnu/libpcsclite.so.1";

    @Test
    void pcscSeesTheCardAndItAnswers() throws Exception {
        PrivatePcsc pcsc = PrivatePcsc.shared();
        if (Files.exists(Path.of(LIBPCSCLITE))) {
            System.setProperty("sun.security.smartcardio.library", LIBPCSCLITE);
        }
        VpcdLinkTest.RecordingCard card = new VpcdLinkTest.RecordingCard();
        VpcdLink link = new VpcdLink("127.0.0.1", pcsc.port(), card);
        Thread t = new Thread(link, "vpcd-pcscd-test");
        t.setDaemon(true);
        t.start();
        try {
            CardTerminal terminal = TerminalFactory.getDefault().terminals().getTerminal(PrivatePcsc.READER);
            assertThat(terminal).as("reader " + PrivatePcsc.READER).isNotNull();
            assertThat(terminal.waitForCardPresent(10_000)).as("card present").isTrue();
            Card c = terminal.connect("*");
            assertThat(HexFormat.of().withUpperCase().formatHex(c.getATR().getBytes()))
                    .isEqualTo("3B8880016F7470746F6B656E19");
            ResponseAPDU r = c.getBasicChannel().transmit(new CommandAPDU(0x00, 0xA4, 0x04, 0x00,
                    HexFormat.of().parseHex("A0000005272101")));
            assertThat(r.getSW()).isEqualTo(0x9000);
            assertThat(r.getData()).containsExactly(0xA4);
            c.disconnect(true);
            assertThat(card.events).contains("apdu 00A4040007A0000005272101");
        } finally {
            link.stop();
            t.join(5_000);
        }
        assertThat(t.isAlive()).isFalse();
    }
}
