package dev.otptoken.hardware.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.fuzz.FuzzSupport;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import net.jqwik.api.Example;

/**
 * Fuzzes the state file (docs/hardware.md, "State file" and "Undo journal"): bytes written to a
 * file, read by {@link StateFile#read(Path, int)}, the image powered up by {@link
 * TransactionalMemory#powerUp}. Inputs: random bytes, mutated real state files (the CRC then
 * mostly fails), and real files whose memory header and journal were mutated and the CRC
 * resealed, so that the mutations reach the journal checks. Outcome: a memory whose header is
 * intact and whose every user byte reads, or exactly {@link StateFileException} from the read
 * or {@link IllegalArgumentException} (a {@link CorruptImageException} among them) from the
 * power-up, with a message; the input image is never changed.
 */
class StateFileFuzzProperties {
    private static final long CI_INPUTS = 20_000;
    private static final int BATCH = 10_000;
    private static final int USER = 1024;
    private static final int JOURNAL = TransactionalMemory.MIN_JOURNAL_SIZE;
    private static final int MAX_IMAGE = TransactionalMemory.HEADER_SIZE + JOURNAL + USER;
    /** Memory header and the first journal entries: where a resealed mutation is aimed. */
    private static final int FRONT = StateFile.HEADER_SIZE + TransactionalMemory.HEADER_SIZE + 96;
    private static final int L_AT = StateFile.HEADER_SIZE + 12;
    private static final int J_AT = StateFile.HEADER_SIZE + TransactionalMemory.HEADER_SIZE;

    /** Real state files: committed memories and memories cut inside a transaction (L > 0). */
    static List<byte[]> corpus() {
        List<byte[]> c = new ArrayList<>();
        c.add(file(TransactionalMemory.fresh(USER, JOURNAL, null).physicalImage()));
        for (int cut = 1; cut <= 7; cut++) {
            List<byte[]> saved = new ArrayList<>();
            TransactionalMemory m = TransactionalMemory.fresh(USER, JOURNAL, saved::add);
            m.write(USER - 8, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 8);
            m.setPowerCutAfterWrites(cut);
            try {
                m.beginTransaction();
                m.write(0, new byte[] {9, 9, 9}, 0, 3);
                m.write(100, new byte[40], 0, 40);
                m.write(USER - 2, new byte[] {7, 7}, 0, 2);
                m.commitTransaction();
            } catch (PowerLossError e) {
                // the torn image was saved by the cut
            }
            c.add(file(saved.get(saved.size() - 1)));
        }
        return c;
    }

    static byte[] file(byte[] image) {
        ByteBuffer b = ByteBuffer.allocate(StateFile.HEADER_SIZE + image.length);
        b.put(StateFile.MAGIC).putInt(StateFile.VERSION).putInt(image.length).putInt(0).put(image);
        return reseal(b.array());
    }

    /** The size and CRC fields made to match the bytes, when there is a header to hold them. */
    static byte[] reseal(byte[] f) {
        if (f.length < StateFile.HEADER_SIZE) {
            return f;
        }
        ByteBuffer b = ByteBuffer.wrap(f);
        b.putInt(12, f.length - StateFile.HEADER_SIZE);
        CRC32C c = new CRC32C();
        c.update(f, 0, 16);
        c.update(f, StateFile.HEADER_SIZE, f.length - StateFile.HEADER_SIZE);
        b.putInt(16, (int) c.getValue());
        return f;
    }

    /** A mutation of the front of {@code f} (header, L, first entries), resealed. */
    static byte[] frontMutated(Random random, byte[] f, List<byte[]> corpus) {
        byte[] g = f.clone();
        if (random.nextBoolean()) {
            byte[] front = FuzzSupport.mutate(random, Arrays.copyOf(g, FRONT), corpus);
            g = FuzzSupport.splice(g, 0, FRONT, front);
        } else {
            // a structured entry: random L, address and length in the interesting ranges
            ByteBuffer b = ByteBuffer.wrap(g);
            int entry = random.nextInt(3) * 10;
            b.putInt(L_AT, random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(JOURNAL + 2));
            int[] addresses = {-1, -16, Integer.MIN_VALUE, Integer.MAX_VALUE, USER, USER - 1, 0, random.nextInt()};
            b.putInt(J_AT + entry, addresses[random.nextInt(addresses.length)] + random.nextInt(5) - 2);
            b.putShort(J_AT + entry + 4, (short) (random.nextBoolean() ? random.nextInt(16) : random.nextInt(0x10000)));
        }
        return reseal(g);
    }

    @Example
    void aStateFileGivesAMemoryOrADeclaredRefusal() throws Exception {
        List<byte[]> corpus = corpus();
        // a file per input: in memory where the system offers it, so that a million runs in minutes
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "statefile-fuzz")
                : Files.createTempDirectory("statefile-fuzz");
        Path state = dir.resolve("STATE");
        try {
            FuzzSupport.run("state-file", FuzzSupport.inputs("state-file", CI_INPUTS), BATCH, (random, i) -> {
                byte[] seed = corpus.get(random.nextInt(corpus.size()));
                byte[] input = switch (random.nextInt(4)) {
                    case 0 -> random.nextBoolean() ? FuzzSupport.randomBytes(random, 64)
                            : reseal(FuzzSupport.splice(FuzzSupport.randomBytes(random, 200), 0, 0, StateFile.MAGIC));
                    case 1 -> FuzzSupport.mutate(random, seed, corpus);
                    default -> frontMutated(random, seed, corpus);
                };
                Files.write(state, input);
                byte[] image = FuzzSupport.valueOrDeclared(StateFileException.class, input,
                        () -> StateFile.read(state, MAX_IMAGE));
                if (image == null) {
                    return;
                }
                byte[] before = image.clone();
                TransactionalMemory m = FuzzSupport.valueOrDeclared(IllegalArgumentException.class, input,
                        () -> TransactionalMemory.powerUp(image, null));
                assertThat(image).as("the image is not changed").isEqualTo(before);
                if (m != null) {
                    byte[] phys = m.physicalImage();
                    assertThat(Arrays.copyOf(phys, 12)).as("the memory header is intact")
                            .isEqualTo(Arrays.copyOf(image, 12));
                    assertThat(ByteBuffer.wrap(phys).getInt(12)).as("journal length after power-up").isZero();
                    byte[] user = new byte[m.size()];
                    m.read(0, user, 0, user.length);
                }
            });
        } finally {
            Files.deleteIfExists(state);
            Files.delete(dir);
        }
    }
}
