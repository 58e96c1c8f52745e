package dev.otptoken.protocol.t1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.fuzz.FuzzSupport;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Example;

/**
 * Fuzzes the T=1 layer: {@link Block#decode} on random, mutated and mutated-then-resealed
 * blocks (a fresh CRC lets the mutation reach the PCB checks), and byte streams into
 * {@link T1Responder} and {@link T1Initiator}: they never throw, everything they send is a
 * sequence of valid blocks, the responder hands each command out at most once, and the
 * initiator completes each exchange at most once and never sends bytes of a finished command.
 */
class T1FuzzProperties {
    private static final long CI_INPUTS = 20_000;
    private static final long CI_STREAMS = 6_000;
    private static final int BATCH = 10_000;
    private static final int STREAM_BATCH = 2_000;
    private static final int MAX_RANDOM = 270;
    private static final int MAX_SEGMENTS = 24;
    private static final long MS = 1_000_000L;
    /** Up to three BWTs: enough to drive every timeout, retransmission and resynch bound. */
    private static final int MAX_JUMP_MS = 3_200;
    /** Marks a fuzz command and precedes its 4-byte id. */
    private static final byte[] MAGIC = {(byte) 0xF0, 0x22};
    private static final int ID_LENGTH = Integer.BYTES;
    private static final int MAX_COMMAND = 300;
    private static final int MAX_SINGLE_TAIL = Block.MAX_INF - MAGIC.length - ID_LENGTH;
    private static final HexFormat HEX = HexFormat.of();
    /** PCB bit 8 is 0 for I-blocks only. */
    private static final int I_BLOCK_MASK = 0x80;

    /** Every block kind, with both sequence numbers and chaining, as wire bytes. */
    static List<byte[]> blockCorpus() {
        List<byte[]> c = new ArrayList<>();
        for (int n = 0; n <= 1; n++) {
            c.add(Block.iBlock(n, false, HEX.parseHex("00a4040007a0000005272101")).encode());
            c.add(Block.iBlock(n, true, new byte[Block.DEFAULT_IFS]).encode());
            c.add(Block.iBlock(n, false, new byte[0]).encode());
            for (Block.RError e : Block.RError.values()) {
                c.add(Block.rBlock(n, e).encode());
            }
        }
        c.add(Block.iBlock(0, false, new byte[Block.MAX_INF]).encode());
        for (Block.SType s : Block.SType.values()) {
            c.add(Block.sBlock(s, false, 1).encode());
            c.add(Block.sBlock(s, true, Block.MAX_INF).encode());
        }
        c.add(new Block(0x21, Block.iBlock(0, false, new byte[3]).pcb(), new byte[3]).encode());
        return c;
    }

    @Example
    void blockDecodeGivesABlockOrFormatException() {
        List<byte[]> corpus = blockCorpus();
        FuzzSupport.run("t1-block", FuzzSupport.inputs("t1-block", CI_INPUTS), BATCH, (random, i) -> {
            byte[] input = switch (random.nextInt(3)) {
                case 0 -> FuzzSupport.randomBytes(random, MAX_RANDOM);
                case 1 -> FuzzSupport.mutate(random, corpus);
                default -> reseal(FuzzSupport.mutate(random, corpus));
            };
            int off = random.nextInt(3) == 0 ? random.nextInt(input.length + 4) - 2 : 0;
            int len = off == 0 ? input.length : random.nextInt(input.length + 4) - 2;
            Block b = FuzzSupport.valueOrDeclared(T1FormatException.class, input, () -> Block.decode(input, off, len));
            if (b != null) {
                assertThat(b.encode()).isEqualTo(Arrays.copyOfRange(input, off, off + len));
                assertThat(b.type()).isNotNull();
            }
        });
    }

    @Example
    void responderHandsOutEachCommandAtMostOnce() {
        // Stray I-blocks would be new host commands, outside the host model: R- and S-blocks only.
        List<byte[]> corpus = blockCorpus().stream().filter(b -> (b[1] & I_BLOCK_MASK) != 0).toList();
        FuzzSupport.run("t1-responder", FuzzSupport.inputs("t1-responder", CI_STREAMS), STREAM_BATCH,
                (random, i) -> responderStream(random, corpus));
    }

    @Example
    void initiatorCompletesEachExchangeAtMostOnce() {
        List<byte[]> corpus = blockCorpus();
        FuzzSupport.run("t1-initiator", FuzzSupport.inputs("t1-initiator", CI_STREAMS), STREAM_BATCH,
                (random, i) -> initiatorStream(random, corpus));
    }

