package dev.otptoken.system;

import dev.otptoken.hardware.link.PseudoTerminal;
import dev.otptoken.hardware.link.TtyLink;
import dev.otptoken.protocol.t1.ByteLink;
import dev.otptoken.system.FaultPlan.Direction;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.tinylog.Logger;

/**
 * A bad serial line between a host and a token: it opens the token's pseudo-terminal as its
 * host would, creates its own pseudo-terminal for the real host, and copies bytes both ways
 * through a {@link FaultPlan} (drops, bit flips, duplicates, delays, truncated bursts, and
 * an optional unplug). Order is always kept: a delay holds back everything behind it, as a
 * stalled UART or USB hub would.
 *
 * <p>The token's device is opened twice (one descriptor the token-to-host pump reads, one the
 * host-to-token pump writes) because {@link TtyLink} serialises its read and write on one
 * monitor: a single link would hold every write behind a read's poll timeout.
 *
 * <p>Unplugging closes the relay's pseudo-terminal master: the host's open device hangs up
 * and its path vanishes, as when a USB token is pulled. The relay then stops; the token's
 * own pseudo-terminal stays up for the next relay or host.
 */
public final class FaultRelay implements Closeable {
    /** How long a pump waits for input before it looks at the stop flag again. */
    static final long POLL_MILLIS = 50;
    /** How long {@link #close()} waits for the pumps to leave. */
    static final long STOP_WAIT_MILLIS = 5_000;
    private static final int BUFFER_BYTES = 4096;
    private static final int BITS_PER_BYTE = 8;
    /** Distinct random streams per direction from one seed (golden-ratio increment). */
    private static final long DIRECTION_SALT = 0x9E3779B97F4A7C15L;

    private final FaultPlan plan;
    private final Path tokenDevice;
    private final PseudoTerminal hostSide;
    private final Map<Direction, Counters> counters = new EnumMap<>(Direction.class);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean unplugged = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(2);
    private final Thread toToken;
    private final Thread toHost;

    private FaultRelay(FaultPlan plan, Path tokenDevice, PseudoTerminal hostSide, TtyLink tokenRead,
                       TtyLink tokenWrite) {
        this.plan = plan;
        this.tokenDevice = tokenDevice;
        this.hostSide = hostSide;
        for (Direction d : Direction.values()) {
            counters.put(d, new Counters());
        }
        toToken = new Thread(() -> pump(Direction.HOST_TO_TOKEN, hostSide, tokenWrite, tokenWrite),
                "relay-to-token");
        toHost = new Thread(() -> pump(Direction.TOKEN_TO_HOST, tokenRead, hostSide, tokenRead),
                "relay-to-host");
        toToken.setDaemon(true);
        toHost.setDaemon(true);
    }

    /**
     * Opens {@code tokenDevice} (the token's pseudo-terminal slave), drops what the token
     * wrote while nobody listened, creates the host's pseudo-terminal and starts pumping.
     */
    public static FaultRelay start(Path tokenDevice, FaultPlan plan) throws IOException {
        Objects.requireNonNull(tokenDevice, "tokenDevice");
        Objects.requireNonNull(plan, "plan");
        TtyLink read = TtyLink.open(tokenDevice);
        TtyLink write = null;
        PseudoTerminal pty = null;
        try {
            write = TtyLink.open(tokenDevice);
            read.discardInput();
            pty = PseudoTerminal.open(Optional.empty());
            FaultRelay relay = new FaultRelay(plan, tokenDevice, pty, read, write);
            relay.toToken.start();
            relay.toHost.start();
            Logger.debug("relay {} -> {} up, {}", pty.slavePath(), tokenDevice, plan);
            return relay;
        } catch (IOException | RuntimeException e) {
            read.close();
            if (write != null) {
                write.close();
            }
            if (pty != null) {
                pty.close();
            }
            throw e;
        }
    }

    /** The device the host opens ({@code /dev/pts/M}); it vanishes at unplug or close. */
    public Path hostDevice() {
        return hostSide.slavePath();
    }

    /** The token's device this relay is attached to. */
    public Path tokenDevice() {
        return tokenDevice;
    }

    /** What went through in one direction so far. */
    public FaultCounts counts(Direction d) {
        return counters.get(d).snapshot();
    }

    /** Both directions summed. */
    public FaultCounts counts() {
        return counts(Direction.HOST_TO_TOKEN).plus(counts(Direction.TOKEN_TO_HOST));
    }

    /** True once the unplug trigger fired (or a device failed and the relay stopped). */
    public boolean unplugged() {
        return unplugged.get();
    }

