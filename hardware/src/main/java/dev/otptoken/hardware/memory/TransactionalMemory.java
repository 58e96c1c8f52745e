package dev.otptoken.hardware.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Non-volatile memory with an undo journal.
 *
 * <p>Physical layout: header ({@link #HEADER_SIZE} bytes: magic, user size, journal size,
 * journal length L) | journal | user area. A journal entry is address (4) + length (2) +
 * the old bytes. A transactional write is three physical writes: (1) the entry is written
 * past L, (2) L is advanced over it, (3) the new bytes are written in place. Commit is
 * one physical write: L = 0. Power-up with L &gt; 0 restores the entries in reverse order
 * and then writes L = 0. A cut after (1) leaves the entry outside L, ignored; after (2)
 * or (3) the undo restores the old bytes; after commit nothing is undone; recovery itself
 * only rewrites old values, so a cut during recovery is repaired by the next recovery.
 * A write outside a transaction is the same sequence wrapped in its own commit.
 *
 * <p>The commit write also zeroes the journal (L and the entries behind it are one contiguous
 * run, so it is still one physical write): the entries hold the old bytes of every cell the
 * transaction changed, a deleted key among them, and must not outlive the commit. Rollback
 * and recovery end with the same write.
 *
 * <p>Saving: a commit hands the image as it will be once the commit write lands to the
 * {@link PersistenceListener} <em>before</em> that write. If the save fails, the transaction
 * is rolled back instead and {@link MemoryFailureException} is thrown, so that the memory
 * never holds a change that was not saved (a card answers 6581).
 *
 * <p>A physical write is one call writing a contiguous run of bytes; the cut model stops
 * between physical writes, never inside one (the L field is 4 bytes written at once).
 */
public final class TransactionalMemory implements NonVolatileMemory {
    public static final int DEFAULT_SIZE = 32 * 1024;
    public static final int DEFAULT_JOURNAL_SIZE = 4 * 1024;
    public static final int MIN_JOURNAL_SIZE = 2 * 1024;
    public static final int HEADER_SIZE = 16;
    private static final int MAGIC = 0x4E564D31; // "NVM1"
    private static final int OFF_MAGIC = 0;
    private static final int OFF_USER_SIZE = 4;
    private static final int OFF_JOURNAL_SIZE = 8;
    private static final int OFF_JOURNAL_LENGTH = 12;
    /** L is the last header field: the journal follows it directly, so both clear in one write. */
    private static final int JOURNAL_LENGTH_SIZE = HEADER_SIZE - OFF_JOURNAL_LENGTH;
    private static final int ENTRY_HEADER = 6;
    private static final int MAX_ENTRY_DATA = 0xFFFF;

    private final byte[] phys;
    private final int[] wear;
    private final int userSize;
    private final int journalSize;
    private final PersistenceListener listener;
    /** One journal entry being built: no entry is larger than the journal. */
    private final byte[] entryScratch;
    private final byte[] lengthScratch = new byte[JOURNAL_LENGTH_SIZE];
    /** Zeros for the commit write: L and every journal byte that may hold an old value. */
    private final byte[] clearScratch;
    /** Where each journal entry starts, for a rollback: every entry is at least its header. */
    private final int[] rollbackStarts;
    private boolean inTx;
    private int journalLength;
    /** Journal bytes from its start that may be non-zero (entries written since the last clear). */
    private int journalDirty;
    private long writes;
    private long cutAfter = -1;
    private boolean dead;

    private TransactionalMemory(byte[] phys, int userSize, int journalSize, PersistenceListener listener) {
        this.phys = phys;
        this.wear = new int[phys.length];
        this.userSize = userSize;
        this.journalSize = journalSize;
        this.listener = listener;
        this.entryScratch = new byte[Math.min(journalSize, ENTRY_HEADER + MAX_ENTRY_DATA)];
        this.rollbackStarts = new int[journalSize / ENTRY_HEADER + 1];
        this.clearScratch = new byte[JOURNAL_LENGTH_SIZE + journalSize];
    }

    /** A fresh, zeroed memory with the default sizes. */
    public static TransactionalMemory fresh() {
        return fresh(DEFAULT_SIZE, DEFAULT_JOURNAL_SIZE, null);
    }

    public static TransactionalMemory fresh(int userSize, int journalSize, PersistenceListener listener) {
        if (userSize <= 0 || journalSize < MIN_JOURNAL_SIZE) {
            throw new IllegalArgumentException("user size must be positive and journal at least " + MIN_JOURNAL_SIZE);
        }
        byte[] phys = new byte[HEADER_SIZE + journalSize + userSize];
        ByteBuffer b = ByteBuffer.wrap(phys).order(ByteOrder.BIG_ENDIAN);
        b.putInt(OFF_MAGIC, MAGIC).putInt(OFF_USER_SIZE, userSize).putInt(OFF_JOURNAL_SIZE, journalSize)
                .putInt(OFF_JOURNAL_LENGTH, 0);
        return new TransactionalMemory(phys, userSize, journalSize, listener);
    }

    /**
     * Powers up from a persisted physical image, running journal recovery first. Every journal
     * entry within L is checked before any is applied: its header and old bytes lie within L,
     * and its address and length within the user area; a bad one is a {@link
     * CorruptImageException} ("journal entry N ...") and nothing is written or saved.
     *
     * @throws CorruptImageException a journal entry that cannot be applied
     * @throws IllegalArgumentException an image that is not a memory of this layout
     */
    public static TransactionalMemory powerUp(byte[] image, PersistenceListener listener) {
        if (image.length < HEADER_SIZE) {
            throw new IllegalArgumentException("image shorter than the memory header");
        }
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.BIG_ENDIAN);
        int user = b.getInt(OFF_USER_SIZE);
        int journal = b.getInt(OFF_JOURNAL_SIZE);
        if (b.getInt(OFF_MAGIC) != MAGIC || user <= 0 || journal < MIN_JOURNAL_SIZE
                || (long) HEADER_SIZE + journal + user != image.length) {
            throw new IllegalArgumentException("not a memory image of this layout");
        }
        TransactionalMemory m = new TransactionalMemory(image.clone(), user, journal, listener);
        int len = b.getInt(OFF_JOURNAL_LENGTH);
        if (len < 0 || len > journal) {
            throw new IllegalArgumentException("journal length out of range: " + len);
        }
        checkJournal(image, len, user);
        // Entries written past L before a cut (or by an older version that did not clear the
        // journal) are cleared at the next commit write.
        for (int i = journal - 1; i >= 0; i--) {
            if (m.phys[HEADER_SIZE + i] != 0) {
                m.journalDirty = i + 1;
                break;
            }
        }
        if (len > 0) {
            m.journalLength = len;
            m.rollback();
            m.save(m.phys.clone());
        }
        return m;
    }

    /**
     * Checks the entries in the first {@code len} journal bytes of {@code image} as {@link
     * #rollback} will walk them: each header and its old bytes inside L, each target range
     * inside the user area. Reads only.
     */
    private static void checkJournal(byte[] image, int len, int user) {
        int p = 0;
        int n = 0;
        while (p < len) { // bounded: each pass advances p by at least ENTRY_HEADER
            if (len - p < ENTRY_HEADER) {
                throw new CorruptImageException("journal entry " + n + " at journal offset " + p
                        + " is cut short: " + (len - p) + " of its " + ENTRY_HEADER + " header bytes lie within the "
                        + len + "-byte journal length");
            }
            int at = HEADER_SIZE + p;
            int addr = (image[at] & 0xFF) << 24 | (image[at + 1] & 0xFF) << 16 | (image[at + 2] & 0xFF) << 8
                    | image[at + 3] & 0xFF;
            int size = (image[at + 4] & 0xFF) << 8 | image[at + 5] & 0xFF;
            if ((long) p + ENTRY_HEADER + size > len) {
                throw new CorruptImageException("journal entry " + n + " at journal offset " + p + " holds " + size
                        + " bytes, running past the " + len + "-byte journal length");
            }
            if (addr < 0 || (long) addr + size > user) {
                throw new CorruptImageException("journal entry " + n + " at journal offset " + p + " restores "
                        + size + " bytes at address " + addr + ", outside the " + user + "-byte user area");
            }
            p += ENTRY_HEADER + size;
            n++;
        }
    }

    /** Cuts the power right after the {@code n}-th physical write from now ({@code n} ≥ 1). */
    public synchronized void setPowerCutAfterWrites(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1");
        }
        alive();
        cutAfter = n;
    }

    public synchronized byte[] physicalImage() {
        return phys.clone();
    }

    public int journalSize() {
        return journalSize;
    }

    /** Physical writes that have touched {@code address} (a user-area address). */
    public synchronized int wear(int address) {
        checkRange(address, 1);
        return wear[userBase() + address];
    }

    /** The most-worn physical cell (journal and header included). */
    public synchronized int maxWear() {
        return Arrays.stream(wear).max().orElse(0);
    }

    public synchronized boolean isDead() {
        return dead;
    }

    private int userBase() {
        return HEADER_SIZE + journalSize;
    }

    private void alive() {
        if (dead) {
            throw new PowerLossError("memory is powered off");
        }
    }

    private void checkRange(int address, int len) {
        if (address < 0 || len < 0 || (long) address + len > userSize) {
            throw new IndexOutOfBoundsException("range " + address + "+" + len + " outside 0.." + userSize);
        }
    }

    private void physicalWrite(int physAddr, byte[] src, int off, int len) {
        System.arraycopy(src, off, phys, physAddr, len);
        for (int i = physAddr; i < physAddr + len; i++) {
            wear[i]++;
        }
        writes++;
        if (cutAfter > 0 && --cutAfter == 0) {
            dead = true;
            cutAfter = -1;
            if (listener != null) {
                try {
                    listener.persist(phys.clone());
                } catch (IOException e) {
                    // The torn image is lost; what was saved last is an earlier consistent
                    // state (every commit is saved before it lands), which powers up as well.
                }
            }
            throw new PowerLossError("power cut after physical write " + writes);
        }
    }

    /** Hands {@code image} to the listener; a failed save is a {@link MemoryFailureException}. */
    private void save(byte[] image) {
        if (listener == null) {
            return;
        }
        try {
            listener.persist(image);
        } catch (IOException e) {
            throw new MemoryFailureException("the memory could not be saved: " + e.getMessage(), e);
        }
    }

    private void writeJournalLength(int len) {
        putInt(lengthScratch, 0, len);
        physicalWrite(OFF_JOURNAL_LENGTH, lengthScratch, 0, JOURNAL_LENGTH_SIZE);
        journalLength = len;
    }

    /** The commit write: L = 0 and the journal's used bytes zeroed, in one physical write. */
    private void clearJournal() {
        physicalWrite(OFF_JOURNAL_LENGTH, clearScratch, 0, JOURNAL_LENGTH_SIZE + journalDirty);
        journalLength = 0;
        journalDirty = 0;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private void rollback() {
        // entries are walked forward to find them, undone backward so the oldest value wins;
        // the old bytes go from the journal to their place directly (the regions never overlap)
        int count = 0;
        int p = 0;
        while (p < journalLength) {
            rollbackStarts[count++] = p;
            p += ENTRY_HEADER + unsignedShort(HEADER_SIZE + p + 4);
        }
        for (int i = count - 1; i >= 0; i--) {
            int at = HEADER_SIZE + rollbackStarts[i];
            int addr = (phys[at] & 0xFF) << 24 | (phys[at + 1] & 0xFF) << 16 | (phys[at + 2] & 0xFF) << 8
                    | phys[at + 3] & 0xFF;
            physicalWrite(userBase() + addr, phys, at + ENTRY_HEADER, unsignedShort(at + 4));
        }
        clearJournal();
    }

    private int unsignedShort(int at) {
        return (phys[at] & 0xFF) << 8 | phys[at + 1] & 0xFF;
    }

    @Override
    public int size() {
        return userSize;
    }

    @Override
    public synchronized void read(int address, byte[] dst, int dstOff, int len) {
        alive();
        checkRange(address, len);
        System.arraycopy(phys, userBase() + address, dst, dstOff, len);
    }

    @Override
    public synchronized byte readByte(int address) {
        alive();
        checkRange(address, 1);
        return phys[userBase() + address];
    }

    @Override
    public synchronized void beginTransaction() {
        alive();
        if (inTx) {
            throw new IllegalStateException("transaction already open");
        }
        inTx = true;
    }

    @Override
    public synchronized void write(int address, byte[] src, int srcOff, int len) {
        alive();
        checkRange(address, len);
        if (len == 0) {
            return;
        }
        if (inTx) {
            journaledWrite(address, src, srcOff, len);
        } else {
            inTx = true;
            try {
                journaledWrite(address, src, srcOff, len);
                commitTransaction();
            } finally {
                inTx = false;
            }
        }
    }

    /**
     * Journals the old bytes, then writes the new ones in place, chunk by chunk. Both go
     * through preallocated scratch (as a card's firmware would: nothing is allocated after
     * install), and the new bytes come straight from {@code src}: the memory is locked for
     * the whole write and {@code phys} is never a caller's array, so nothing can change them
     * in between.
     */
    private void journaledWrite(int address, byte[] src, int srcOff, int len) {
        int done = 0;
        while (done < len) { // bounded: each pass consumes up to MAX_ENTRY_DATA bytes
            int chunk = Math.min(MAX_ENTRY_DATA, len - done);
            int entrySize = ENTRY_HEADER + chunk;
            if (journalLength + entrySize > journalSize) {
                abortTransaction();
                throw new TransactionOverflowException("transaction needs more than the " + journalSize
                        + "-byte journal; aborted");
            }
            putInt(entryScratch, 0, address + done);
            entryScratch[4] = (byte) (chunk >>> 8);
            entryScratch[5] = (byte) chunk;
            System.arraycopy(phys, userBase() + address + done, entryScratch, ENTRY_HEADER, chunk);
            journalDirty = Math.max(journalDirty, journalLength + entrySize);
            physicalWrite(HEADER_SIZE + journalLength, entryScratch, 0, entrySize);
            writeJournalLength(journalLength + entrySize);
            physicalWrite(userBase() + address + done, src, srcOff + done, chunk);
            done += chunk;
        }
    }

    /**
     * Saves the image as it will be after the commit write, then performs that write. A
     * transaction that wrote nothing has nothing to save. If the save fails, the transaction
     * is rolled back and {@link MemoryFailureException} thrown: the memory then holds what the
     * last successful save holds.
     */
    @Override
    public synchronized void commitTransaction() {
        alive();
        if (!inTx) {
            throw new IllegalStateException("no transaction open");
        }
        inTx = false;
        if (journalLength == 0) {
            return;
        }
        if (listener != null) {
            byte[] committed = phys.clone();
            Arrays.fill(committed, OFF_JOURNAL_LENGTH, HEADER_SIZE + journalDirty, (byte) 0);
            try {
                listener.persist(committed);
            } catch (IOException e) {
                rollback();
                throw new MemoryFailureException("the memory could not be saved: " + e.getMessage(), e);
            }
        }
        clearJournal();
    }

    /**
     * Undoes the open transaction. Nothing is saved: the rollback restores what the last save
     * holds (nothing of a transaction is saved before its commit, power cuts aside).
     */
    @Override
    public synchronized void abortTransaction() {
        alive();
        if (!inTx) {
            throw new IllegalStateException("no transaction open");
        }
        inTx = false;
        if (journalLength > 0) {
            rollback();
        }
    }

    @Override
    public synchronized boolean inTransaction() {
        return inTx;
    }

    @Override
    public synchronized long writeCount() {
        return writes;
    }
}
