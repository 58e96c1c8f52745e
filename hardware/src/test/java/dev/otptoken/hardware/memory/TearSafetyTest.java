package dev.otptoken.hardware.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TearSafetyTest {
    static final int USER = 8 * 1024;
    static final int JOURNAL = TransactionalMemory.MIN_JOURNAL_SIZE;

    static byte[] user(TransactionalMemory m) {
        byte[] b = new byte[m.size()];
        m.read(0, b, 0, b.length);
        return b;
    }

    static byte[] fill(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }

    /** Cuts after every write index of {@code op}; each reload must show before or after. */
    static void assertTearSafe(Consumer<TransactionalMemory> setup, Consumer<TransactionalMemory> op) {
        TransactionalMemory base = TransactionalMemory.fresh(USER, JOURNAL, null);
        setup.accept(base);
        byte[] before = user(base);
        byte[] image = base.physicalImage();
        TransactionalMemory ref = TransactionalMemory.powerUp(image, null);
        long w0 = ref.writeCount();
        op.accept(ref);
        long total = ref.writeCount() - w0;
        byte[] after = user(ref);
        assertThat(total).isPositive();
        for (long n = 1; n <= total; n++) {
            AtomicReference<byte[]> saved = new AtomicReference<>();
            TransactionalMemory m = TransactionalMemory.powerUp(image, saved::set);
            m.setPowerCutAfterWrites(n);
            try {
                op.accept(m);
                throw new AssertionError("no power cut at write " + n);
            } catch (PowerLossError expected) {
                assertThatThrownBy(() -> m.readByte(0)).isInstanceOf(PowerLossError.class);
            }
            byte[] recovered = user(TransactionalMemory.powerUp(saved.get(), null));
            if (n == total) {
                assertThat(recovered).as("cut after the last write").isEqualTo(after);
            } else {
                assertThat(recovered).as("cut after write %d of %d", n, total).satisfiesAnyOf(
                        r -> assertThat(r).isEqualTo(before), r -> assertThat(r).isEqualTo(after));
            }
        }
    }

    static Consumer<TransactionalMemory> tx(Consumer<TransactionalMemory> body) {
        return m -> {
            m.beginTransaction();
            body.accept(m);
            m.commitTransaction();
        };
    }

    static final Consumer<TransactionalMemory> SETUP = m -> {
        byte[] all = fill(USER, 1);
        for (int at = 0; at < USER; at += 1024) { // plain writes are journaled, so stay under its size
            m.write(at, all, at, 1024);
        }
    };

    @Test
    void oneWrite() {
        assertTearSafe(m -> m.write(100, fill(50, 9), 0, 50), tx(m -> m.write(100, fill(64, 2), 0, 64)));
    }

    @Test
    void manySmallWrites() {
        assertTearSafe(m -> { }, tx(m -> {
            for (int i = 0; i < 40; i++) {
                m.write(i * 13, fill(5, i), 0, 5);
            }
        }));
    }

    @Test
    void overlappingWrites() {
        assertTearSafe(m -> m.write(0, fill(200, 3), 0, 200), tx(m -> {
            for (int i = 0; i < 10; i++) {
                m.write(10 + i, fill(30, i + 5), 0, 30);
            }
        }));
    }

    @Test
    void writeSpanningTheWholeJournal() {
        int len = JOURNAL - 6;
        assertTearSafe(m -> m.write(0, fill(len, 4), 0, len), tx(m -> m.write(0, fill(len, 8), 0, len)));
    }

    @Test
    void backToBackTransactions() {
        // the pair is not atomic as a whole; each commit is persisted, so test each boundary
        assertTearSafe(m -> tx(n -> n.write(5, fill(20, 1), 0, 20)).accept(m),
                tx(m -> m.write(5, fill(20, 2), 0, 20)));
        assertTearSafe(m -> {
            tx(n -> n.write(5, fill(20, 1), 0, 20)).accept(m);
            tx(n -> n.write(5, fill(20, 2), 0, 20)).accept(m);
        }, tx(m -> m.write(7, fill(40, 3), 0, 40)));
    }

    @Test
    void nonTransactionalWrite() {
        assertTearSafe(m -> { }, m -> m.write(300, fill(128, 6), 0, 128));
    }

    @Test
    void overflowAbortsAndThrows() {
        TransactionalMemory m = TransactionalMemory.fresh(USER, JOURNAL, null);
        byte[] before = user(m);
        m.beginTransaction();
        m.write(0, fill(1000, 1), 0, 1000);
        assertThatThrownBy(() -> m.write(1000, fill(1100, 2), 0, 1100))
                .isInstanceOf(TransactionOverflowException.class).hasMessageContaining("journal");
        assertThat(m.inTransaction()).isFalse();
        assertThat(user(m)).isEqualTo(before);
    }

    @Test
    void abortRestoresAndCountsWear() {
        TransactionalMemory m = TransactionalMemory.fresh(USER, JOURNAL, null);
        m.write(0, fill(10, 1), 0, 10);
        byte[] before = user(m);
        m.beginTransaction();
        m.write(2, fill(4, 2), 0, 4);
        assertThat(m.readByte(2)).isEqualTo(fill(4, 2)[0]);
        m.abortTransaction();
        assertThat(user(m)).isEqualTo(before);
        assertThat(m.wear(2)).isEqualTo(3);
        assertThat(m.wear(0)).isEqualTo(1);
        assertThat(m.maxWear()).isGreaterThanOrEqualTo(3);
        assertThat(TransactionalMemory.DEFAULT_SIZE).isGreaterThanOrEqualTo(100 * 200);
    }

    @Test
    void persistedOnCommitAndPlainWrite() {
        List<byte[]> saves = new ArrayList<>();
        TransactionalMemory m = TransactionalMemory.fresh(USER, JOURNAL, saves::add);
        m.write(0, fill(3, 1), 0, 3);
        tx(n -> n.write(3, fill(3, 2), 0, 3)).accept(m);
        assertThat(saves).hasSize(2);
        assertThat(saves.get(1)).isEqualTo(m.physicalImage());
    }
}
