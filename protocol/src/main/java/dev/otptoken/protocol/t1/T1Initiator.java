package dev.otptoken.protocol.t1;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * The host side of T=1 as a pure state machine: fed with received bytes and the time (nanos),
 * it produces bytes to send and, per exchange, a response or a failure. No threads, no I/O.
 * Rules are in docs/t1.md; every retry is bounded by {@link T1Timing}.
 */
public final class T1Initiator {

    /** Largest APDU either way (extended APDU with Lc and Le, or 64 KiB data + SW). */
    public static final int MAX_APDU = 65_544;

    /** Where the machine stands. */
    public enum Status {
        /** Ready for {@link #transmit}; nothing to report. */
        IDLE,
        /** An exchange, IFS negotiation or RESYNCH is running: feed bytes and ticks. */
        BUSY,
        /** The response is ready: {@link #takeResponse()}. */
        COMPLETE,
        /** The operation failed: {@link #takeFailure()}. */
        FAILED
    }

    private enum Phase { NONE, RESYNCH, IFS, SEND_CHAIN, AWAIT_RESPONSE, RECV_CHAIN }

    private final T1Timing timing;
    private final BlockAssembler assembler;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private Status status = Status.IDLE;
    private Phase phase = Phase.NONE;
    private boolean synchronised;
    private int ns;
    private int nr;
    private int ifsc = Block.DEFAULT_IFS;
    private int pendingIfs;
    private byte[] command = new byte[0];
    private int commandOffset;
    private Block lastIBlock;
    private Block lastSent;
    private ByteArrayOutputStream response = new ByteArrayOutputStream();
    private int retries;
    private int resynchAttempts;
    private String failAfterResynch;
    private long deadline = Long.MAX_VALUE;
    private long exchangeDeadline = Long.MAX_VALUE;
    private byte[] result;
    private String failure;

    public T1Initiator(T1Timing timing) {
        this.timing = Objects.requireNonNull(timing, "timing");
        this.assembler = new BlockAssembler(timing.cwtNanos());
    }

    public Status status() {
        return status;
    }

    /** False until a RESYNCH succeeded, and again after the card stopped answering one. */
    public boolean isSynchronised() {
        return synchronised;
    }

    /** Current information field size towards the card. */
    public int ifsc() {
        return ifsc;
    }

    /** When {@link #tick} must be called at the latest; Long.MAX_VALUE when nothing waits. */
    public long nextDeadline() {
        return status == Status.BUSY ? Math.min(deadline, assembler.deadline()) : Long.MAX_VALUE;
    }

    /** Bytes to write to the line, possibly empty; clears the outbox. */
    public byte[] pollOutput() {
        byte[] bytes = out.toByteArray();
        out.reset();
        return bytes;
    }

    /** The completed response; the machine becomes IDLE. */
    public byte[] takeResponse() {
        if (status != Status.COMPLETE) {
            throw new IllegalStateException("no response: " + status);
        }
        status = Status.IDLE;
        byte[] r = result;
        result = null;
        return r;
    }

    /** The failure reason (no payload bytes in it); the machine becomes IDLE. */
    public String takeFailure() {
        if (status != Status.FAILED) {
            throw new IllegalStateException("no failure: " + status);
        }
        status = Status.IDLE;
        return failure;
    }

    /**
     * Gives up whatever was running because the line under it failed (a read or write error):
     * the machine becomes IDLE and unsynchronised, so the next exchange starts with S(RESYNCH),
     * as the card's state and the blocks in flight are unknown. Nothing to report.
     */
    public void abandon() {
        status = Status.IDLE;
        phase = Phase.NONE;
        synchronised = false;
        assembler.reset();
        out.reset();
        deadline = Long.MAX_VALUE;
        exchangeDeadline = Long.MAX_VALUE;
        result = null;
        failure = null;
    }

    /** Starts S(RESYNCH): session start, and recovery. Resets sequence numbers and IFS. */
    public void resynch(long now) {
        requireIdle();
        startResynch(now, null);
    }

    /** Proposes an information field size (1..254) for both directions. */
    public void negotiateIfs(int size, long now) {
        requireIdle();
        if (size < 1 || size > Block.MAX_INF) {
            throw new IllegalArgumentException("IFS must be 1..254");
        }
        begin(now);
        pendingIfs = size;
        phase = Phase.IFS;
        send(Block.sBlock(Block.SType.IFS, false, size), now);
    }

