package dev.otptoken.protocol.t1;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * The card side of T=1 as a pure state machine. It reassembles command APDUs, hands each to
 * the caller exactly once ({@link #takeCommand()}), keeps the host waiting with S(WTX) while
 * the caller works, and sends the response given to {@link #respond}. A repeated I-block is
 * answered by retransmitting the last block, never by executing the command again.
 */
public final class T1Responder {

    private final T1Timing timing;
    private final BlockAssembler assembler;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int expected;
    private int ns;
    private int ifs = Block.DEFAULT_IFS;
    private ByteArrayOutputStream command = new ByteArrayOutputStream();
    private boolean overflow;
    private byte[] response;
    private int responseOffset;
    private Block lastSent;
    private boolean busy;
    private long nextWtx = Long.MAX_VALUE;
    private byte[] pendingCommand;
    private long commandNumber;
    private boolean warmReset;

    public T1Responder(T1Timing timing) {
        this.timing = Objects.requireNonNull(timing, "timing");
        this.assembler = new BlockAssembler(timing.cwtNanos());
    }

    /** Bytes to write to the line, possibly empty; clears the outbox. */
    public byte[] pollOutput() {
        byte[] bytes = out.toByteArray();
        out.reset();
        return bytes;
    }

    /** A complete command APDU not yet handed out, or null. Each command is handed out once. */
    public byte[] takeCommand() {
        byte[] c = pendingCommand;
        pendingCommand = null;
        return c;
    }

    /** Number of the latest command handed out; pass it back to {@link #respond}. */
    public long commandNumber() {
        return commandNumber;
    }

    /** True once after each S(RESYNCH): the card must do a warm reset. */
    public boolean takeWarmReset() {
        boolean w = warmReset;
        warmReset = false;
        return w;
    }

    /** A command is being processed (WTX requests are due). */
    public boolean isBusy() {
        return busy;
    }

    /** True while a chained response still waits for the host's acknowledgements. */
    public boolean isSendingChain() {
        return lastSent != null && lastSent.type() == Block.Type.I && lastSent.more();
    }

    /** Current information field size towards the host. */
    public int ifs() {
        return ifs;
    }

    /** When {@link #tick} must be called at the latest; Long.MAX_VALUE when nothing waits. */
    public long nextDeadline() {
        return Math.min(busy ? nextWtx : Long.MAX_VALUE, assembler.deadline());
    }

    /**
     * Sends the response to command {@code number}. Returns false (and sends nothing) if that
     * command was abandoned by a RESYNCH in the meantime.
     */
    public boolean respond(long number, byte[] apdu, long now) {
        Objects.requireNonNull(apdu, "apdu");
        if (!busy || number != commandNumber) {
            return false;
        }
        if (apdu.length > T1Initiator.MAX_APDU) {
            throw new IllegalArgumentException("response longer than " + T1Initiator.MAX_APDU);
        }
        busy = false;
        nextWtx = Long.MAX_VALUE;
        response = apdu.clone();
        responseOffset = 0;
        sendNextChunk();
        return true;
    }

    /** Gives up on command {@code number} (the handler failed): S(ABORT) tells the host. */
    public boolean abort(long number) {
        if (!busy || number != commandNumber) {
            return false;
        }
        busy = false;
        nextWtx = Long.MAX_VALUE;
        lastSent = null;
        emit(Block.sBlock(Block.SType.ABORT, false, 0));
        return true;
    }

    /** Feeds received bytes. Never throws on any input. */
    public void receive(byte[] data, int off, int len, long now) {
        for (int i = off; i < off + len; i++) {
            if (assembler.expired(now)) {
                assembler.reset();
            }
            BlockAssembler.Result r = assembler.add(data[i], now);
            if (r == BlockAssembler.Result.BLOCK) {
                onBlock(assembler.block(), now);
            } else if (r == BlockAssembler.Result.INVALID) {
                onInvalid(assembler.errorCode());
            }
        }
    }

    /** Lets time pass: drops stale partial blocks, sends S(WTX) while busy. */
    public void tick(long now) {
        if (assembler.expired(now)) {
            // Silently: the host's BWT timeout recovers, and garbage must not trigger chatter.
            assembler.reset();
        }
        if (busy && now - nextWtx >= 0) {
            emit(Block.sBlock(Block.SType.WTX, false, timing.wtxMultiplier()));
            nextWtx = now + timing.wtxIntervalNanos();
        }
    }

    private void emit(Block b) {
        out.writeBytes(b.encode());
    }

    private void sendTracked(Block b) {
        emit(b);
        lastSent = b;
    }

    private void sendNextChunk() {
        int chunk = Math.min(ifs, response.length - responseOffset);
        boolean more = responseOffset + chunk < response.length;
        Block b = Block.iBlock(ns, more, Arrays.copyOfRange(response, responseOffset, responseOffset + chunk));
        ns ^= 1;
        sendTracked(b);
    }

    private void retransmitLast() {
        if (lastSent != null) {
            emit(lastSent);
        } else {
            emit(Block.rBlock(expected, Block.RError.OTHER));
        }
    }

    private void onInvalid(Block.RError code) {
        if (busy) {
            emit(Block.sBlock(Block.SType.WTX, false, timing.wtxMultiplier()));
        } else {
            emit(Block.rBlock(expected, code));
        }
    }

    private void onBlock(Block b, long now) {
        if (b.nad() != Block.NAD_DEFAULT) {
            onInvalid(Block.RError.OTHER);
            return;
        }
        if (b.type() == Block.Type.S) {
            onSBlock(b);
            return;
        }
        if (busy) {
            // The host lost track of our WTX: remind it instead of answering.
            emit(Block.sBlock(Block.SType.WTX, false, timing.wtxMultiplier()));
            nextWtx = now + timing.wtxIntervalNanos();
            return;
        }
        if (b.type() == Block.Type.R) {
            if (isSendingChain() && b.nr() != lastSent.ns()) {
                responseOffset += lastSent.infLength();
                sendNextChunk();
            } else {
                retransmitLast();
            }
            return;
        }
        if (b.ns() != expected) {
            retransmitLast();
            return;
        }
        if (isSendingChain()) {
            // ISO/IEC 7816-3 forbids a new I-block while our chain is unacknowledged.
            emit(Block.rBlock(expected, Block.RError.OTHER));
            return;
        }
        expected ^= 1;
        if (command.size() + b.infLength() > T1Initiator.MAX_APDU) {
            overflow = true;
        } else {
            command.writeBytes(b.inf());
        }
        if (b.more()) {
            sendTracked(Block.rBlock(expected, Block.RError.OK));
            return;
        }
        byte[] apdu = command.toByteArray();
        command = new ByteArrayOutputStream();
        if (overflow) {
            overflow = false;
            lastSent = null;
            emit(Block.sBlock(Block.SType.ABORT, false, 0));
            return;
        }
        busy = true;
        commandNumber++;
        pendingCommand = apdu;
        nextWtx = now + timing.wtxIntervalNanos();
    }

    private void onSBlock(Block b) {
        Block.SType type = b.sType();
        if (b.isResponse()) {
            // WTX and ABORT responses need no action; others are ignored.
            return;
        }
        switch (type) {
            case RESYNCH -> {
                expected = 0;
                ns = 0;
                ifs = Block.DEFAULT_IFS;
                command = new ByteArrayOutputStream();
                overflow = false;
                response = null;
                lastSent = null;
                busy = false;
                nextWtx = Long.MAX_VALUE;
                pendingCommand = null;
                commandNumber++;
                warmReset = true;
                emit(Block.sBlock(Block.SType.RESYNCH, true, 0));
            }
            case IFS -> {
                if (b.sValue() >= 1 && b.sValue() <= Block.MAX_INF) {
                    ifs = b.sValue();
                    emit(Block.sBlock(Block.SType.IFS, true, b.sValue()));
                } else {
                    onInvalid(Block.RError.OTHER);
                }
            }
            case ABORT -> {
                command = new ByteArrayOutputStream();
                overflow = false;
                if (isSendingChain()) {
                    lastSent = null;
                }
                emit(Block.sBlock(Block.SType.ABORT, true, 0));
            }
            default -> onInvalid(Block.RError.OTHER);
        }
    }
}