    /** Stops both pumps, closes the host's device and lets go of the token's. Idempotent. */
    @Override
    public void close() throws IOException {
        running.set(false);
        hostSide.close();
        try {
            if (!stopped.await(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                toToken.interrupt();
                toHost.interrupt();
                if (!stopped.await(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    throw new IOException("relay pumps did not stop within " + 2 * STOP_WAIT_MILLIS + " ms");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while stopping the relay");
        }
    }

    @Override
    public String toString() {
        return "FaultRelay[" + hostDevice() + " -> " + tokenDevice + ", " + counts() + "]";
    }

    /** Copies {@code from} to {@code to} through the plan until stopped; closes {@code owned} on the way out. */
    private void pump(Direction d, ByteLink from, ByteLink to, Closeable owned) {
        Counters c = counters.get(d);
        SplittableRandom random = new SplittableRandom(plan.seed() + DIRECTION_SALT * (d.ordinal() + 1));
        long unplugAt = plan.unplug().filter(u -> u.direction() == d).map(FaultPlan.Unplug::afterBytes)
                .orElse(Long.MAX_VALUE);
        byte[] buf = new byte[BUFFER_BYTES];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            // Ends when stopped (close, unplug) or when either device fails.
            while (running.get()) {
                int n = from.read(buf, 0, buf.length, POLL_MILLIS);
                for (int i = 0; i < n; i++) {
                    if (c.bytes.get() >= unplugAt) {
                        flush(out, to);
                        unplug(d, unplugAt);
                        return;
                    }
                    c.bytes.incrementAndGet();
                    if (!apply(buf[i], n - i, out, to, random, c)) {
                        break;
                    }
                }
                flush(out, to);
            }
        } catch (IOException e) {
            if (running.get()) {
                Logger.debug("relay {} stopped: {}", d, e.getMessage());
                stopAfterFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                owned.close();
            } catch (IOException e) {
                Logger.debug("closing {}: {}", owned, e.getMessage());
            }
            stopped.countDown();
        }
    }

    /** One byte through the plan; false when the rest of the burst is cut. */
    private boolean apply(byte b, int leftInBurst, ByteArrayOutputStream out, ByteLink to, SplittableRandom random,
                          Counters c) throws IOException, InterruptedException {
        double u = random.nextDouble();
        if ((u -= plan.drop()) < 0) {
            c.dropped.incrementAndGet();
        } else if ((u -= plan.flip()) < 0) {
            c.flipped.incrementAndGet();
            out.write(b ^ (1 << random.nextInt(BITS_PER_BYTE)));
        } else if ((u -= plan.duplicate()) < 0) {
            c.duplicated.incrementAndGet();
            out.write(b);
            out.write(b);
        } else if ((u -= plan.delay()) < 0) {
            c.delayed.incrementAndGet();
            flush(out, to);
            Thread.sleep(plan.delayMinMillis() + random.nextLong(plan.delayMaxMillis() - plan.delayMinMillis() + 1));
            out.write(b);
        } else if ((u -= plan.truncate()) < 0) {
            c.truncated.incrementAndGet();
            c.truncatedBytes.addAndGet(leftInBurst);
            return false;
        } else {
            out.write(b);
        }
        return true;
    }

    private static void flush(ByteArrayOutputStream out, ByteLink to) throws IOException {
        if (out.size() > 0) {
            byte[] bytes = out.toByteArray();
            out.reset();
            to.write(bytes, 0, bytes.length);
        }
    }

    private void unplug(Direction d, long after) {
        unplugged.set(true);
        running.set(false);
        Logger.debug("relay unplugged after {} bytes {}", after, d);
        closeHostSide();
    }

    private void stopAfterFailure() {
        unplugged.set(true);
        running.set(false);
        closeHostSide();
    }

    private void closeHostSide() {
        try {
            hostSide.close();
        } catch (IOException e) {
            Logger.debug("closing {}: {}", hostSide, e.getMessage());
        }
    }

    private static final class Counters {
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong flipped = new AtomicLong();
        final AtomicLong duplicated = new AtomicLong();
        final AtomicLong delayed = new AtomicLong();
        final AtomicLong truncated = new AtomicLong();
        final AtomicLong truncatedBytes = new AtomicLong();

        FaultCounts snapshot() {
            return new FaultCounts(bytes.get(), dropped.get(), flipped.get(), duplicated.get(), delayed.get(),
                    truncated.get(), truncatedBytes.get());
        }
    }

    /**
     * {@code FaultRelay TOKEN_DEVICE [--rate R] [--seed S] [--unplug host-to-token|token-to-host:N]}: prints
     * {@code relay: /dev/pts/M} for the host, runs until unplugged or interrupted (Ctrl-C), then
     * prints what it injected. Rate: total faults per byte in {@link FaultPlan#mixed}'s mix (default 0.01).
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args.length < 1 || args.length % 2 == 0) {
            System.err.println("usage: FaultRelay TOKEN_DEVICE [--rate R] [--seed S]"
                    + " [--unplug host-to-token|token-to-host:N]");
            System.exit(2);
        }
        double rate = 0.01;
        long seed = 1;
        Optional<FaultPlan.Unplug> unplug = Optional.empty();
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--rate" -> rate = Double.parseDouble(args[i + 1]);
                case "--seed" -> seed = Long.decode(args[i + 1]);
                case "--unplug" -> {
                    String[] parts = args[i + 1].split(":", 2);
                    Direction d = Direction.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
                    unplug = Optional.of(new FaultPlan.Unplug(d, Long.parseLong(parts[1])));
                }
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        FaultPlan m = FaultPlan.mixed(rate, seed);
        FaultPlan plan = new FaultPlan(m.drop(), m.flip(), m.duplicate(), m.delay(), m.truncate(),
                m.delayMinMillis(), m.delayMaxMillis(), seed, unplug);
        FaultRelay relay = start(Path.of(args[0]), plan);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                relay.close();
            } catch (IOException e) {
                System.err.println("closing the relay: " + e.getMessage());
            }
            for (Direction d : Direction.values()) {
                out.println(d.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ": " + relay.counts(d));
            }
            out.flush();
        }));
        out.println("relay: " + relay.hostDevice());
        out.flush();
        // Runs until Ctrl-C (the hook prints the counts) or until the unplug trigger fires.
        while (!relay.unplugged()) {
            Thread.sleep(POLL_MILLIS);
        }
        System.exit(0);
    }
}