    /**
     * A host that behaves as T=1 allows (it retransmits only its current command, moves to
     * the next command with the other N(S), restarts at N(S)=0 after RESYNCH) over a line that
     * adds noise, mutated blocks, stray R- and S-blocks and long pauses. Each command carries a
     * unique id, so a second hand-out of one id is a duplicate execution.
     */
    private static void responderStream(Random random, List<byte[]> corpus) {
        T1Responder card = new T1Responder(T1Timing.DEFAULT);
        long now = 0;
        int hostNs = 0;
        int id = 0;
        long lastNumber = card.commandNumber();
        Set<Integer> delivered = new HashSet<>();
        byte[] current = Block.iBlock(hostNs, false, command(random, id, MAX_SINGLE_TAIL)).encode();
        int segments = 1 + random.nextInt(MAX_SEGMENTS);
        for (int s = 0; s < segments; s++) {
            byte[] seg;
            switch (random.nextInt(10)) {
                case 0, 1, 2 -> seg = current;
                case 3 -> {
                    id++;
                    hostNs ^= 1;
                    current = Block.iBlock(hostNs, false, command(random, id, MAX_SINGLE_TAIL)).encode();
                    seg = current;
                }
                case 4 -> seg = FuzzSupport.randomBytes(random, MAX_RANDOM);
                case 5 -> seg = FuzzSupport.mutate(random, current, List.of(current));
                case 6 -> seg = corpus.get(random.nextInt(corpus.size())).clone();
                case 7 -> seg = Block.sBlock(Block.SType.RESYNCH, false, 0).encode();
                default -> {
                    now += random.nextInt(MAX_JUMP_MS) * MS;
                    seg = new byte[0];
                }
            }
            if (random.nextInt(4) == 0 && seg.length > 1) {
                // Split across two reads, as a serial line does.
                int cut = random.nextInt(seg.length);
                card.receive(seg, 0, cut, now);
                now += random.nextInt(2) * MS;
                card.receive(seg, cut, seg.length - cut, now);
            } else {
                card.receive(seg, 0, seg.length, now);
            }
            card.tick(now);
            if (card.takeWarmReset()) {
                // A RESYNCH (ours or a stray one) ended the session: the host starts over at N(S)=0.
                id++;
                hostNs = 0;
                current = Block.iBlock(hostNs, false, command(random, id, MAX_SINGLE_TAIL)).encode();
            }
            byte[] cmd = card.takeCommand();
            if (cmd != null) {
                assertThat(card.commandNumber()).isGreaterThan(lastNumber);
                lastNumber = card.commandNumber();
                Integer got = idOf(cmd);
                if (got != null) {
                    assertThat(delivered.add(got)).as("command %d handed out twice", got).isTrue();
                }
                if (random.nextInt(5) != 0) {
                    card.respond(card.commandNumber(), responseTo(cmd), now);
                }
            }
            assertValidBlocks(card.pollOutput());
        }
    }

