package dev.otptoken.host.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.protocol.apdu.ApduTransport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenAddressTest {
    /** An opener that says which of its two ways it was asked to open, and for what. */
    private static final class RecordingOpener implements Token.Opener {
        final List<String> opened = new ArrayList<>();
        final ScriptedTransport transport = new ScriptedTransport();

        @Override
        public ApduTransport serial(TokenAddress.SerialPort port) {
            opened.add("serial " + port.device());
            return transport;
        }

        @Override
        public ApduTransport pcsc(TokenAddress.PcscReader reader) {
            opened.add("pcsc " + reader.name());
            return transport;
        }
    }

    @Test
    void aSerialPortOpensTheSerialLineAndAReaderOpensPcsc() throws IOException {
        RecordingOpener opener = new RecordingOpener();
        try (Token port = Token.open(new TokenAddress.SerialPort("/dev/pts/4"), opener);
             Token reader = Token.open(new TokenAddress.PcscReader("Virtual PCD 00 00"), opener)) {
            assertThat(port.address()).isEqualTo(new TokenAddress.SerialPort("/dev/pts/4"));
            assertThat(reader.address()).isEqualTo(new TokenAddress.PcscReader("Virtual PCD 00 00"));
        }
        assertThat(opener.opened).containsExactly("serial /dev/pts/4", "pcsc Virtual PCD 00 00");
    }

    @Test
    void theSameNameIsTwoAddressesWhenItIsAPortAndAReader() {
        TokenAddress port = new TokenAddress.SerialPort("token");
        TokenAddress reader = new TokenAddress.PcscReader("token");
        assertThat(port).isNotEqualTo(reader);
        assertThat(port.label()).isEqualTo(reader.label()).isEqualTo("token");
    }

    @Test
    void messagesShowTheNameAsGiven() {
        assertThat(new TokenAddress.SerialPort("/dev/ttyACM0")).hasToString("/dev/ttyACM0");
        assertThat(new TokenAddress.PcscReader("Yubico YubiKey OTP+FIDO+CCID 00 00"))
                .hasToString("Yubico YubiKey OTP+FIDO+CCID 00 00");
        assertThat(new TokenAddress.SerialPort("/dev/pts/9").label()).isEqualTo("/dev/pts/9");
    }

    @Test
    void anAddressNeedsAName() {
        assertThatThrownBy(() -> new TokenAddress.SerialPort(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new TokenAddress.PcscReader(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theLockedTokensPromptNamesItsAddress() throws Exception {
        RecordingOpener opener = new RecordingOpener();
        opener.transport.expect("00 A4 04 00 07 A0 00 00 05 27 21 01",
                "79 03 05 07 00 71 08 0102030405060708 74 08 a1a2a3a4a5a6a7a8 7B 01 01 90 00");
        List<String> prompts = new ArrayList<>();
        try (Token token = Token.open(new TokenAddress.PcscReader("Virtual PCD 00 00"), opener)) {
            assertThatThrownBy(() -> token.oath(prompt -> {
                prompts.add(prompt);
                return null;
            })).isInstanceOf(PasswordRequiredException.class);
        }
        assertThat(prompts).containsExactly("password for the token at Virtual PCD 00 00: ");
        opener.transport.assertDone();
    }
}
