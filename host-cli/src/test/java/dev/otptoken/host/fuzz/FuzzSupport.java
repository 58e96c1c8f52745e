package dev.otptoken.host.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The shared fuzz loop (docs/reliability.md, "Fuzzing"). jqwik cannot take its number of
 * tries from a system property, so each fuzz class has one jqwik {@code @Example} that calls
 * {@link #run} with N inputs drawn from a {@link Random} seeded by {@code otptoken.fuzz.seed}:
 * the count is set per run ({@code -Dotptoken.fuzz.inputs=1000000}) and a failure names the
 * seed and input index, so it replays exactly.
 *
 * <p>Three checks: each input is judged by the target (value or declared exception); each
 * batch of inputs runs under {@code assertTimeoutPreemptively} with a generous limit, so a hang
 * fails instead of stalling the build (not a speed test); and the heap that survives
 * {@code System.gc()} after the run may exceed the one after warm-up by at most
 * {@link #HEAP_SLACK_BYTES}. Copied in the firmware-sim and host-cli test trees: modules share
 * no test code.
 */
public final class FuzzSupport {
    /** System property: inputs per target (all targets). */
    public static final String INPUTS_PROPERTY = "otptoken.fuzz.inputs";
    /** System property: seed of the input generators. */
    public static final String SEED_PROPERTY = "otptoken.fuzz.seed";
    /** Default seed, so that CI runs are reproducible. */
    public static final long DEFAULT_SEED = 0x0770_704BL;
    /** Retained-heap growth allowed over a whole run. */
    public static final long HEAP_SLACK_BYTES = 32L * 1024 * 1024;
    /** A batch that takes this long is a hang, whatever the machine. */
    public static final Duration BATCH_LIMIT = Duration.ofSeconds(120);

    private static final int GC_ROUNDS = 3;
    private static final int MAX_MUTATIONS = 4;
    private static final int MAX_INSERT = 16;
    private static final byte[] INTERESTING = {0x00, (byte) 0xFF, 0x7F, (byte) 0x80, 0x01, (byte) 0x81,
        (byte) 0x82, (byte) 0xFE, 0x02, 0x40};

    private FuzzSupport() {
    }

    /** One fuzz input: generate it from {@code random}, feed it, judge the outcome. */
    @FunctionalInterface
    public interface Target {
        void fuzzOne(Random random, long index) throws Exception;
    }

    /** What a finished run measured; printed so the local million-input runs can be reported. */
    public record Report(String name, long inputs, Duration wall, long heapGrowthBytes) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "fuzz %s: %d inputs in %.1f s, retained heap growth %d KiB",
                    name, inputs, wall.toMillis() / 1000.0, heapGrowthBytes / 1024);
        }
    }

    /** Inputs for this target: {@code otptoken.fuzz.inputs.<name>}, else {@code otptoken.fuzz.inputs}, else the CI default. */
    public static long inputs(String name, long ciDefault) {
        String specific = System.getProperty(INPUTS_PROPERTY + "." + name);
        String general = System.getProperty(INPUTS_PROPERTY);
        String v = specific != null ? specific : general;
        return v == null || v.isBlank() ? ciDefault : Long.parseLong(v.strip());
    }

    public static long seed() {
        String v = System.getProperty(SEED_PROPERTY);
        return v == null || v.isBlank() ? DEFAULT_SEED : Long.decode(v.strip());
    }

    /**
     * Runs {@code inputs} inputs through {@code target} in batches of {@code batch}; the first
     * batch (or the first tenth, if smaller) is the warm-up before the heap baseline.
     */
    public static Report run(String name, long inputs, int batch, Target target) {
        long seed = seed();
        Random random = new Random(seed);
        long start = System.nanoTime();
        long[] done = {0};
        long warmup = Math.min(batch, Math.max(1, inputs / 10));
        runBatch(name, seed, random, done, warmup, target);
        long baseline = retainedHeap();
        while (done[0] < inputs) {
            runBatch(name, seed, random, done, Math.min(batch, inputs - done[0]), target);
        }
        long growth = retainedHeap() - baseline;
        Report report = new Report(name, done[0], Duration.ofNanos(System.nanoTime() - start), growth);
        System.out.println(report);
        if (growth > HEAP_SLACK_BYTES) {
            throw new AssertionError(String.format(Locale.ROOT,
                    "%s: retained heap grew by %d KiB over %d inputs (limit %d KiB)",
                    name, growth / 1024, done[0], HEAP_SLACK_BYTES / 1024));
        }
        return report;
    }

    private static void runBatch(String name, long seed, Random random, long[] done, long count, Target target) {
        assertTimeoutPreemptively(BATCH_LIMIT, () -> {
            for (long i = 0; i < count; i++) {
                long index = done[0];
                try {
                    target.fuzzOne(random, index);
                } catch (Throwable t) {
                    throw new AssertionError(String.format(Locale.ROOT,
                            "%s: input %d (seed %#x) failed: %s", name, index, seed, t), t);
                }
                done[0]++;
            }
        }, () -> String.format(Locale.ROOT, "%s: a batch of %d inputs from input %d (seed %#x) hung",
                name, count, done[0], seed));
    }

    /** Used heap after full collections: what a leak would keep. */
    public static long retainedHeap() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < GC_ROUNDS; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    /**
     * The outcome rule for parsers: {@code call} returns, or throws exactly {@code declared};
     * anything else (another exception, an {@link Error}) fails with the input in hex.
     * Returns the value, or null if the declared exception was thrown.
     */
    public static <T> T valueOrDeclared(Class<? extends Exception> declared, byte[] input, Call<T> call) {
        try {
            return call.call();
        } catch (Throwable t) {
            if (declared.isInstance(t)) {
                if (t.getMessage() == null || t.getMessage().isBlank()) {
                    throw new AssertionError(declared.getSimpleName() + " without a message for "
                            + HexFormat.of().formatHex(input), t);
                }
                return null;
            }
            throw new AssertionError("undeclared " + t.getClass().getName() + " for "
                    + HexFormat.of().formatHex(input), t);
        }
    }

    /** A call that may throw anything. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws Exception;
    }

    /** Random bytes, length 0..maxLength, biased towards short inputs. */
    public static byte[] randomBytes(Random random, int maxLength) {
        int len = random.nextBoolean() ? random.nextInt(Math.min(maxLength, 16) + 1) : random.nextInt(maxLength + 1);
        byte[] b = new byte[len];
        random.nextBytes(b);
        return b;
    }

    /** Picks a seed from {@code corpus} and mutates it. */
    public static byte[] mutate(Random random, List<byte[]> corpus) {
        return mutate(random, corpus.get(random.nextInt(corpus.size())), corpus);
    }

    /**
     * One to {@value #MAX_MUTATIONS} byte-level mutations of {@code seed}: bit flip, byte set to
     * a random or boundary value, insert, delete, duplicate a range, truncate, or splice with
     * another corpus entry. The seed is not changed.
     */
    public static byte[] mutate(Random random, byte[] seed, List<byte[]> corpus) {
        byte[] b = seed.clone();
        int n = 1 + random.nextInt(MAX_MUTATIONS);
        for (int m = 0; m < n; m++) {
            b = mutateOnce(random, b, corpus);
        }
        return b;
    }

    private static byte[] mutateOnce(Random random, byte[] b, List<byte[]> corpus) {
        int op = random.nextInt(8);
        if (b.length == 0) {
            op = 3;
        }
        switch (op) {
            case 0 -> {
                int bit = random.nextInt(b.length * 8);
                b[bit / 8] ^= (byte) (1 << (bit % 8));
            }
            case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            case 2 -> b[random.nextInt(b.length)] = INTERESTING[random.nextInt(INTERESTING.length)];
            case 3 -> {
                int at = random.nextInt(b.length + 1);
                byte[] ins = new byte[1 + random.nextInt(MAX_INSERT)];
                random.nextBytes(ins);
                b = splice(b, at, at, ins);
            }
            case 4 -> {
                int at = random.nextInt(b.length);
                int len = 1 + random.nextInt(Math.min(MAX_INSERT, b.length - at));
                b = splice(b, at, at + len, new byte[0]);
            }
            case 5 -> {
                int at = random.nextInt(b.length);
                int len = 1 + random.nextInt(Math.min(MAX_INSERT, b.length - at));
                byte[] copy = Arrays.copyOfRange(b, at, at + len);
                int to = random.nextInt(b.length + 1);
                b = splice(b, to, to, copy);
            }
            case 6 -> b = Arrays.copyOf(b, random.nextInt(b.length));
            default -> {
                byte[] other = corpus.get(random.nextInt(corpus.size()));
                int cut = random.nextInt(b.length + 1);
                int from = random.nextInt(other.length + 1);
                b = splice(b, cut, b.length, Arrays.copyOfRange(other, from, other.length));
            }
        }
        return b;
    }

    /** {@code b} with {@code b[from..to)} replaced by {@code with}. */
    public static byte[] splice(byte[] b, int from, int to, byte[] with) {
        byte[] r = new byte[b.length - (to - from) + with.length];
        System.arraycopy(b, 0, r, 0, from);
        System.arraycopy(with, 0, r, from, with.length);
        System.arraycopy(b, to, r, from + with.length, b.length - to);
        return r;
    }
}
