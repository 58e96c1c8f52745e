package dev.otptoken.host.simulator;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The host end of the simulator's control socket ({@code otptoken-sim --control SOCKET},
 * docs/otptoken-sim.md): text commands, one a line, each answered with one line. Only the
 * simulator has one; a real token's temperature is the operator's to change.
 */
public final class SimControl implements Closeable {
    private final SocketChannel channel;
    private final OutputStream out;
    private final BufferedReader in;

    private SimControl(SocketChannel channel) {
        this.channel = channel;
        this.out = Channels.newOutputStream(channel);
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    }

    public static SimControl connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot reach the simulator's control socket " + socket + " (" + e.getMessage() + ")", e);
        }
        return new SimControl(ch);
    }

    /** Sets the simulated temperature; the simulator's answer must confirm it. */
    public void temperature(double celsius) throws IOException {
        String cmd = String.format(Locale.ROOT, "temperature %.2f", celsius);
        out.write((cmd + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String reply = in.readLine();
        if (reply == null || !reply.startsWith("temperature: ")) {
            throw new IOException("the simulator did not take '" + cmd + "': " + (reply == null ? "no answer" : reply));
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
