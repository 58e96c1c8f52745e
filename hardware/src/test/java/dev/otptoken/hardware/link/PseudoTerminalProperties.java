package dev.otptoken.hardware.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Any byte string crosses the pseudo-terminal unchanged, in both directions. */
class PseudoTerminalProperties {
    private static PseudoTerminal pty;
    private static HostPort host;

    @BeforeContainer
    static void open() throws Exception {
        pty = PseudoTerminal.open(Optional.empty());
        host = HostPort.open(pty.slavePath());
    }

    @AfterContainer
    static void close() throws Exception {
        host.close();
        pty.close();
    }

    @Property(tries = 300)
    void anyBytesCrossBothWays(@ForAll @Size(min = 1, max = 2048) byte[] frame) throws Exception {
        host.send(frame);
        assertThat(Links.readExactly(pty, frame.length)).isEqualTo(frame);

        pty.write(frame, 0, frame.length);
        assertThat(host.receive(frame.length)).isEqualTo(frame);
    }
}
