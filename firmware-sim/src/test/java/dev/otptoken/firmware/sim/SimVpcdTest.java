package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.testing.Hex;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulator with {@code --vpcd}: a scripted vpcd on loopback sees the card, and the
 * accounts written over the serial line are the ones the contactless interface lists
 * (one memory, one APDU at a time across both interfaces).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimVpcdTest {

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
    void bothInterfacesShareTheAccounts() throws Exception {
        try (ServerSocket vpcd = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             TokenHarness t = TokenHarness.inProcess(null, "--vpcd", "127.0.0.1:" + vpcd.getLocalPort())) {
            assertThat(t.attached()).isTrue();
            t.connect();
            t.ok(TokenHarness.OATH_SELECT);
            t.ok(SimTearingTest.PUT_TEST);
            try (Socket s = vpcd.accept()) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                DataInputStream in = new DataInputStream(s.getInputStream());
                frame(out, "04");
                assertThat(reply(in)).isEqualTo("3B80800101");
                frame(out, "01");
                frame(out, "00A4040005A000000308");
                assertThat(reply(in)).as("PIV is not here").isEqualTo("6A82");
                frame(out, TokenHarness.OATH_SELECT);
                assertThat(reply(in)).startsWith("790305").endsWith("9000");
                frame(out, SimTearingTest.LIST);
                assertThat(reply(in)).isEqualTo("7205217465737490" + "00");
                // the field goes away: volatile state (the selection) is lost, accounts are not
                frame(out, "00");
                frame(out, "01");
                frame(out, SimTearingTest.LIST);
                assertThat(reply(in)).isEqualTo("6A82");
            }
            // each interface has its own selection: the field coming and going on the
            // contactless side left the serial session's selection alone
            assertThat(t.ok(SimTearingTest.LIST)).isEqualTo("72052174657374");
            assertThat(t.quit()).isZero();
        }
    }

    /**
     * A vpcd nobody listens on stops the start (exit 4) with one line saying so, instead of a
     * token that attaches and then retries for ever (docs/otptoken-sim.md, --vpcd).
     */
    @Test
    void aVpcdThatCannotBeReachedEndsTheStartWithStatus4() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        java.nio.file.Path err = java.nio.file.Files.createTempFile("sim-err", ".txt");
        try {
            Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SimMain.class.getName(), "--headless", "--pty",
                    "--vpcd", "127.0.0.1:" + port)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("exited by itself").isTrue();
            assertThat(p.exitValue()).isEqualTo(SimMain.EXIT_DEVICE);
            assertThat(java.nio.file.Files.readString(err).lines().filter(l -> !l.contains("WARN")))
                    .containsExactly("otptoken-sim: vpcd at 127.0.0.1:" + port
                            + " cannot be reached (Connection refused): is pcscd running with vpcd?");
        } finally {
            java.nio.file.Files.delete(err);
        }
    }
}
