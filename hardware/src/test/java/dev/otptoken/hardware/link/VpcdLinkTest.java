package dev.otptoken.hardware.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The vpcd wire protocol against a scripted vpcd on loopback. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VpcdLinkTest {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    /** Records events; answers APDUs with their INS echoed and 9000. */
    static final class RecordingCard implements ContactlessCard {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public byte[] atr() {
            return VpcdLink.iso14443Atr("otptoken".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        @Override
        public void powerOn() {
            events.add("on");
        }

        @Override
        public void powerOff() {
            events.add("off");
        }

        @Override
        public void reset() {
            events.add("reset");
        }

        @Override
        public byte[] transmit(byte[] command) {
            events.add("apdu " + HEX.formatHex(command));
            return new byte[] {command[1], (byte) 0x90, 0x00};
        }
    }

    private static void send(DataOutputStream out, String hex) throws IOException {
        byte[] b = HEX.parseHex(hex);
        out.writeShort(b.length);
        out.write(b);
        out.flush();
    }

    private static String receive(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        return HEX.formatHex(b);
    }

    @Test
    void atrIsWellFormed() {
        byte[] atr = VpcdLink.iso14443Atr("otptoken".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        // 3B 88 80 01 "otptoken" TCK; TCK = XOR of T0..last historical byte
        assertThat(HEX.formatHex(atr)).isEqualTo("3B888001" + "6F7470746F6B656E" + "19");
        int xor = 0;
        for (int i = 1; i < atr.length; i++) {
            xor ^= atr[i];
        }
        assertThat(xor).isZero();
        // the token's own ATR: no historical bytes (TS 3B, T0 80, TD1 80, TD2 01 = T=1, TCK 01)
        assertThat(HEX.formatHex(VpcdLink.iso14443Atr(new byte[0]))).isEqualTo("3B80800101");
    }

    @Test
    void controlCodesAtrAndApdus() throws Exception {
        RecordingCard card = new RecordingCard();
        try (ServerSocket server = new ServerSocket(0)) {
            VpcdLink link = new VpcdLink("127.0.0.1", server.getLocalPort(), card);
            Thread t = new Thread(link, "vpcd-test");
            t.start();
            try (Socket s = server.accept()) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                DataInputStream in = new DataInputStream(s.getInputStream());
                send(out, "04");
                assertThat(receive(in)).isEqualTo("3B8880016F7470746F6B656E19");
                send(out, "01");
                send(out, "00A4040007A0000005272101");
                assertThat(receive(in)).isEqualTo("A49000");
                send(out, "02");
                send(out, "00A1000000");
                assertThat(receive(in)).isEqualTo("A19000");
                send(out, "00");
                send(out, "04");
                receive(in);
            }
            // vpcd went away: the card loses power, the link keeps trying to reconnect
            try (Socket again = server.accept()) {
                DataOutputStream out = new DataOutputStream(again.getOutputStream());
                DataInputStream in = new DataInputStream(again.getInputStream());
                send(out, "04");
                assertThat(receive(in)).startsWith("3B88");
                assertThat(link.isConnected()).isTrue();
            }
            link.stop();
            t.join(5_000);
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(card.events).containsSubsequence("on", "apdu 00A4040007A0000005272101", "reset",
                "apdu 00A1000000", "off", "off");
    }

    @Test
    void addressSpecs() {
        assertThat(VpcdLink.parseAddress(null).getPort()).isEqualTo(35963);
        assertThat(VpcdLink.parseAddress("35964").getPort()).isEqualTo(35964);
        assertThat(VpcdLink.parseAddress("localhost:1234").getHostString()).isEqualTo("localhost");
        assertThat(VpcdLink.parseAddress("10.0.0.1:35963").getHostString()).isEqualTo("10.0.0.1");
        for (String bad : new String[] {"x:abc", "host:", ":1", "70000", "0"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> VpcdLink.parseAddress(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[HOST:]PORT");
        }
    }
}
