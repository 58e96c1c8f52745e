package dev.otptoken.host.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.apdu.ApduTransport;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;

/** A token that expects exact command bytes, in order, and answers with scripted bytes. */
public final class ScriptedTransport implements ApduTransport {
    private static final HexFormat HEX = HexFormat.of();
    private final Deque<String[]> script = new ArrayDeque<>();

    /** A response that is no response: the transport fails, as a line that goes dead after the command. */
    public static final String DEAD_LINE = "dead line";

    /** Expect {@code command} (hex, spaces ignored) and answer {@code response}, or fail for {@link #DEAD_LINE}. */
    public ScriptedTransport expect(String command, String response) {
        script.add(new String[] {clean(command), clean(response)});
        return this;
    }

    @Override
    public byte[] transceive(byte[] command) throws IOException {
        assertThat(script).as("unexpected command %s", HEX.formatHex(command)).isNotEmpty();
        String[] next = script.removeFirst();
        assertThat(HEX.formatHex(command)).isEqualTo(next[0]);
        if (next[1].equals(clean(DEAD_LINE))) {
            throw new IOException("the line went dead");
        }
        return HEX.parseHex(next[1]);
    }

    public void assertDone() {
        assertThat(script).as("commands never sent").isEmpty();
    }

    static String clean(String hex) {
        return hex.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }
}
