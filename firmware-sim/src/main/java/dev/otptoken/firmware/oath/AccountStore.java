package dev.otptoken.firmware.oath;

import dev.otptoken.firmware.runtime.CorruptRegionException;
import dev.otptoken.hardware.memory.NonVolatileMemory;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Hotp;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OathType;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The OATH applet's persistent region: a header (magic, password, salt, failure count) and
 * fixed-size account slots, laid out as docs/oath-applet.md, "Memory layout" shows. Every
 * change that takes more than one write runs in one transaction of the memory; what a slot
 * holds is read into a caller's buffer and never kept here. Allocation-free after
 * construction.
 */
public final class AccountStore {
    // Header layout (offsets from the region base).
    static final int H_MAGIC = 0;
    static final int MAGIC_LENGTH = 4;
    private static final byte[] MAGIC = {'Y', 'K', 'O', '1'};
    /** The layout version is the magic's last character. */
    private static final int MAGIC_VERSION = MAGIC_LENGTH - 1;
    static final int H_PW_SET = 4;
    static final int H_PW_TYPE_ALG = 5;
    static final int H_PW_KEY_LEN = 6;
    static final int H_SALT = 7;
    static final int H_PW_KEY = H_SALT + Oath.SALT_LENGTH;
    static final int MAX_PW_KEY = 64;
    /**
     * Wrong VALIDATEs in a row (saturating byte). It sits in what was the header's reserved
     * byte, always 0 in older images, so their state files load with a count of 0.
     */
    static final int H_FAILURES = H_PW_KEY + MAX_PW_KEY;
    static final int HEADER_SIZE = H_FAILURES + 1;

    // Account record layout (offsets within a slot).
    static final int R_STATUS = 0;
    static final int R_NAME_LEN = 1;
    static final int R_NAME = 2;
    static final int R_TYPE_ALG = R_NAME + Oath.MAX_NAME_LENGTH;
    static final int R_DIGITS = R_TYPE_ALG + 1;
    static final int R_PROPS = R_DIGITS + 1;
    static final int R_KEY_LEN = R_PROPS + 1;
    static final int R_KEY = R_KEY_LEN + 1;
    static final int MAX_KEY = HashAlgorithm.SHA512.blockSize;
    static final int R_COUNTER = R_KEY + MAX_KEY;
    static final int COUNTER_LENGTH = Hotp.COUNTER_LENGTH;
    static final int R_LAST_CHALLENGE = R_COUNTER + COUNTER_LENGTH;
    static final int RECORD_SIZE = R_LAST_CHALLENGE + COUNTER_LENGTH;

    /** Where the failure count lies in the region, for readers of a memory image. */
    public static final int FAILED_VALIDATIONS_OFFSET = H_FAILURES;

    private static final byte SLOT_USED = 1;
    private static final byte FLAG_SET = 1;

    private final NonVolatileMemory memory;
    private final int base;
    private final int slots;
    private final byte[] name = new byte[Oath.MAX_NAME_LENGTH];
    private final byte[] zeros = new byte[RECORD_SIZE];
    private final byte[] header = new byte[HEADER_SIZE];
    private final byte[] oneByte = new byte[1];
    private final byte[] salt = new byte[Oath.SALT_LENGTH];
    private final byte[] scratch = new byte[RECORD_SIZE];

    AccountStore(NonVolatileMemory memory, int base, int length) {
        if (base < 0 || length < HEADER_SIZE + RECORD_SIZE || base + length > memory.size()) {
            throw new IllegalArgumentException("region too small or outside the memory");
        }
        this.memory = memory;
        this.base = base;
        this.slots = (length - HEADER_SIZE) / RECORD_SIZE;
    }

    // ---- the region as a whole ----

    /** The length of a region that holds exactly {@code accounts} accounts of maximum size. */
    public static int regionLength(int accounts) {
        if (accounts < 1) {
            throw new IllegalArgumentException("at least one account");
        }
        return HEADER_SIZE + accounts * RECORD_SIZE;
    }