    /** Starts sending one command APDU. */
    public void transmit(byte[] apdu, long now) {
        requireIdle();
        Objects.requireNonNull(apdu, "apdu");
        if (apdu.length > MAX_APDU) {
            throw new IllegalArgumentException("APDU longer than " + MAX_APDU);
        }
        if (!synchronised) {
            throw new IllegalStateException("not synchronised: resynch first");
        }
        begin(now);
        command = apdu.clone();
        commandOffset = 0;
        response = new ByteArrayOutputStream();
        sendNextChunk(now);
    }

    /** Feeds received bytes. Never throws on any input. */
    public void receive(byte[] data, int off, int len, long now) {
        for (int i = off; i < off + len; i++) {
            if (assembler.expired(now)) {
                assembler.reset();
                onInvalid(Block.RError.OTHER, now);
            }
            BlockAssembler.Result r = assembler.add(data[i], now);
            if (r == BlockAssembler.Result.BLOCK) {
                onBlock(assembler.block(), now);
            } else if (r == BlockAssembler.Result.INVALID) {
                onInvalid(assembler.errorCode(), now);
            }
        }
        checkExchangeTime(now);
    }

    /** Lets time pass: CWT expiry of partial blocks, BWT timeouts. */
    public void tick(long now) {
        if (assembler.expired(now)) {
            assembler.reset();
            onInvalid(Block.RError.OTHER, now);
        }
        if (status == Status.BUSY && now - deadline >= 0) {
            onTimeout(now);
        }
        checkExchangeTime(now);
    }

    private void requireIdle() {
        if (status != Status.IDLE) {
            throw new IllegalStateException("busy: " + status);
        }
    }

    private void begin(long now) {
        status = Status.BUSY;
        retries = 0;
        exchangeDeadline = now + timing.maxExchangeNanos();
    }

    private void checkExchangeTime(long now) {
        if (status == Status.BUSY && phase != Phase.RESYNCH && now - exchangeDeadline >= 0) {
            synchronised = false;
            fail("exchange exceeded " + timing.maxExchange().toMillis() + " ms");
        }
    }

    private void send(Block b, long now) {
        out.writeBytes(b.encode());
        lastSent = b;
        deadline = now + timing.bwtNanos();
    }

    private void sendNextChunk(long now) {
        int chunk = Math.min(ifsc, command.length - commandOffset);
        boolean more = commandOffset + chunk < command.length;
        lastIBlock = Block.iBlock(ns, more,
                Arrays.copyOfRange(command, commandOffset, commandOffset + chunk));
        phase = more ? Phase.SEND_CHAIN : Phase.AWAIT_RESPONSE;
        send(lastIBlock, now);
    }

    private void startResynch(long now, String reason) {
        begin(now);
        failAfterResynch = reason;
        resynchAttempts = 1;
        phase = Phase.RESYNCH;
        assembler.reset();
        send(Block.sBlock(Block.SType.RESYNCH, false, 0), now);
    }

    private void fail(String reason) {
        status = Status.FAILED;
        phase = Phase.NONE;
        failure = reason;
        command = new byte[0];
        response = new ByteArrayOutputStream();
    }

    private void complete() {
        status = Status.COMPLETE;
        phase = Phase.NONE;
        result = response.toByteArray();
        response = new ByteArrayOutputStream();
    }

    /** A retransmission or error report; past the bound, the session is resynchronised. */
    private void retry(long now, Block toSend) {
        if (++retries > timing.maxRetransmissions()) {
            startResynch(now, "no valid reply after " + timing.maxRetransmissions() + " retransmissions");
            return;
        }
        send(toSend, now);
    }

    private void onTimeout(long now) {
        switch (phase) {
            case RESYNCH -> {
                if (resynchAttempts >= timing.maxResynchs()) {
                    synchronised = false;
                    String reason = failAfterResynch == null ? "" : failAfterResynch + "; ";
                    fail(reason + "card did not answer " + resynchAttempts + " S(RESYNCH) requests");
                } else {
                    resynchAttempts++;
                    send(lastSent, now);
                }
            }
            case IFS -> retry(now, Block.sBlock(Block.SType.IFS, false, pendingIfs));
            case SEND_CHAIN, AWAIT_RESPONSE, RECV_CHAIN -> retry(now, Block.rBlock(nr, Block.RError.OTHER));
            default -> deadline = Long.MAX_VALUE;
        }
    }

