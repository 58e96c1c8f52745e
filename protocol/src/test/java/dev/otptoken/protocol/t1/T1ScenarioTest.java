package dev.otptoken.protocol.t1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exact-hex exchanges; expected bytes computed independently (bitwise CRC in Python). */
class T1ScenarioTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final long MS = 1_000_000L;
    private static final String RESYNCH_REQ = "00C000660C";
    private static final String RESYNCH_RESP = "00E000552F";
    private static final String SELECT = "00A4040008A000000527210101";
    private static final String SELECT_I0 = "00000D00A4040008A00000052721010182BE";
    private static final String SW_OK_I0 = "00000290009263";

    private T1Initiator host;
    private T1Responder card;
    private long now;

    @BeforeEach
    void setUp() {
        host = new T1Initiator(T1Timing.DEFAULT);
        card = new T1Responder(T1Timing.DEFAULT);
        now = 0;
    }

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    private String hostOut() {
        return HEX.formatHex(host.pollOutput());
    }

    private String cardOut() {
        return HEX.formatHex(card.pollOutput());
    }

    private void toCard(String s) {
        byte[] b = hex(s);
        card.receive(b, 0, b.length, now);
    }

    private void toHost(String s) {
        byte[] b = hex(s);
        host.receive(b, 0, b.length, now);
    }

    private void synchronise() {
        host.resynch(now);
        assertThat(hostOut()).isEqualTo(RESYNCH_REQ);
        toCard(RESYNCH_REQ);
        assertThat(cardOut()).isEqualTo(RESYNCH_RESP);
        assertThat(card.takeWarmReset()).isTrue();
        toHost(RESYNCH_RESP);
        assertThat(host.status()).isEqualTo(T1Initiator.Status.IDLE);
        assertThat(host.isSynchronised()).isTrue();
    }

    @Test
    void crcCheckValue() {
        assertThat(Crc16X25.compute("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x906E);
    }

    @Test
    void edcIsSentLowByteFirst() throws T1FormatException {
        // CRC over 00 00 0D <select> is 0xBE82: the block ends 82 BE.
        assertThat(HEX.formatHex(Block.iBlock(0, false, hex(SELECT)).encode())).isEqualTo(SELECT_I0);
        assertThat(Block.decode(hex(SELECT_I0), 0, 18)).isEqualTo(Block.iBlock(0, false, hex(SELECT)));
        assertThatThrownBy(() -> Block.decode(hex("00000D00A4040008A000000527210101BE82"), 0, 18))
                .isInstanceOf(T1FormatException.class).hasMessageContaining("EDC");
    }

    @Test
    void supervisoryAndReceiveReadyVectors() {
        assertThat(HEX.formatHex(Block.sBlock(Block.SType.RESYNCH, false, 0).encode())).isEqualTo(RESYNCH_REQ);
        assertThat(HEX.formatHex(Block.sBlock(Block.SType.WTX, false, 1).encode())).isEqualTo("00C301017111");
        assertThat(HEX.formatHex(Block.sBlock(Block.SType.IFS, true, 0xFE).encode())).isEqualTo("00E101FE8AA8");
        assertThat(HEX.formatHex(Block.rBlock(1, Block.RError.OK).encode())).isEqualTo("00900091DF");
        assertThat(HEX.formatHex(Block.rBlock(0, Block.RError.EDC).encode())).isEqualTo("008100D853");
        assertThat(Block.iBlock(1, true, new byte[40]).toString())
                .isEqualTo("Block[I(ns=1, more=true), nad=00, inf=40 bytes]");
    }

    @Test
    void shortExchange() {
        synchronise();
        host.transmit(hex(SELECT), now);
        assertThat(hostOut()).isEqualTo(SELECT_I0);
        toCard(SELECT_I0);
        assertThat(card.takeCommand()).isEqualTo(hex(SELECT));
        assertThat(card.takeCommand()).isNull();
        assertThat(card.respond(card.commandNumber(), hex("9000"), now)).isTrue();
        assertThat(cardOut()).isEqualTo(SW_OK_I0);
        toHost(SW_OK_I0);
        assertThat(host.status()).isEqualTo(T1Initiator.Status.COMPLETE);
        assertThat(host.takeResponse()).isEqualTo(hex("9000"));
        // Second exchange uses N(S)=1 on both sides.
        host.transmit(hex(SELECT), now);
        assertThat(hostOut()).isEqualTo("00400D00A4040008A0000005272101013025");
    }

    @Test
    void chainingHostToCard() {
        synchronise();
        byte[] cmd = new byte[40];
        for (int i = 0; i < cmd.length; i++) {
            cmd[i] = (byte) i;
        }
        host.transmit(cmd, now);
        String first = "002020000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1FB085";
        assertThat(hostOut()).isEqualTo(first);
        toCard(first);
        assertThat(card.takeCommand()).isNull();
        assertThat(cardOut()).isEqualTo("00900091DF");
        toHost("00900091DF");
        assertThat(hostOut()).isEqualTo("0040082021222324252627CF7E");
        toCard("0040082021222324252627CF7E");
        assertThat(card.takeCommand()).isEqualTo(cmd);
        card.respond(card.commandNumber(), hex("9000"), now);
        assertThat(cardOut()).isEqualTo(SW_OK_I0);
        toHost(SW_OK_I0);
        assertThat(host.takeResponse()).isEqualTo(hex("9000"));
    }

    @Test
    void chainingCardToHost() {
        synchronise();
        host.transmit(hex("00A40400"), now);
        assertThat(hostOut()).isEqualTo("00000400A40400B6AA");
        toCard("00000400A40400B6AA");
        card.takeCommand();
        byte[] resp = new byte[40];
        for (int i = 0; i < 38; i++) {
            resp[i] = (byte) (0x80 + i);
        }
        resp[38] = (byte) 0x90;
        String first = "002020808182838485868788898A8B8C8D8E8F909192939495969798999A9B9C9D9E9FF078";
        card.respond(card.commandNumber(), resp, now);
        assertThat(cardOut()).isEqualTo(first);
        toHost(first);
        assertThat(host.status()).isEqualTo(T1Initiator.Status.BUSY);
        assertThat(hostOut()).isEqualTo("00900091DF");
        toCard("00900091DF");
        assertThat(cardOut()).isEqualTo("004008A0A1A2A3A4A5900046A6");
        toHost("004008A0A1A2A3A4A5900046A6");
        assertThat(host.takeResponse()).isEqualTo(resp);
    }

    @Test
    void corruptedCommandIsRetransmittedAndExecutedOnce() {
        synchronise();
        host.transmit(hex(SELECT), now);
        assertThat(hostOut()).isEqualTo(SELECT_I0);
        toCard("00000D00A4040008A00000052721010082BE"); // last INF bit flipped
        assertThat(card.takeCommand()).isNull();
        assertThat(cardOut()).isEqualTo("008100D853");
        toHost("008100D853");
        assertThat(hostOut()).isEqualTo(SELECT_I0);
        toCard(SELECT_I0);
        assertThat(card.takeCommand()).isEqualTo(hex(SELECT));
        card.respond(card.commandNumber(), hex("9000"), now);
        // The response is corrupted on the way: the host asks again, the card repeats it.
        assertThat(cardOut()).isEqualTo(SW_OK_I0);
        toHost("00000290019263");
        assertThat(hostOut()).isEqualTo("008100D853");
        toCard("008100D853");
        assertThat(cardOut()).isEqualTo(SW_OK_I0);
        assertThat(card.takeCommand()).isNull();
        toHost(SW_OK_I0);
        assertThat(host.takeResponse()).isEqualTo(hex("9000"));
        // A duplicate of the command is answered from memory, not executed again.
        toCard(SELECT_I0);
        assertThat(card.takeCommand()).isNull();
        assertThat(cardOut()).isEqualTo(SW_OK_I0);
    }

    @Test
    void waitingTimeExtensionDuringSlowCommand() {
        synchronise();
        host.transmit(hex(SELECT), now);
        toCard(hostOut());
        assertThat(card.takeCommand()).isNotNull();
        now = 500 * MS;
        card.tick(now);
        assertThat(cardOut()).isEqualTo("00C301017111");
        toHost("00C301017111");
        assertThat(hostOut()).isEqualTo("00E301014A12");
        toCard("00E301014A12");
        assertThat(cardOut()).isEmpty();
        now = 1200 * MS; // past the original BWT, inside the extension
        host.tick(now);
        assertThat(hostOut()).isEmpty();
        assertThat(host.status()).isEqualTo(T1Initiator.Status.BUSY);
        card.tick(now);
        assertThat(cardOut()).isEqualTo("00C301017111");
        card.respond(card.commandNumber(), hex("9000"), now);
        assertThat(cardOut()).isEqualTo(SW_OK_I0);
        toHost(SW_OK_I0);
        assertThat(host.takeResponse()).isEqualTo(hex("9000"));
    }

    @Test
    void silentCardLeadsToThreeRetriesThenResynch() {
        synchronise();
        host.transmit(hex(SELECT), now);
        assertThat(hostOut()).isEqualTo(SELECT_I0);
        for (int i = 1; i <= 3; i++) {
            now += 1000 * MS;
            host.tick(now);
            assertThat(hostOut()).isEqualTo("008200B079");
        }
        now += 1000 * MS;
        host.tick(now);
        assertThat(hostOut()).isEqualTo(RESYNCH_REQ);
        toCard(RESYNCH_REQ);
        assertThat(cardOut()).isEqualTo(RESYNCH_RESP);
        assertThat(card.takeWarmReset()).isTrue();
        toHost(RESYNCH_RESP);
        assertThat(host.status()).isEqualTo(T1Initiator.Status.FAILED);
        assertThat(host.takeFailure()).contains("3 retransmissions");
        assertThat(host.isSynchronised()).isTrue();
        // Sequence numbers restart at 0.
        host.transmit(hex(SELECT), now);
        assertThat(hostOut()).isEqualTo(SELECT_I0);
    }

    @Test
    void resynchUnansweredFailsAfterBound() {
        host.resynch(now);
        assertThat(hostOut()).isEqualTo(RESYNCH_REQ);
        now += 1000 * MS;
        host.tick(now);
        assertThat(hostOut()).isEqualTo(RESYNCH_REQ);
        now += 1000 * MS;
        host.tick(now);
        assertThat(hostOut()).isEqualTo(RESYNCH_REQ);
        now += 1000 * MS;
        host.tick(now);
        assertThat(hostOut()).isEmpty();
        assertThat(host.status()).isEqualTo(T1Initiator.Status.FAILED);
        assertThat(host.isSynchronised()).isFalse();
    }

    @Test
    void ifsChangeThenTwoHundredBytesInOneBlock() {
        synchronise();
        host.negotiateIfs(0xFE, now);
        assertThat(hostOut()).isEqualTo("00C101FEB1AB");
        toCard("00C101FEB1AB");
        assertThat(cardOut()).isEqualTo("00E101FE8AA8");
        toHost("00E101FE8AA8");
        assertThat(host.status()).isEqualTo(T1Initiator.Status.IDLE);
        assertThat(host.ifsc()).isEqualTo(254);
        byte[] big = new byte[200];
        StringBuilder infHex = new StringBuilder();
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7);
            infHex.append(String.format(java.util.Locale.ROOT, "%02X", (i * 7) & 0xFF));
        }
        host.transmit(big, now);
        assertThat(hostOut()).isEqualTo("0000C8" + infHex + "C07F");
        toCard("0000C8" + infHex + "C07F");
        assertThat(card.takeCommand()).isEqualTo(big);
    }
}
