package dev.otptoken.protocol.apdu;

import static dev.otptoken.testing.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otptoken.testing.Hex;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseChainingTest {
    /** Answers from a script and records what it was sent. */
    static final class Scripted implements ApduTransport {
        final Deque<String> replies = new ArrayDeque<>();
        final List<String> sent = new ArrayList<>();
        boolean closed;

        Scripted(String... replies) {
            this.replies.addAll(List.of(replies));
        }

        @Override
        public byte[] transceive(byte[] command) {
            sent.add(Hex.of(command));
            return bytes(replies.removeFirst());
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void joinsChainWithSendRemaining() throws Exception {
        Scripted fake = new Scripted("0102 6102", "0304 6100", "05 9000");
        ResponseChaining chaining = new ResponseChaining(fake);
        assertThat(Hex.of(chaining.transceive(bytes("00A4000000")))).isEqualTo("01020304059000");
        assertThat(fake.sent).containsExactly("00A4000000", "00A50000", "00A50000");
        chaining.close();
        assertThat(fake.closed).isTrue();
    }

    @Test
    void passesUnchainedReplyThrough() throws Exception {
        Scripted fake = new Scripted("AABB 6A84");
        assertThat(Hex.of(new ResponseChaining(fake).transceive(bytes("00A1000000")))).isEqualTo("AABB6A84");
        assertThat(fake.sent).hasSize(1);
    }

    @Test
    void chainEndingInErrorKeepsDataAndErrorStatus() throws Exception {
        Scripted fake = new Scripted("01 6101", "6F00");
        assertThat(Hex.of(new ResponseChaining(fake).transceive(bytes("00A1000000")))).isEqualTo("016F00");
    }

    @Test
    void endlessChainIsBoundedByRounds() {
        int[] calls = {0};
        ApduTransport endless = command -> {
            calls[0]++;
            return bytes("00 6101");
        };
        assertThatThrownBy(() -> new ResponseChaining(endless).transceive(bytes("00A1000000")))
                .isInstanceOf(ChainingLimitException.class).hasMessageContaining("64");
        assertThat(calls[0]).isEqualTo(1 + ResponseChaining.DEFAULT_MAX_ROUNDS);
    }

    @Test
    void chainIsBoundedByBytes() {
        ApduTransport big = command -> {
            byte[] r = new byte[258];
            r[256] = 0x61;
            return r;
        };
        assertThatThrownBy(() -> new ResponseChaining(big, 1000, 1000).transceive(bytes("00A1000000")))
                .isInstanceOf(ChainingLimitException.class).hasMessageContaining("1000 bytes");
    }

    @Test
    void malformedLinkIsIOException() {
        Scripted fake = new Scripted("01 6101", "90");
        assertThatThrownBy(() -> new ResponseChaining(fake).transceive(bytes("00A1000000")))
                .isInstanceOf(ChainingLimitException.class);
    }
}
