package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --control SOCKET}: the headless commands from another program, answered on the connection. */
class ControlSocketTest {
    @TempDir
    Path dir;

    final RecordingControls controls = new RecordingControls();
    final List<String> calls = controls.calls;

    @Test
    void commandsOverTheSocketAndTheFileGoesAtClose() throws IOException {
        Path path = dir.resolve("ctl");
        try (ControlSocket c = ControlSocket.open(path, controls)) {
            assertThat(path).exists();
            for (int round = 0; round < 2; round++) {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(path));
                    var out = Channels.newOutputStream(ch);
                    var in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
                    out.write("temperature 12.5\nstatus\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    assertThat(in.readLine()).isEqualTo("temperature: 12.50");
                    assertThat(in.readLine()).isEqualTo("status: serial=1");
                }
            }
        }
        assertThat(calls).containsExactly("temperature 12.5", "status", "temperature 12.5", "status");
        assertThat(Files.exists(path)).isFalse();
    }

    @Test
    void anExistingFileIsNeverReplaced() throws IOException {
        Path path = Files.writeString(dir.resolve("ctl"), "mine");
        assertThatThrownBy(() -> ControlSocket.open(path, controls)).isInstanceOf(IOException.class)
                .hasMessage("--control " + path + ": the file exists");
        assertThat(Files.readString(path)).isEqualTo("mine");
    }

    /**
     * The simulator listens on its control socket before it says {@code attached:}: a program that
     * starts it and waits for that line (as calibrate --temperatures' callers do) finds the socket.
     */
    @Test
    void theSocketListensBeforeTheAttachedLine() throws Exception {
        for (int i = 0; i < 10; i++) {
            Path path = dir.resolve("ctl-" + i);
            try (TokenHarness t = TokenHarness.inProcess(dir.resolve("token-" + i + ".state"), "--control",
                    path.toString())) {
                assertThat(t.port).as("attached").isNotNull();
                assertThat(path).as("run %d: the socket when 'attached:' is read", i).exists();
            }
        }
    }
}
