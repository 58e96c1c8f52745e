package dev.otptoken.hardware.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Counts bytes allocated by this thread (not time): a journalled write allocates nothing once
 * warm, as a card's firmware allocates nothing after install. (It used to copy the new bytes
 * and build every journal entry and length word in a fresh buffer: about 800 bytes a PUT.)
 */
class MemoryAllocationTest {
    @Test
    void transactionsAllocateNothingOnceWarm() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
        TransactionalMemory m = TransactionalMemory.fresh();
        byte[] record = new byte[214];
        byte[] small = {1, 2, 3};
        long tid = Thread.currentThread().getId();
        for (int i = 0; i < 5000; i++) {
            round(m, record, small, i);
        }
        // The JIT may still replace interpreted frames in one batch on a loaded machine;
        // steady allocation shows in every batch.
        long least = Long.MAX_VALUE;
        for (int batch = 0; batch < 10 && least > 0; batch++) {
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 1000; i++) {
                round(m, record, small, i);
            }
            least = Math.min(least, mx.getThreadAllocatedBytes(tid) - before);
        }
        assertThat(least).as("bytes allocated by 1000 rounds, best of up to 10 batches").isZero();
        assertThat(m.readByte(100)).isEqualTo(record[0]);
    }

    /** A transaction of two writes, an auto-committed write, and an aborted transaction. */
    private static void round(TransactionalMemory m, byte[] record, byte[] small, int i) {
        record[0] = (byte) i;
        m.beginTransaction();
        m.write(100, record, 0, record.length);
        m.write(20, small, 0, small.length);
        m.commitTransaction();
        m.write(40, small, 1, 2);
        m.beginTransaction();
        m.write(60, small, 0, 3);
        m.abortTransaction();
    }
}
