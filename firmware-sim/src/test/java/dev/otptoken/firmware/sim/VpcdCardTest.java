package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.firmware.testing.Hex;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vpcd framing against a fake vpcd reader on a local socket. */
class VpcdCardTest {
    final List<String> events = new ArrayList<>();
    final Card card = new Card() {
        @Override
        public byte[] transmit(byte[] command) {
            events.add("apdu " + Hex.of(command));
            return Hex.bytes("6A82");
        }

        @Override
        public void warmReset() {
            events.add("reset");
        }

        @Override
        public void powerEvent() {
            events.add("power");
        }
    };

    static void frame(DataOutputStream out, String hex) throws Exception {
        byte[] b = Hex.bytes(hex);
        out.writeShort(b.length);
        out.write(b);
        out.flush();
    }

    static String reply(DataInputStream in) throws Exception {
        byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        return Hex.of(b);
    }

    @Test
    void controlCodesAndApdus() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            VpcdCard vpcd = VpcdCard.connect(card, InetSocketAddress.createUnresolved(
                    server.getInetAddress().getHostAddress(), server.getLocalPort()));
            Thread t = new Thread(() -> {
                try {
                    vpcd.serve();
                } catch (Exception e) {
                    events.add("failed " + e);
                }
            });
            t.start();
            try (Socket s = server.accept()) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                DataInputStream in = new DataInputStream(s.getInputStream());
                frame(out, "04");
                assertThat(reply(in)).isEqualTo("3B80800101");
                frame(out, "01");
                frame(out, "00A4040007A0000005272101");
                assertThat(reply(in)).isEqualTo("6A82");
                frame(out, "02");
                frame(out, "00");
                frame(out, "04");
                assertThat(reply(in)).isEqualTo("3B80800101");
            }
            t.join();
            vpcd.close();
        }
        assertThat(events).containsExactly("power", "apdu 00A4040007A0000005272101", "reset", "power");
    }

    @Test
    void addresses() {
        assertThat(VpcdCard.address("35964").getPort()).isEqualTo(35964);
        assertThat(VpcdCard.address("10.0.0.1:35963").getHostString()).isEqualTo("10.0.0.1");
        assertThatThrownBy(() -> VpcdCard.address("host:")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VpcdCard.address("70000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VpcdCard.address(":1")).isInstanceOf(IllegalArgumentException.class);
    }
}
