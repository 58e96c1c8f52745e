package dev.otptoken.protocol.t1;

import java.io.IOException;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Blocking host driver: runs a {@link T1Initiator} over a {@link ByteLink}. Reads wait at most
 * until the machine's next deadline, so every call returns within the exchange bound of
 * {@link T1Timing}. Not thread-safe: one exchange at a time.
 */
public final class T1HostChannel implements AutoCloseable {

    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final int READ_BUFFER = 512;

    private final ByteLink link;
    private final T1Initiator initiator;
    private final LongSupplier nanoTime;
    private final byte[] buf = new byte[READ_BUFFER];
    private boolean open;

    public T1HostChannel(ByteLink link, T1Timing timing) {
        this(link, timing, System::nanoTime);
    }

    /** With an injected monotonic clock (nanos). */
    public T1HostChannel(ByteLink link, T1Timing timing, LongSupplier nanoTime) {
        this.link = Objects.requireNonNull(link, "link");
        this.initiator = new T1Initiator(timing);
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Drops stale input and synchronises with the card (S(RESYNCH), a warm reset of the card). */
    public void open() throws IOException {
        link.discardInput();
        resynch();
        open = true;
    }

    /** Proposes an information field size (1..254) for both directions. */
    public void negotiateIfs(int size) throws IOException {
        requireOpen();
        initiator.negotiateIfs(size, nanoTime.getAsLong());
        drive();
        if (initiator.status() == T1Initiator.Status.FAILED) {
            throw new T1Exception("IFS negotiation failed: " + initiator.takeFailure());
        }
    }

    /** Current information field size towards the card. */
    public int ifsc() {
        return initiator.ifsc();
    }

    /** Sends one command APDU and returns the card's response APDU. */
    public byte[] transceive(byte[] command) throws IOException {
        requireOpen();
        if (!initiator.isSynchronised()) {
            resynch();
        }
        initiator.transmit(command, nanoTime.getAsLong());
        drive();
        if (initiator.status() == T1Initiator.Status.COMPLETE) {
            return initiator.takeResponse();
        }
        throw new T1Exception(initiator.status() == T1Initiator.Status.FAILED
                ? initiator.takeFailure() : "exchange ended in state " + initiator.status());
    }

    @Override
    public void close() throws IOException {
        open = false;
        link.close();
    }

    private void requireOpen() throws T1Exception {
        if (!open) {
            throw new T1Exception("channel not open");
        }
    }

    private void resynch() throws IOException {
        initiator.resynch(nanoTime.getAsLong());
        drive();
        if (initiator.status() == T1Initiator.Status.FAILED) {
            throw new T1Exception(initiator.takeFailure());
        }
    }

    /**
     * Loops until the machine leaves BUSY; bounded because the machine's deadlines are. When
     * the line fails under it, the machine is abandoned (the next exchange starts with
     * S(RESYNCH)) and the failure goes to the caller.
     */
    private void drive() throws IOException {
        try {
            run();
        } catch (IOException | RuntimeException e) {
            initiator.abandon();
            throw e;
        }
    }

    private void run() throws IOException {
        while (true) {
            flush();
            if (initiator.status() != T1Initiator.Status.BUSY) {
                return;
            }
            long now = nanoTime.getAsLong();
            long wait = initiator.nextDeadline() - now;
            if (wait <= 0) {
                initiator.tick(now);
                continue;
            }
            long millis = Math.max(1, (wait + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI);
            int n = link.read(buf, 0, buf.length, millis);
            now = nanoTime.getAsLong();
            if (n > 0) {
                initiator.receive(buf, 0, n, now);
            }
            initiator.tick(now);
        }
    }

    private void flush() throws IOException {
        byte[] bytes = initiator.pollOutput();
        if (bytes.length > 0) {
            link.write(bytes, 0, bytes.length);
        }
    }
}
