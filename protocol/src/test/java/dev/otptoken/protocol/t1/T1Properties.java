package dev.otptoken.protocol.t1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

class T1Properties {

    private static final long MS = 1_000_000L;

    @Provide
    Arbitrary<Block> blocks() {
        Arbitrary<Integer> nad = Arbitraries.integers().between(0, 255);
        Arbitrary<Block> iBlocks = Combinators.combine(Arbitraries.integers().between(0, 1),
                Arbitraries.of(true, false), Arbitraries.bytes().array(byte[].class).ofMaxSize(254))
                .as(Block::iBlock);
        Arbitrary<Block> rBlocks = Combinators.combine(Arbitraries.integers().between(0, 1),
                Arbitraries.of(Block.RError.class)).as(Block::rBlock);
        Arbitrary<Block> sBlocks = Combinators.combine(Arbitraries.of(Block.SType.class),
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 255)).as(Block::sBlock);
        return Combinators.combine(nad, Arbitraries.oneOf(iBlocks, rBlocks, sBlocks))
                .as((n, b) -> new Block(n, b.pcb(), b.inf()));
    }

    @Property
    void encodeDecodeRoundTrip(@ForAll("blocks") Block block) throws T1FormatException {
        byte[] wire = block.encode();
        assertThat(Block.decode(wire, 0, wire.length)).isEqualTo(block);
        byte[] padded = new byte[wire.length + 3];
        System.arraycopy(wire, 0, padded, 2, wire.length);
        assertThat(Block.decode(padded, 2, wire.length)).isEqualTo(block);
    }

    @Property
    void decodeAnyBytesGivesBlockOrFormatException(@ForAll @Size(max = 300) byte[] bytes,
                                                    @ForAll @IntRange(min = -2, max = 310) int off,
                                                    @ForAll @IntRange(min = -2, max = 310) int len) {
        for (int[] range : new int[][] {{0, bytes.length}, {off, len}}) {
            try {
                Block b = Block.decode(bytes, range[0], range[1]);
                assertThat(b.encode()).isEqualTo(Arrays.copyOfRange(bytes, range[0], range[0] + range[1]));
            } catch (T1FormatException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Property
    void singleBitFlipIsAlwaysDetected(@ForAll("blocks") Block block, @ForAll @IntRange(min = 0, max = 2071) int bit) {
        byte[] wire = block.encode();
        int b = bit % (wire.length * 8);
        wire[b / 8] ^= (byte) (1 << (b % 8));
        try {
            Block.decode(wire, 0, wire.length);
            throw new AssertionError("flip not detected");
        } catch (T1FormatException expected) {
            // The CRC catches every single-bit error.
        }
    }

    @Property
    void stateMachinesSurviveAnyBytes(@ForAll @Size(max = 20) List<@Size(max = 80) byte[]> chunks,
                                      @ForAll @IntRange(min = 0, max = 3) int hostMode) {
        T1Initiator host = new T1Initiator(T1Timing.DEFAULT);
        T1Responder card = new T1Responder(T1Timing.DEFAULT);
        long now = 0;
        host.resynch(now);
        if (hostMode > 0) {
            byte[] resp = Block.sBlock(Block.SType.RESYNCH, true, 0).encode();
            host.receive(resp, 0, resp.length, now);
            if (hostMode == 2) {
                host.transmit(new byte[100], now);
            } else if (hostMode == 3) {
                host.negotiateIfs(100, now);
            }
        }
        for (byte[] c : chunks) {
            now += 37 * MS;
            host.receive(c, 0, c.length, now);
            card.receive(c, 0, c.length, now);
            host.tick(now);
            card.tick(now);
            byte[] cmd = card.takeCommand();
            if (cmd != null) {
                card.respond(card.commandNumber(), cmd, now);
            }
            host.pollOutput();
            card.pollOutput();
            if (host.status() == T1Initiator.Status.COMPLETE) {
                host.takeResponse();
            } else if (host.status() == T1Initiator.Status.FAILED) {
                host.takeFailure();
            }
        }
    }

    /**
     * A byte pipe in one direction that drops, flips and duplicates bytes with the given
     * per-byte probabilities. It also watches for the one thing a 16-bit EDC cannot stop: a
     * damaged stream that holds a CRC-valid block the sender never sent (a chance of about
     * 2^-16 per damaged block). Such a forgery is indistinguishable from a real block to any
     * T=1 implementation, so a scenario in which one could have occurred is excluded from the
     * exact checks, and counted. The watch over-approximates: once the stream is damaged, the
     * receiver's framing may be off anywhere, so every CRC-valid window it has not been sent
     * counts (random payloads hold such windows now and then); an undamaged stream never
     * counts, since the receiver then only frames at block boundaries.
     */
    private static final class NoisyWire {
        private final Random random;
        private final double drop;
        private final double flip;
        private final double dup;
        private final Set<String> sent = new HashSet<>();
        private final byte[] seen = new byte[2 * Block.MAX_BLOCK];
        private int seenCount;
        private boolean damaged;
        private boolean forged;

        NoisyWire(long seed, double drop, double flip, double dup) {
            this.random = new Random(seed);
            this.drop = drop;
            this.flip = flip;
            this.dup = dup;
        }

        byte[] carry(byte[] in) {
            validBlocks(in, 0, in.length, 0, sent);
            byte[] out = new byte[in.length * 2];
            int n = 0;
            for (byte b : in) {
                if (random.nextDouble() < drop) {
                    damaged = true;
                    continue;
                }
                byte v = b;
                if (random.nextDouble() < flip) {
                    v = (byte) (b ^ (1 << random.nextInt(8)));
                    damaged = true;
                }
                out[n++] = v;
                if (random.nextDouble() < dup) {
                    out[n++] = v;
                    damaged = true;
                }
            }
            byte[] result = Arrays.copyOf(out, n);
            watch(result);
            return result;
        }

        /** True once the receiving side could have been handed a block nobody sent. */
        boolean forged() {
            return forged;
        }

        private void watch(byte[] received) {
            for (byte b : received) {
                if (seenCount == seen.length) {
                    System.arraycopy(seen, Block.MAX_BLOCK, seen, 0, seen.length - Block.MAX_BLOCK);
                    seenCount -= Block.MAX_BLOCK;
                }
                seen[seenCount++] = b;
                if (!damaged) {
                    continue;
                }
                Set<String> ending = new HashSet<>();
                validBlocks(seen, 0, seenCount, seenCount, ending);
                for (String block : ending) {
                    if (!sent.contains(block)) {
                        forged = true;
                    }
                }
            }
        }

        /** Adds every CRC-valid block in buf[from, to) (ending exactly at {@code end} if end > 0). */
        private static void validBlocks(byte[] buf, int from, int to, int end, Set<String> into) {
            for (int start = from; start + Block.PROLOGUE + Block.EDC_LENGTH <= to; start++) {
                int len = Block.PROLOGUE + (buf[start + 2] & 0xFF) + Block.EDC_LENGTH;
                if (start + len > to || (end > 0 && start + len != end)) {
                    continue;
                }
                try {
                    Block.decode(buf, start, len);
                    into.add(HexFormat.of().formatHex(buf, start, start + len));
                } catch (T1FormatException notABlock) {
                    // Not a block at this offset.
                }
            }
        }
    }

    private static byte[] responseFor(byte[] command) {
        byte[] r = new byte[command.length + 2];
        for (int i = 0; i < command.length; i++) {
            r[i] = (byte) ~command[command.length - 1 - i];
        }
        r[command.length] = (byte) 0x90;
        return r;
    }

    private record Outcome(List<byte[]> delivered, List<byte[]> responses, boolean forged) {
    }

    /** Runs the APDUs through both machines in virtual time; null response = reported failure. */
    private static Outcome simulate(List<byte[]> apdus, NoisyWire toCard, NoisyWire toHost, int slowEvery) {
        T1Timing timing = T1Timing.DEFAULT;
        T1Initiator host = new T1Initiator(timing);
        T1Responder card = new T1Responder(timing);
        List<byte[]> delivered = new ArrayList<>();
        List<byte[]> responses = new ArrayList<>();
        long[] now = {0};
        long[] respondAt = {Long.MAX_VALUE};
        byte[][] pending = {null};
        long[] pendingNumber = {0};
        int steps = 0;
        for (byte[] apdu : apdus) {
            boolean sent = false;
            while (true) {
                if (++steps > 200_000) {
                    throw new AssertionError("simulation did not terminate");
                }
                if (host.status() == T1Initiator.Status.IDLE) {
                    if (sent) {
                        break;
                    }
                    if (!host.isSynchronised()) {
                        host.resynch(now[0]);
                    } else {
                        host.transmit(apdu, now[0]);
                        sent = true;
                    }
                } else if (host.status() == T1Initiator.Status.COMPLETE) {
                    responses.add(host.takeResponse());
                    break;
                } else if (host.status() == T1Initiator.Status.FAILED) {
                    host.takeFailure();
                    if (sent) {
                        responses.add(null);
                        break;
                    }
                    // Initial RESYNCH failed: try again (bounded by the step limit).
                    now[0] += timing.bwtNanos();
                    continue;
                }
                boolean moved = false;
                byte[] h = toCard.carry(host.pollOutput());
                if (h.length > 0) {
                    card.receive(h, 0, h.length, now[0]);
                    moved = true;
                }
                byte[] cmd = card.takeCommand();
                if (cmd != null) {
                    delivered.add(cmd);
                    pending[0] = cmd;
                    pendingNumber[0] = card.commandNumber();
                    boolean slow = slowEvery > 0 && delivered.size() % slowEvery == 0;
                    respondAt[0] = now[0] + (slow ? 3 * timing.bwtNanos() : 0);
                }
                if (pending[0] != null && now[0] >= respondAt[0]) {
                    card.respond(pendingNumber[0], responseFor(pending[0]), now[0]);
                    pending[0] = null;
                    respondAt[0] = Long.MAX_VALUE;
                }
                byte[] c = toHost.carry(card.pollOutput());
                if (c.length > 0) {
                    host.receive(c, 0, c.length, now[0]);
                    moved = true;
                }
                if (!moved) {
                    long next = Math.min(Math.min(host.nextDeadline(), card.nextDeadline()), respondAt[0]);
                    if (next != Long.MAX_VALUE && next > now[0]) {
                        now[0] = next;
                    } else {
                        now[0] += MS;
                    }
                    host.tick(now[0]);
                    card.tick(now[0]);
                }
            }
        }
        return new Outcome(delivered, responses, toCard.forged() || toHost.forged());
    }

    @Provide
    Arbitrary<List<byte[]>> apduLists() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300).list().ofMinSize(1).ofMaxSize(8);
    }

    /** Unique first bytes make a repeated or reordered delivery visible. */
    private static List<byte[]> tagged(List<byte[]> apdus) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < apdus.size(); i++) {
            byte[] a = apdus.get(i);
            byte[] t = new byte[a.length + 1];
            t[0] = (byte) i;
            System.arraycopy(a, 0, t, 1, a.length);
            out.add(t);
        }
        return out;
    }

    @Property(tries = 200)
    void noisyChannelDeliversAtMostOnceInOrderAndNeverAWrongResponse(
            @ForAll("apduLists") List<byte[]> raw, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3) int slowEvery) {
        List<byte[]> apdus = tagged(raw);
        Outcome o = simulate(apdus, new NoisyWire(seed, 0.01, 0.01, 0.01),
                new NoisyWire(~seed, 0.01, 0.01, 0.01), slowEvery);
        Statistics.label("forged block on the wire").collect(o.forged());
        if (o.forged()) {
            // A CRC-16 collision: no T=1 receiver can tell it from a real block (see NoisyWire).
            return;
        }
        int next = 0;
        for (byte[] d : o.delivered()) {
            int index = -1;
            for (int i = next; i < apdus.size(); i++) {
                if (Arrays.equals(apdus.get(i), d)) {
                    index = i;
                    break;
                }
            }
            assertThat(index).as("delivered APDU is new and in order").isGreaterThanOrEqualTo(next);
            next = index + 1;
        }
        assertThat(o.responses()).hasSize(apdus.size());
        for (int i = 0; i < apdus.size(); i++) {
            byte[] r = o.responses().get(i);
            if (r != null) {
                assertThat(r).isEqualTo(responseFor(apdus.get(i)));
                byte[] apdu = apdus.get(i);
                assertThat(o.delivered()).as("answered APDU was delivered").anySatisfy(d -> assertThat(d).isEqualTo(apdu));
            }
        }
    }

    @Property(tries = 100)
    void theForgeryWatchSeesEveryValidBlockThatWasNotSent(@ForAll("blocks") Block sent, @ForAll("blocks") Block other,
                                                         @ForAll @Size(max = 5) byte[] junk) {
        NoisyWire wire = new NoisyWire(0, 0, 0, 0);
        wire.carry(sent.encode());
        assertThat(wire.forged()).isFalse();
        wire.watch(forgeryAfter(junk, other.encode()));
        assertThat(wire.forged()).as("an undamaged stream is framed at block boundaries").isFalse();
        wire.damaged = true;
        byte[] forgery = other.encode();
        wire.watch(forgeryAfter(junk, forgery));
        assertThat(wire.forged()).isEqualTo(!Arrays.equals(forgery, sent.encode()));
    }

    private static byte[] forgeryAfter(byte[] junk, byte[] forgery) {
        byte[] stream = new byte[junk.length + forgery.length];
        System.arraycopy(junk, 0, stream, 0, junk.length);
        System.arraycopy(forgery, 0, stream, junk.length, forgery.length);
        return stream;
    }

    @Property(tries = 50)
    void cleanChannelDeliversEverything(@ForAll("apduLists") List<byte[]> raw,
                                        @ForAll @IntRange(min = 0, max = 2) int slowEvery) {
        List<byte[]> apdus = tagged(raw);
        Outcome o = simulate(apdus, new NoisyWire(0, 0, 0, 0), new NoisyWire(0, 0, 0, 0), slowEvery);
        assertThat(o.forged()).isFalse();
        assertThat(o.delivered()).containsExactlyElementsOf(apdus);
        for (int i = 0; i < apdus.size(); i++) {
            assertThat(o.responses().get(i)).isEqualTo(responseFor(apdus.get(i)));
        }
    }
}