    /**
     * What {@code memory[base..base+length)} holds: this applet's data ({@code true}) or
     * nothing yet ({@code false}: every byte zero, as the memory leaves the factory).
     *
     * @throws CorruptRegionException anything else: a damaged or foreign magic, or a layout
     *         version this firmware does not know. Such a region is never formatted, since
     *         that would erase its accounts, its password and its failure count.
     */
    public static boolean inspectRegion(NonVolatileMemory memory, int base, int length)
            throws CorruptRegionException {
        byte[] magic = new byte[MAGIC_LENGTH];
        memory.read(base + H_MAGIC, magic, 0, MAGIC_LENGTH);
        if (Arrays.equals(magic, MAGIC)) {
            checkRecords(memory, base, length);
            return true;
        }
        if (CorruptRegionException.empty(memory, base, length)) {
            return false;
        }
        if (Arrays.equals(magic, 0, MAGIC_VERSION, MAGIC, 0, MAGIC_VERSION)
                && Character.isDigit(magic[MAGIC_VERSION])) {
            throw new CorruptRegionException("the OATH applet's region has layout version "
                    + (char) magic[MAGIC_VERSION] + ", this firmware knows version " + (char) MAGIC[MAGIC_VERSION]);
        }
        throw new CorruptRegionException("the OATH applet's region is damaged (magic "
                + CorruptRegionException.hex(magic) + ", expected " + CorruptRegionException.hex(MAGIC) + ")");
    }

    /**
     * Every field the applet later trusts, in the password header and in every occupied slot:
     * what PUT and SET CODE accept and nothing else. A record no PUT could have written (a
     * key longer than its field, digits outside 6..8, an unknown type or algorithm, a name
     * longer than its field) would otherwise fail, or read past its slot, at its first use.
     */
    private static void checkRecords(NonVolatileMemory memory, int base, int length) throws CorruptRegionException {
        if (memory.readByte(base + H_PW_SET) == FLAG_SET) {
            int typeAlg = memory.readByte(base + H_PW_TYPE_ALG) & 0xFF;
            int keyLen = memory.readByte(base + H_PW_KEY_LEN) & 0xFF;
            if (algOf(typeAlg) == null) {
                throw new CorruptRegionException("the OATH applet's password has an unknown algorithm (type byte "
                        + hexByte(typeAlg) + ")");
            }
            if (keyLen < 1 || keyLen > MAX_PW_KEY) {
                throw new CorruptRegionException("the OATH applet's password key length is " + keyLen
                        + " (1 to " + MAX_PW_KEY + " bytes)");
            }
        }
        int slots = (length - HEADER_SIZE) / RECORD_SIZE;
        byte[] rec = new byte[R_KEY];
        for (int s = 0; s < slots; s++) {
            int addr = base + HEADER_SIZE + s * RECORD_SIZE;
            memory.read(addr, rec, 0, R_KEY);
            if (rec[R_STATUS] != SLOT_USED) {
                continue;
            }
            String problem = recordProblem(rec);
            if (problem != null) {
                throw new CorruptRegionException("the OATH applet's account in slot " + s + " is impossible: "
                        + problem);
            }
        }
    }

    /** What is wrong with an occupied record's fields (up to its key), or null. */
    private static String recordProblem(byte[] rec) {
        int nameLen = rec[R_NAME_LEN] & 0xFF;
        if (nameLen < 1 || nameLen > Oath.MAX_NAME_LENGTH) {
            return "name length " + nameLen + " (1 to " + Oath.MAX_NAME_LENGTH + " bytes)";
        }
        int typeAlg = rec[R_TYPE_ALG] & 0xFF;
        HashAlgorithm alg = algOf(typeAlg);
        if (typeOf(typeAlg) == null || alg == null) {
            return "unknown type or algorithm (type byte " + hexByte(typeAlg) + ")";
        }
        int digits = rec[R_DIGITS] & 0xFF;
        if (digits < Oath.MIN_DIGITS || digits > Oath.MAX_DIGITS) {
            return digits + " digits (" + Oath.MIN_DIGITS + " to " + Oath.MAX_DIGITS + ")";
        }
        int props = rec[R_PROPS] & 0xFF;
        if ((props & ~Oath.ALL_PROPERTIES) != 0) {
            return "unknown properties (" + hexByte(props) + ")";
        }
        int keyLen = rec[R_KEY_LEN] & 0xFF;
        if (keyLen < Oath.MIN_KEY_LENGTH || keyLen > alg.blockSize) {
            return "key length " + keyLen + " (" + Oath.MIN_KEY_LENGTH + " to " + alg.blockSize + " bytes for "
                    + alg + ")";
        }
        return null;
    }

