package dev.otptoken.firmware.sim;

import dev.otptoken.log.Log;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --control PATH}: a Unix-domain socket taking the headless commands ({@code status},
 * {@code temperature C}, {@code press}, ...) from other programs, one connection at a time,
 * each answered as on standard output (docs/otptoken-sim.md, "Control socket"). This is how
 * {@code otptoken calibrate --temperatures --sim-control PATH} moves the simulated
 * temperature. The socket file is removed at exit; an existing file is never replaced.
 */
final class ControlSocket implements AutoCloseable {
    private final Path path;
    private final ServerSocketChannel server;
    private final Thread thread;

    private ControlSocket(Path path, ServerSocketChannel server, Controls controls) {
        this.path = path;
        this.server = server;
        this.thread = new Thread(() -> serve(controls), "otptoken-sim-control");
        thread.setDaemon(true);
    }

    /** Binds the socket; fails when PATH exists. */
    static ControlSocket open(Path path, Controls controls) throws IOException {
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("--control " + path + ": the file exists");
        }
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            s.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            s.close();
            throw new IOException("--control " + path + ": cannot listen (" + e.getMessage() + ")", e);
        }
        ControlSocket c = new ControlSocket(path, s, controls);
        c.thread.start();
        return c;
    }

    private void serve(Controls controls) {
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                PrintStream out = new PrintStream(Channels.newOutputStream(ch), true, StandardCharsets.UTF_8);
                new Headless(out).readCommands(new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                        StandardCharsets.UTF_8)), controls);
            } catch (IOException e) {
                if (server.isOpen()) {
                    Log.debug("control connection ended: {}", e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            Log.debug("closing the control socket: {}", e.getMessage());
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            Log.warn("cannot remove the control socket {}: {}", path, e.getMessage());
        }
    }
}
