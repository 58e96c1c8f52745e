package dev.otptoken.hardware.memory;

import static dev.otptoken.hardware.memory.TearSafetyTest.fill;
import static dev.otptoken.hardware.memory.TearSafetyTest.user;
import static dev.otptoken.testing.SecretSlices.holdsSliceOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A save that fails (full disk, read-only file system) must fail the write and leave the
 * memory as it was saved last; and no old value a transaction replaced may stay behind in
 * the journal once it is committed, rolled back or recovered (a deleted key among them).
 */
class PersistenceFailureTest {
    static final int USER = 8 * 1024;
    static final int JOURNAL = TransactionalMemory.MIN_JOURNAL_SIZE;
    /** Stands in for a key: no 8-byte slice of it occurs by chance in the images. */
    static final byte[] KEY = fill(64, 77);

    /** A listener that keeps what it saved, and fails while {@code failing} is set. */
    static final class Disk implements PersistenceListener {
        final List<byte[]> saved = new ArrayList<>();
        boolean failing;

        @Override
        public void persist(byte[] image) throws IOException {
            if (failing) {
                throw new IOException("No space left on device");
            }
            saved.add(image);
        }

        byte[] last() {
            return saved.get(saved.size() - 1);
        }
    }

    @Test
    void aCommitThatCannotBeSavedIsRolledBackAndFails() {
        Disk disk = new Disk();
        TransactionalMemory m = TransactionalMemory.fresh(USER, JOURNAL, disk);
        m.write(100, fill(50, 1), 0, 50);
        byte[] before = user(m);
        byte[] savedBefore = disk.last();
        disk.failing = true;
        m.beginTransaction();
        m.write(100, fill(40, 2), 0, 40);
        m.write(2000, fill(300, 3), 0, 300);
        assertThatThrownBy(m::commitTransaction).isInstanceOf(MemoryFailureException.class)
                .hasMessageContaining("No space left on device");
        assertThat(m.inTransaction()).isFalse();
        assertThat(user(m)).as("RAM holds what the file holds").isEqualTo(before);
        assertThat(m.physicalImage()).isEqualTo(savedBefore);
        // the disk has room again: the next command works and is saved
        disk.failing = false;
        m.beginTransaction();
        m.write(100, fill(40, 2), 0, 40);
        m.commitTransaction();
        assertThat(disk.last()).isEqualTo(m.physicalImage());
        assertThat(user(TransactionalMemory.powerUp(disk.last(), null))).isEqualTo(user(m));
    }

    @Test
    void aPlainWriteThatCannotBeSavedIsUndoneAndFails() {
        Disk disk = new Disk();
        TransactionalMemory m = TransactionalMemory.fresh(USER, JOURNAL, disk);
        m.write(0, fill(10, 1), 0, 10);
        byte[] before = user(m);
        disk.failing = true;
        assertThatThrownBy(() -> m.write(5, fill(1, 9), 0, 1)).isInstanceOf(MemoryFailureException.class);
        assertThat(m.inTransaction()).isFalse();
        assertThat(user(m)).isEqualTo(before);
        assertThat(disk.saved).hasSize(1);
    }

    @Test
    void aCommittedTransactionLeavesNoOldBytesInTheJournal() {
        Disk disk = new Disk();
        TransactionalMemory m = TransactionalMemory.fresh(USER, JOURNAL, disk);
        m.write(1000, KEY, 0, KEY.length);
        assertThat(holdsSliceOf(disk.last(), KEY)).as("the key is stored").isTrue();
        // delete it: its old bytes go to the journal, and must be gone once committed
        m.beginTransaction();
        m.write(999, new byte[1], 0, 1);
        m.write(1000, new byte[KEY.length], 0, KEY.length);
        m.commitTransaction();
        assertThat(holdsSliceOf(disk.last(), KEY)).as("the saved image after the delete").isFalse();
        assertThat(holdsSliceOf(m.physicalImage(), KEY)).as("the memory after the delete").isFalse();
        assertThat(m.writeCount()).as("commit is still one write").isEqualTo(4 + 7);
    }

    @Test
    void aRollbackAndARecoveryLeaveNoOldBytesInTheJournal() {
        TransactionalMemory m = TransactionalMemory.fresh(USER, JOURNAL, null);
        m.write(1000, KEY, 0, KEY.length);
        m.beginTransaction();
        m.write(1000, new byte[KEY.length], 0, KEY.length);
        m.abortTransaction();
        m.beginTransaction();
        m.write(1000, fill(KEY.length, 5), 0, KEY.length);
        m.abortTransaction();
        byte[] image = m.physicalImage();
        assertThat(holdsSliceOf(Arrays.copyOfRange(image, 0, TransactionalMemory.HEADER_SIZE + JOURNAL), KEY))
                .as("journal after a rollback").isFalse();
        assertThat(holdsSliceOf(image, KEY)).as("the key itself is still stored").isTrue();

        // a cut in the middle of a delete: recovery restores the key and clears the journal
        TransactionalMemory cut = TransactionalMemory.powerUp(image, null);
        List<byte[]> torn = new ArrayList<>();
        TransactionalMemory c = TransactionalMemory.powerUp(image, torn::add);
        c.setPowerCutAfterWrites(3);
        assertThatThrownBy(() -> {
            c.beginTransaction();
            c.write(1000, new byte[KEY.length], 0, KEY.length);
        }).isInstanceOf(PowerLossError.class);
        assertThat(cut.readByte(1000)).isEqualTo(KEY[0]);
        List<byte[]> recoveredSaves = new ArrayList<>();
        TransactionalMemory recovered = TransactionalMemory.powerUp(torn.get(0), recoveredSaves::add);
        assertThat(user(recovered)).isEqualTo(user(cut));
        byte[] journal = Arrays.copyOfRange(recoveredSaves.get(0), TransactionalMemory.HEADER_SIZE,
                TransactionalMemory.HEADER_SIZE + JOURNAL);
        assertThat(journal).as("journal after recovery").containsOnly(0);
    }

    @Test
    void anEntryLeftPastTheJournalLengthIsClearedByTheNextCommit() {
        TransactionalMemory m = TransactionalMemory.fresh(USER, JOURNAL, null);
        m.write(1000, KEY, 0, KEY.length);
        List<byte[]> torn = new ArrayList<>();
        TransactionalMemory c = TransactionalMemory.powerUp(m.physicalImage(), torn::add);
        // write 1 of the transaction is its journal entry (the key's old bytes), not yet counted by L
        c.setPowerCutAfterWrites(1);
        assertThatThrownBy(() -> {
            c.beginTransaction();
            c.write(1000, new byte[KEY.length], 0, KEY.length);
        }).isInstanceOf(PowerLossError.class);
        TransactionalMemory after = TransactionalMemory.powerUp(torn.get(0), null);
        assertThat(after.readByte(1000)).as("nothing undone: the entry was not counted").isEqualTo(KEY[0]);
        after.beginTransaction();
        after.write(1000, new byte[KEY.length], 0, KEY.length);
        after.commitTransaction();
        assertThat(holdsSliceOf(after.physicalImage(), KEY)).isFalse();
    }
}