    private static String hexByte(int b) {
        return CorruptRegionException.hex(new byte[] {(byte) b});
    }

    /**
     * Wipes every free slot of a formatted region that still holds bytes: the keys of a RESET
     * whose wipes, which follow its commit one by one, were cut short by a power cut or could
     * not be saved. A free slot is never read, but its key must not stay in the memory (and so
     * in the state file). Each wipe is one atomic write; returns how many slots were wiped.
     */
    public static int scrubFreeSlots(NonVolatileMemory memory, int base, int length) {
        int slots = (length - HEADER_SIZE) / RECORD_SIZE;
        byte[] slot = new byte[RECORD_SIZE];
        byte[] zeros = new byte[RECORD_SIZE];
        int wiped = 0;
        try {
            for (int s = 0; s < slots; s++) {
                int addr = base + HEADER_SIZE + s * RECORD_SIZE;
                memory.read(addr, slot, 0, RECORD_SIZE);
                if (slot[R_STATUS] != SLOT_USED && !Arrays.equals(slot, zeros)) {
                    memory.write(addr, zeros, 0, RECORD_SIZE);
                    wiped++;
                }
            }
        } finally {
            Arrays.fill(slot, (byte) 0);
        }
        return wiped;
    }

    /** The stored failure count of an applet region at {@code base} of a memory. */
    public static int failedValidations(NonVolatileMemory memory, int base) {
        return memory.readByte(base + H_FAILURES) & 0xFF;
    }

    /** Writes an empty region: the magic, a fresh salt from {@code random}, every slot free. */
    void format(SecureRandom random) {
        Arrays.fill(header, (byte) 0);
        System.arraycopy(MAGIC, 0, header, H_MAGIC, MAGIC_LENGTH);
        random.nextBytes(salt);
        System.arraycopy(salt, 0, header, H_SALT, Oath.SALT_LENGTH);
        memory.beginTransaction();
        for (int s = 0; s < slots; s++) {
            memory.write(slotAddress(s) + R_STATUS, zeros, 0, 1);
        }
        memory.write(base, header, 0, HEADER_SIZE);
        memory.commitTransaction();
        Arrays.fill(header, (byte) 0);
        Arrays.fill(salt, (byte) 0);
    }

    /**
     * RESET: a new salt, no password, no failures and every slot free, in one transaction;
     * then the freed keys are wiped one atomic write each (a free slot is never read).
     */
    void resetAll(SecureRandom random) {
        Arrays.fill(header, (byte) 0);
        random.nextBytes(salt);
        memory.beginTransaction();
        memory.write(base + H_PW_SET, header, 0, H_SALT - H_PW_SET);
        memory.write(base + H_SALT, salt, 0, Oath.SALT_LENGTH);
        memory.write(base + H_PW_KEY, header, 0, MAX_PW_KEY);
        memory.write(base + H_FAILURES, header, 0, 1);
        for (int s = 0; s < slots; s++) {
            if (used(s)) {
                memory.write(slotAddress(s) + R_STATUS, zeros, 0, 1);
            }
        }
        memory.commitTransaction();
        Arrays.fill(salt, (byte) 0);
        for (int s = 0; s < slots; s++) {
            if (memory.readByte(slotAddress(s) + R_KEY_LEN) != 0) {
                memory.write(slotAddress(s) + R_NAME_LEN, zeros, 0, RECORD_SIZE - R_NAME_LEN);
            }
        }
    }

    // ---- slots ----