    /**
     * A host that transmits unique commands (and resynchronises when it must) while the card
     * side of the line sends valid blocks of every kind, mutated blocks, noise and pauses.
     */
    private static void initiatorStream(Random random, List<byte[]> corpus) {
        T1Initiator host = new T1Initiator(T1Timing.DEFAULT);
        long now = 0;
        byte[] command = null;
        boolean exchangeOpen = false;
        int id = 0;
        host.resynch(now);
        int segments = 1 + random.nextInt(MAX_SEGMENTS);
        for (int s = 0; s < segments; s++) {
            if (host.status() == T1Initiator.Status.IDLE) {
                if (!host.isSynchronised()) {
                    host.resynch(now);
                    command = null;
                } else if (random.nextInt(6) == 0) {
                    host.negotiateIfs(1 + random.nextInt(Block.MAX_INF), now);
                    command = null;
                } else {
                    command = command(random, id++, MAX_COMMAND);
                    host.transmit(command, now);
                    exchangeOpen = true;
                }
            }
            byte[] out = host.pollOutput();
            for (Block b : assertValidBlocks(out)) {
                if (b.type() == Block.Type.I) {
                    assertThat(command).as("I-block outside an exchange").isNotNull();
                    assertThat(indexOf(command, b.inf())).as("I-block not from the current command").isNotNegative();
                }
            }
            byte[] seg = switch (random.nextInt(8)) {
                case 0, 1 -> validBlock(random).encode();
                case 2 -> Block.sBlock(Block.SType.RESYNCH, true, 0).encode();
                case 3 -> FuzzSupport.randomBytes(random, MAX_RANDOM);
                case 4 -> FuzzSupport.mutate(random, corpus);
                case 5 -> reseal(FuzzSupport.mutate(random, corpus));
                default -> {
                    now += random.nextInt(MAX_JUMP_MS) * MS;
                    yield new byte[0];
                }
            };
            host.receive(seg, 0, seg.length, now);
            host.tick(now);
            for (Block b : assertValidBlocks(host.pollOutput())) {
                if (b.type() == Block.Type.I) {
                    assertThat(command).as("I-block outside an exchange").isNotNull();
                    assertThat(indexOf(command, b.inf())).as("I-block not from the current command").isNotNegative();
                }
            }
            switch (host.status()) {
                case COMPLETE -> {
                    assertThat(exchangeOpen).as("a response without an open exchange").isTrue();
                    exchangeOpen = false;
                    assertThat(host.takeResponse()).isNotNull();
                    command = null;
                }
                case FAILED -> {
                    assertThat(host.takeFailure()).isNotBlank();
                    exchangeOpen = false;
                    command = null;
                }
                default -> {
                    // Still busy, or idle after a RESYNCH or IFS exchange.
                }
            }
            assertThat(host.ifsc()).isBetween(1, Block.MAX_INF);
        }
    }

    /** A well-formed block of a random kind, sequence number, chaining bit and size. */
    private static Block validBlock(Random random) {
        int n = random.nextInt(2);
        return switch (random.nextInt(3)) {
            case 0 -> Block.iBlock(n, random.nextBoolean(), FuzzSupport.randomBytes(random, Block.MAX_INF));
            case 1 -> Block.rBlock(n, Block.RError.values()[random.nextInt(Block.RError.values().length)]);
            default -> Block.sBlock(Block.SType.values()[random.nextInt(Block.SType.values().length)],
                    random.nextBoolean(), random.nextInt(256));
        };
    }

    /** MAGIC, the id, then random bytes: unique per stream, recognisable after reassembly. */
    private static byte[] command(Random random, int id, int maxTail) {
        byte[] tail = FuzzSupport.randomBytes(random, maxTail);
        return ByteBuffer.allocate(MAGIC.length + ID_LENGTH + tail.length).put(MAGIC).putInt(id).put(tail).array();
    }

    private static Integer idOf(byte[] cmd) {
        if (cmd.length < MAGIC.length + ID_LENGTH || cmd.length > MAGIC.length + ID_LENGTH + Block.MAX_INF
                || cmd[0] != MAGIC[0] || cmd[1] != MAGIC[1]) {
            return null;
        }
        return ByteBuffer.wrap(cmd, MAGIC.length, ID_LENGTH).getInt();
    }

    private static byte[] responseTo(byte[] cmd) {
        byte[] r = Arrays.copyOf(cmd, cmd.length + 2);
        r[cmd.length] = (byte) 0x90;
        return r;
    }

    /** Recomputes LEN-consistent CRC over a mutated block so that it passes the EDC check. */
    private static byte[] reseal(byte[] b) {
        if (b.length < Block.PROLOGUE + Block.EDC_LENGTH) {
            return b;
        }
        int body = b.length - Block.EDC_LENGTH;
        int crc = Crc16X25.compute(b, 0, body);
        b[body] = (byte) crc;
        b[body + 1] = (byte) (crc >>> Byte.SIZE);
        return b;
    }

    /** Splits what a state machine sent into blocks; each must decode. */
    static List<Block> assertValidBlocks(byte[] out) {
        List<Block> blocks = new ArrayList<>();
        int pos = 0;
        while (pos < out.length) {
            assertThat(out.length - pos).as("truncated block in %s", HEX.formatHex(out))
                    .isGreaterThanOrEqualTo(Block.PROLOGUE + Block.EDC_LENGTH);
            int len = Block.PROLOGUE + (out[pos + 2] & 0xFF) + Block.EDC_LENGTH;
            int at = pos;
            Block b = FuzzSupport.valueOrDeclared(T1FormatException.class, out, () -> Block.decode(out, at, len));
            assertThat(b).as("invalid block sent: %s", HEX.formatHex(out)).isNotNull();
            blocks.add(b);
            pos += len;
        }
        return blocks;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
