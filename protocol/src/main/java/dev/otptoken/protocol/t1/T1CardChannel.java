package dev.otptoken.protocol.t1;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Blocking card driver: runs a {@link T1Responder} over a {@link ByteLink} and executes each
 * command on a worker thread it owns, so the line keeps sending S(WTX) while a handler waits
 * (e.g. for a button press).
 */
public final class T1CardChannel {

    /** The card's application: the applet dispatcher. */
    public interface CardHandler {
        /** Executes one command APDU; may block for long (button press). */
        byte[] process(byte[] command);

        /** S(RESYNCH) arrived: clear selection, unlock and chaining state. */
        void warmReset();
    }

    private static final long NANOS_PER_MILLI = 1_000_000L;
    /** How often the loop looks at the worker when the line is quiet. */
    private static final long POLL_MILLIS = 5;
    private static final int READ_BUFFER = 512;

    private final ByteLink link;
    private final T1Timing timing;
    private final T1Responder responder;
    private final LongSupplier nanoTime;
    private final byte[] buf = new byte[READ_BUFFER];
    private volatile boolean stopRequested;
    private volatile long stalls;
    private volatile long droppedBytes;
    private volatile CountDownLatch serving;

    public T1CardChannel(ByteLink link, T1Timing timing) {
        this(link, timing, System::nanoTime);
    }

    /** With an injected monotonic clock (nanos). */
    public T1CardChannel(ByteLink link, T1Timing timing, LongSupplier nanoTime) {
        this.link = Objects.requireNonNull(link, "link");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.responder = new T1Responder(timing);
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * Serves commands until {@link #stop()}. Throws the link's IOException when the link is gone
     * (the worker is interrupted then).
     */
    public void serve(CardHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        CountDownLatch done = new CountDownLatch(1);
        serving = done;
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "t1-card-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            loop(handler, worker);
        } finally {
            worker.shutdownNow();
            done.countDown();
        }
    }

    /** Lets the current command finish and its response go out, then ends {@link #serve}. */
    public void stop() {
        stopRequested = true;
        CountDownLatch s = serving;
        if (s != null) {
            try {
                s.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop(CardHandler handler, ExecutorService worker) throws IOException {
        Future<byte[]> running = null;
        long runningNumber = 0;
        long drainUntil = Long.MAX_VALUE;
        while (true) {
            long now = nanoTime.getAsLong();
            if (running != null && running.isDone()) {
                byte[] response = result(running);
                if (response == null) {
                    responder.abort(runningNumber);
                } else {
                    responder.respond(runningNumber, response, now);
                }
                running = null;
            }
            if (responder.takeWarmReset()) {
                worker.submit(handler::warmReset);
            }
            byte[] command = responder.takeCommand();
            if (command != null) {
                runningNumber = responder.commandNumber();
                running = worker.submit(() -> processAndWipe(handler, command));
            }
            flush();
            if (stopRequested && running == null) {
                if (!responder.isSendingChain()) {
                    return;
                }
                // Bounded wait for the host to fetch the rest of a chained response.
                if (drainUntil == Long.MAX_VALUE) {
                    drainUntil = now + (timing.maxRetransmissions() + 1L) * timing.bwtNanos();
                } else if (now - drainUntil >= 0) {
                    return;
                }
            }
            long wait = responder.nextDeadline() - now;
            long millis = Math.min(POLL_MILLIS, Math.max(1, wait / NANOS_PER_MILLI));
            if (running != null) {
                // While a command runs, its answer is what the line waits for: wake the moment
                // the worker has it, then take without waiting whatever the host sent meanwhile.
                // Waiting in the read instead put every answer a whole poll period after its
                // command, however short the work: 5 ms added to each exchange, and a reply
                // time fixed while the instant the applet ran (and read its clock) moved.
                awaitQuietly(running, millis);
                millis = 0;
            }
            int n = link.read(buf, 0, buf.length, millis);
            now = nanoTime.getAsLong();
            if (n > 0) {
                responder.receive(buf, 0, n, now);
                // The bytes may be part of a command carrying a key: no copy stays here.
                Arrays.fill(buf, 0, n, (byte) 0);
            }
            responder.tick(now);
        }
    }

    /** Runs the command, then zeroes its bytes whatever the outcome: a command may carry a key. */
    private static byte[] processAndWipe(CardHandler handler, byte[] command) {
        try {
            return handler.process(command);
        } finally {
            Arrays.fill(command, (byte) 0);
        }
    }

    private static void awaitQuietly(Future<byte[]> f, long millis) {
        try {
            f.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still running, or failed: the loop's next pass reads the outcome with result()
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] result(Future<byte[]> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Sends what the responder has queued. When the host does not read (line noise with no
     * reader, a host that went away mid-exchange) the link drops the unsent bytes after its
     * stall limit and says so with {@link LinkStalledException}: the card drops its reply, as a
     * token does that cannot send, and keeps listening. T=1 recovers from a lost reply (the
     * host's R-block makes the responder send its last block again; a new host opens with
     * S(RESYNCH)). Any other IOException means the line is gone and ends {@link #serve}.
     */
    private void flush() throws IOException {
        byte[] bytes = responder.pollOutput();
        if (bytes.length > 0) {
            try {
                link.write(bytes, 0, bytes.length);
            } catch (LinkStalledException e) {
                stalls++;
                droppedBytes += e.droppedBytes();
            }
        }
    }

    /** How many writes the link gave up on because the host did not read (tests, diagnostics). */
    public long stalls() {
        return stalls;
    }

    /** Bytes of replies dropped in those writes. */
    public long droppedBytes() {
        return droppedBytes;
    }
}