    /** Number of slots: accounts of maximum size that fit in the region. */
    int slots() {
        return slots;
    }

    boolean used(int slot) {
        return memory.readByte(slotAddress(slot) + R_STATUS) == SLOT_USED;
    }

    int accountsUsed() {
        int n = 0;
        for (int s = 0; s < slots; s++) {
            if (used(s)) {
                n++;
            }
        }
        return n;
    }

    /** Bytes of the region in use: the header plus the occupied slots. */
    int bytesUsed() {
        return HEADER_SIZE + accountsUsed() * RECORD_SIZE;
    }

    /** Bytes of the region the applet manages (header plus all slots). */
    int bytesTotal() {
        return HEADER_SIZE + slots * RECORD_SIZE;
    }

    /** The first free slot, or -1 when the region is full. */
    int freeSlot() {
        for (int s = 0; s < slots; s++) {
            if (!used(s)) {
                return s;
            }
        }
        return -1;
    }

    /** The slot of the account named {@code buf[off, off+len)}, or -1. */
    int findSlot(byte[] buf, int off, int len) {
        if (len < 1 || len > Oath.MAX_NAME_LENGTH) {
            return -1;
        }
        try {
            for (int s = 0; s < slots; s++) {
                if (!used(s)) {
                    continue;
                }
                int addr = slotAddress(s);
                if ((memory.readByte(addr + R_NAME_LEN) & 0xFF) != len) {
                    continue;
                }
                memory.read(addr + R_NAME, name, 0, len);
                if (Arrays.equals(name, 0, len, buf, off, off + len)) {
                    return s;
                }
            }
            return -1;
        } finally {
            Arrays.fill(name, (byte) 0);
        }
    }

    /** The slot of the {@code index}-th stored account (0-based, storage order). */
    int slotOfIndex(int index) {
        int n = 0;
        for (int s = 0; s < slots; s++) {
            if (used(s) && n++ == index) {
                return s;
            }
        }
        throw new IndexOutOfBoundsException("no account " + index);
    }

    /** Reads the first {@code len} bytes of a slot's record into {@code record}. */
    void read(int slot, byte[] record, int len) {
        memory.read(slotAddress(slot), record, 0, len);
    }

    /** One byte of a slot's record. */
    byte readByte(int slot, int field) {
        return memory.readByte(slotAddress(slot) + field);
    }

    /** Copies a slot's name into {@code out[off...]} and returns its length. */
    int readName(int slot, byte[] out, int off) {
        int addr = slotAddress(slot);
        int len = memory.readByte(addr + R_NAME_LEN) & 0xFF;
        memory.read(addr + R_NAME, out, off, len);
        return len;
    }

    /** Writes a whole record into {@code slot}, marking it used last, in one transaction. */
    void store(int slot, byte[] record) {
        record[R_STATUS] = SLOT_USED;
        int addr = slotAddress(slot);
        memory.beginTransaction();
        memory.write(addr + R_NAME_LEN, record, R_NAME_LEN, RECORD_SIZE - R_NAME_LEN);
        memory.write(addr + R_STATUS, record, R_STATUS, 1);
        memory.commitTransaction();
    }

    /** Frees {@code slot} and erases its record, key included, in one transaction. */
    void delete(int slot) {
        int addr = slotAddress(slot);
        memory.beginTransaction();
        memory.write(addr + R_STATUS, zeros, 0, 1);
        memory.write(addr + R_NAME_LEN, zeros, 0, RECORD_SIZE - R_NAME_LEN);
        memory.commitTransaction();
    }

    /** Gives {@code slot} the name {@code buf[off, off+len)}, in one transaction. */
    void rename(int slot, byte[] buf, int off, int len) {
        Arrays.fill(scratch, (byte) 0);
        scratch[R_NAME_LEN] = (byte) len;
        System.arraycopy(buf, off, scratch, R_NAME, len);
        int addr = slotAddress(slot);
        memory.beginTransaction();
        memory.write(addr + R_NAME_LEN, scratch, R_NAME_LEN, 1);
        memory.write(addr + R_NAME, scratch, R_NAME, Oath.MAX_NAME_LENGTH);
        memory.commitTransaction();
        Arrays.fill(scratch, (byte) 0);
    }

