package dev.otptoken.host.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.apdu.ApduTransport;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;

/** A token that expects exact command bytes, in order, and answers with scripted bytes. */
public final class ScriptedTransport implements ApduTransport {
    private static final HexFormat HEX = HexFormat.of();
    private final Deque<String[]> script = new ArrayDeque<>();

    /** Expect {@code command} (hex, spaces ignored) and answer {@code response}. */
    public ScriptedTransport expect(String command, String response) {
        script.add(new String[] {clean(command), clean(response)});
        return this;
    }

    @Override
    public byte[] transceive(byte[] command) {
        assertThat(script).as("unexpected command %s", HEX.formatHex(command)).isNotEmpty();
        String[] next = script.removeFirst();
        assertThat(HEX.formatHex(command)).isEqualTo(next[0]);
        return HEX.parseHex(next[1]);
    }

    public void assertDone() {
        assertThat(script).as("commands never sent").isEmpty();
    }

    static String clean(String hex) {
        return hex.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }
}