    private void onInvalid(Block.RError code, long now) {
        if (status != Status.BUSY) {
            return;
        }
        switch (phase) {
            case IFS -> retry(now, Block.sBlock(Block.SType.IFS, false, pendingIfs));
            case SEND_CHAIN, AWAIT_RESPONSE, RECV_CHAIN -> retry(now, Block.rBlock(nr, code));
            default -> {
                // RESYNCH: only its response matters; the timeout drives retransmission.
            }
        }
    }

    private void onBlock(Block b, long now) {
        if (status != Status.BUSY) {
            return;
        }
        if (b.nad() != Block.NAD_DEFAULT) {
            onInvalid(Block.RError.OTHER, now);
            return;
        }
        if (phase == Phase.RESYNCH) {
            if (b.isS(Block.SType.RESYNCH, true)) {
                synchronised = true;
                ns = 0;
                nr = 0;
                ifsc = Block.DEFAULT_IFS;
                if (failAfterResynch != null) {
                    fail(failAfterResynch);
                } else {
                    status = Status.IDLE;
                    phase = Phase.NONE;
                }
                deadline = Long.MAX_VALUE;
            }
            return;
        }
        if (b.type() == Block.Type.S && !b.isResponse()) {
            onSRequest(b, now);
            return;
        }
        if (phase == Phase.IFS) {
            if (b.isS(Block.SType.IFS, true) && b.sValue() == pendingIfs) {
                ifsc = pendingIfs;
                status = Status.IDLE;
                phase = Phase.NONE;
                deadline = Long.MAX_VALUE;
            } else {
                onInvalid(Block.RError.OTHER, now);
            }
            return;
        }
        switch (b.type()) {
            case R -> onRBlock(b, now);
            case I -> onIBlock(b, now);
            default -> onInvalid(Block.RError.OTHER, now);
        }
    }

    private void onSRequest(Block b, long now) {
        Block.SType type = b.sType();
        if (type == Block.SType.WTX) {
            int multiplier = Math.max(1, b.sValue());
            out.writeBytes(Block.sBlock(Block.SType.WTX, true, b.sValue()).encode());
            deadline = now + multiplier * timing.bwtNanos();
        } else if (type == Block.SType.IFS && b.sValue() >= 1 && b.sValue() <= Block.MAX_INF) {
            out.writeBytes(Block.sBlock(Block.SType.IFS, true, b.sValue()).encode());
            ifsc = b.sValue();
            deadline = now + timing.bwtNanos();
        } else if (type == Block.SType.ABORT) {
            out.writeBytes(Block.sBlock(Block.SType.ABORT, true, 0).encode());
            // Which chained blocks the card counted is unknown: resynch before the next exchange.
            synchronised = false;
            fail("card aborted the exchange");
        } else {
            onInvalid(Block.RError.OTHER, now);
        }
    }

    private void onRBlock(Block b, long now) {
        switch (phase) {
            case SEND_CHAIN -> {
                if (b.nr() != ns) {
                    ns ^= 1;
                    commandOffset += lastIBlock.infLength();
                    retries = 0;
                    sendNextChunk(now);
                } else {
                    retry(now, lastIBlock);
                }
            }
            case AWAIT_RESPONSE -> {
                if (b.nr() == ns) {
                    retry(now, lastIBlock);
                } else {
                    onInvalid(Block.RError.OTHER, now);
                }
            }
            case RECV_CHAIN -> retry(now, Block.rBlock(nr, Block.RError.OK));
            default -> onInvalid(Block.RError.OTHER, now);
        }
    }

    private void onIBlock(Block b, long now) {
        if (phase == Phase.SEND_CHAIN) {
            if (b.ns() != nr) {
                retry(now, lastIBlock);
            } else {
                onInvalid(Block.RError.OTHER, now);
            }
            return;
        }
        if (b.ns() != nr) {
            // A repeat of a block already taken: our I-block or our ack did not arrive.
            retry(now, phase == Phase.AWAIT_RESPONSE ? lastIBlock : Block.rBlock(nr, Block.RError.OK));
            return;
        }
        if (response.size() + b.infLength() > MAX_APDU) {
            startResynch(now, "response longer than " + MAX_APDU + " bytes");
            return;
        }
        if (phase == Phase.AWAIT_RESPONSE) {
            ns ^= 1;
        }
        nr ^= 1;
        retries = 0;
        response.writeBytes(b.inf());
        if (b.more()) {
            phase = Phase.RECV_CHAIN;
            send(Block.rBlock(nr, Block.RError.OK), now);
        } else {
            deadline = Long.MAX_VALUE;
            complete();
        }
    }
}