    /**
     * Writes an 8-byte moving factor ({@link #R_COUNTER} or {@link #R_LAST_CHALLENGE}) of a
     * slot. In its own transaction unless one is open: CALCULATE ALL gathers the writes of
     * every account into one and ends it with {@link #commitIfOpen()}.
     */
    void writeMovingFactor(int slot, int field, byte[] value, boolean ownTransaction) {
        if (ownTransaction) {
            memory.beginTransaction();
        } else if (!memory.inTransaction()) {
            memory.beginTransaction();
        }
        memory.write(slotAddress(slot) + field, value, 0, COUNTER_LENGTH);
        if (ownTransaction) {
            memory.commitTransaction();
        }
    }

    /** Commits the transaction {@link #writeMovingFactor} opened, if any. */
    void commitIfOpen() {
        if (memory.inTransaction()) {
            memory.commitTransaction();
        }
    }

    // ---- password, salt and failure count ----

    boolean passwordSet() {
        return memory.readByte(base + H_PW_SET) == FLAG_SET;
    }

    int passwordTypeAlg() {
        return memory.readByte(base + H_PW_TYPE_ALG) & 0xFF;
    }

    int passwordKeyLength() {
        return memory.readByte(base + H_PW_KEY_LEN) & 0xFF;
    }

    void readPasswordKey(byte[] out, int len) {
        memory.read(base + H_PW_KEY, out, 0, len);
    }

    void readSalt(byte[] out, int off) {
        memory.read(base + H_SALT, out, off, Oath.SALT_LENGTH);
    }

    /** SET CODE with an empty key: no password, no failures, in one transaction. */
    void clearPassword() {
        Arrays.fill(header, (byte) 0);
        memory.beginTransaction();
        memory.write(base + H_PW_SET, header, 0, 1);
        memory.write(base + H_PW_KEY_LEN, header, 0, 1);
        memory.write(base + H_PW_KEY, header, 0, MAX_PW_KEY);
        memory.write(base + H_FAILURES, header, 0, 1);
        memory.commitTransaction();
    }

    /** SET CODE: the password key {@code buf[keyOff, +keyLen)} and a zero failure count, in one transaction. */
    void setPassword(int typeAlg, byte[] buf, int keyOff, int keyLen) {
        try {
            Arrays.fill(header, (byte) 0);
            header[H_PW_SET] = FLAG_SET;
            header[H_PW_TYPE_ALG] = (byte) typeAlg;
            header[H_PW_KEY_LEN] = (byte) keyLen;
            System.arraycopy(buf, keyOff, header, H_PW_KEY, keyLen);
            memory.beginTransaction();
            memory.write(base + H_PW_SET, header, H_PW_SET, H_SALT - H_PW_SET);
            memory.write(base + H_PW_KEY, header, H_PW_KEY, MAX_PW_KEY);
            memory.write(base + H_FAILURES, zeros, 0, 1);
            memory.commitTransaction();
        } finally {
            Arrays.fill(header, (byte) 0);
        }
    }

    /** Wrong VALIDATEs in a row, as stored. */
    int failedValidations() {
        return failedValidations(memory, base);
    }

    /** Stores the failure count: one atomic write. */
    void writeFailedValidations(int count) {
        oneByte[0] = (byte) count;
        memory.write(base + H_FAILURES, oneByte, 0, 1);
    }

    int slotAddress(int slot) {
        return base + HEADER_SIZE + slot * RECORD_SIZE;
    }

    // ---- the type/algorithm byte ----

    /** The account type of a type/algorithm byte, or null (allocation-free). */
    static OathType typeOf(int typeAlg) {
        return OathType.fromTypeAlg(typeAlg);
    }

    /** The hash algorithm of a type/algorithm byte, or null (allocation-free). */
    static HashAlgorithm algOf(int typeAlg) {
        return HashAlgorithm.fromTypeAlg(typeAlg);
    }
}
