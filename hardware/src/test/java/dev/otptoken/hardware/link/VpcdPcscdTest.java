package dev.otptoken.hardware.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * is seen by PC/SC and answers APDUs. Needs a running pcscd with the vpcd driver
 * (.ci/run starts one); skipped on a developer machine without it, never under CI.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VpcdPcscdTest {
    private static final String LIBPCSCLITE = "/usr/lib/x86_64-linux-gnu/libpcsclite.so.1";
    /** The second vpcd slot, so a simulator on the first one is not disturbed. */
    private static final int PORT = 35964;
    private static final String READER = "Virtual PCD 00 01";

    private static boolean vpcdListening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", PORT), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void pcscSeesTheCardAndItAnswers() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!ci) {
            assumeTrue(vpcdListening(), "pcscd with vpcd is not running");
        }
        if (Files.exists(Path.of(LIBPCSCLITE))) {
            System.setProperty("sun.security.smartcardio.library", LIBPCSCLITE);
        }
        VpcdLinkTest.RecordingCard card = new VpcdLinkTest.RecordingCard();
        VpcdLink link = new VpcdLink("127.0.0.1", PORT, card);
        Thread t = new Thread(link, "vpcd-pcscd-test");
        t.setDaemon(true);
        t.start();
        try {
            CardTerminal terminal = TerminalFactory.getDefault().terminals().getTerminal(READER);
            assertThat(terminal).as("reader " + READER).isNotNull();
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
