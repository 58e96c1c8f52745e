package dev.otptoken.firmware.oath;

import dev.otptoken.firmware.runtime.Apdu;
import dev.otptoken.firmware.runtime.Applet;
import dev.otptoken.firmware.runtime.CardRuntime;
import dev.otptoken.firmware.runtime.CorruptRegionException;
import dev.otptoken.firmware.runtime.StatusWordException;
import dev.otptoken.hardware.clock.RealTimeClock;
import dev.otptoken.hardware.memory.NonVolatileMemory;
import dev.otptoken.protocol.apdu.StatusWord;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Hotp;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.OtpFormat;
import dev.otptoken.protocol.oath.PeriodPrefix;
import dev.otptoken.protocol.oath.Totp;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The YKOATH applet, byte-compatible with the YubiKey OATH application (docs/oath-applet.md).
 *
 * <p>Persistent state lives in a region of {@link NonVolatileMemory} laid out as a header
 * followed by fixed-size account slots (see docs/oath-applet.md); every change that takes
 * more than one write runs inside one transaction. Commands are parsed in place in the
 * APDU buffer, and CALCULATE, CALCULATE ALL and LIST allocate nothing once warm: every
 * buffer, digest and pad is allocated here, at install time.
 */
public final class OathApplet implements Applet {
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

    private static final byte SLOT_FREE = 0;
    private static final byte SLOT_USED = 1;
    private static final byte FLAG_SET = 1;
    private static final int ALL_PROPS = Oath.PROP_ONLY_INCREASING | Oath.PROP_REQUIRE_TOUCH;
    private static final int TLV_LONG_1 = 0x81;
    private static final int SHORT_LENGTH_LIMIT = 0x80;
    private static final int SW2_256_OR_MORE = 0x00;
    private static final int MAX_SW2 = 0xFF;
    private static final int TYPE_MASK = 0xF0;
    private static final int ALG_MASK = 0x0F;
    private static final OathType[] TYPES = OathType.values();
    private static final HashAlgorithm[] ALGORITHMS = HashAlgorithm.values();
    private static final byte[] VERSION = {
        (byte) Oath.VERSION_MAJOR, (byte) Oath.VERSION_MINOR, (byte) Oath.VERSION_PATCH};
    /** Largest per-account entry of CALCULATE ALL: name TLV + full SHA-512 response TLV. */
    private static final int MAX_ALL_ENTRY = 2 + Oath.MAX_NAME_LENGTH + 2 + 1
            + HashAlgorithm.SHA512.digestLength;

    private final NonVolatileMemory memory;
    private final int base;
    private final int slots;
    private final RealTimeClock rtc;
    private final TouchGate touch;
    private final SecureRandom random;
    private final Pause pause;
    private final byte[] failures = new byte[1];
    private long touchTimeoutMillis = TouchGate.DEFAULT_TIMEOUT_MILLIS;

    private final Hmac[] hmacs = new Hmac[HashAlgorithm.values().length];
    private final byte[] record = new byte[RECORD_SIZE];
    private final byte[] zeros = new byte[RECORD_SIZE];
    private final byte[] name = new byte[Oath.MAX_NAME_LENGTH];
    private final byte[] mac = new byte[HashAlgorithm.SHA512.digestLength];
    private final byte[] step = new byte[COUNTER_LENGTH];
    private final byte[] pwKey = new byte[MAX_PW_KEY];
    private final byte[] header = new byte[HEADER_SIZE];
    // Transient (RAM) state, one set per interface (CardRuntime.CONTACT, CONTACTLESS): a
    // dual-interface chip keeps the contact session's unlock and pending reply when a
    // contactless field comes and goes. `reply` and `selectChallenge` point at the set of
    // the interface the current command came from (see useInterface).
    private final byte[][] replies = new byte[CardRuntime.INTERFACES][];
    private final int[] replyLength = new int[CardRuntime.INTERFACES];
    private final int[] replyPosition = new int[CardRuntime.INTERFACES];
    private final byte[][] selectChallenges = new byte[CardRuntime.INTERFACES][Oath.CHALLENGE_LENGTH];
    private final boolean[] challengePending = new boolean[CardRuntime.INTERFACES];
    private final boolean[] unlocked = new boolean[CardRuntime.INTERFACES];
    private byte[] reply;
    private byte[] selectChallenge;
    private int ctx;

    // TLV cursor over the APDU buffer.
    private int cursor;
    private int end;
    private int valueOffset;
    private int valueLength;

    /** The applet over the whole of {@code memory}, slowing guesses in real time. */
    public OathApplet(NonVolatileMemory memory, RealTimeClock rtc, TouchGate touch, SecureRandom random) {
        this(memory, 0, memory.size(), rtc, touch, random, Pause.sleeping());
    }

    /** The applet over the whole of {@code memory}; password guesses wait on {@code pause}. */
    public OathApplet(NonVolatileMemory memory, RealTimeClock rtc, TouchGate touch, SecureRandom random,
            Pause pause) {
        this(memory, 0, memory.size(), rtc, touch, random, pause);
    }

    /** The applet over {@code memory[base..base+length)}, slowing guesses in real time. */
    public OathApplet(NonVolatileMemory memory, int base, int length, RealTimeClock rtc, TouchGate touch,
            SecureRandom random) {
        this(memory, base, length, rtc, touch, random, Pause.sleeping());
    }

    /**
     * The applet over {@code memory[base..base+length)}; formats it if it was never written
     * (see {@link #inspectRegion}: a region that is neither ours nor empty is refused with
     * {@link IllegalStateException}, never formatted). Password guesses past the free ones
     * wait on {@code pause} ({@link ValidateThrottle}).
     */
    public OathApplet(NonVolatileMemory memory, int base, int length, RealTimeClock rtc, TouchGate touch,
            SecureRandom random, Pause pause) {
        if (base < 0 || length < HEADER_SIZE + RECORD_SIZE || base + length > memory.size()) {
            throw new IllegalArgumentException("region too small or outside the memory");
        }
        this.memory = memory;
        this.base = base;
        this.slots = (length - HEADER_SIZE) / RECORD_SIZE;
        this.rtc = rtc;
        this.touch = touch;
        this.random = random;
        this.pause = Objects.requireNonNull(pause, "pause");
        for (HashAlgorithm a : HashAlgorithm.values()) {
            hmacs[a.ordinal()] = new Hmac(a.digestName, a.blockSize);
        }
        for (int i = 0; i < CardRuntime.INTERFACES; i++) {
            replies[i] = new byte[slots * MAX_ALL_ENTRY];
        }
        useInterface(CardRuntime.CONTACT);
        boolean ours;
        try {
            ours = inspectRegion(memory, base, length);
        } catch (CorruptRegionException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (!ours) {
            format();
        }
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
        if ((props & ~ALL_PROPS) != 0) {
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

    /** How long CALCULATE of a touch-required account waits for the button. */
    public void setTouchTimeoutMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("negative timeout");
        }
        this.touchTimeoutMillis = millis;
    }

    /**
     * Where the failure count lies in the applet's region: for readers of a memory image (the
     * tearing sweep tells a counted attempt from a change of state by it).
     */
    public static final int FAILED_VALIDATIONS_OFFSET = H_FAILURES;

    /** Wrong VALIDATEs in a row, as stored (0 after a right one, a RESET or a SET CODE). */
    public int failedValidations() {
        return failedValidations(memory, base);
    }

    /** The stored count of an applet region at {@code base} of a memory, read without an applet. */
    public static int failedValidations(NonVolatileMemory memory, int base) {
        return memory.readByte(base + H_FAILURES) & 0xFF;
    }

    /** Accounts stored. */
    public int accountsUsed() {
        int n = 0;
        for (int s = 0; s < slots; s++) {
            if (used(s)) {
                n++;
            }
        }
        return n;
    }

    /** Accounts of maximum size (64-byte name, 128-byte key) that fit in the empty region. */
    public int capacityAccounts() {
        return slots;
    }

    /** Bytes of the region in use: the header plus the occupied slots. */
    public int bytesUsed() {
        return HEADER_SIZE + accountsUsed() * RECORD_SIZE;
    }

    /** Bytes of the region the applet manages (header plus all slots). */
    public int bytesTotal() {
        return HEADER_SIZE + slots * RECORD_SIZE;
    }

    @Override
    public boolean select(int iface) {
        return true;
    }

    @Override
    public void deselect(int iface) {
        resetTransient(iface);
    }

    @Override
    public void resetTransient(int iface) {
        unlocked[iface] = false;
        challengePending[iface] = false;
        Arrays.fill(selectChallenges[iface], (byte) 0);
        replyLength[iface] = 0;
        replyPosition[iface] = 0;
    }

    private void useInterface(int iface) {
        ctx = iface;
        reply = replies[iface];
        selectChallenge = selectChallenges[iface];
    }

    @Override
    public void process(Apdu apdu) {
        useInterface(apdu.interfaceIndex());
        if (apdu.isSelecting()) {
            resetTransient(ctx);
            select(apdu);
            return;
        }
        int ins = apdu.ins();
        if (ins != Oath.INS_SEND_REMAINING) {
            cancelReply();
        }
        if (apdu.cla() != Oath.CLA) {
            StatusWordException.throwIt(StatusWord.CLA_NOT_SUPPORTED);
        }
        // One case per instruction: its P1/P2 (6A86 otherwise, before
        // anything is read or written), then its lock policy, then the command. The accepted
        // values are the table in docs/oath-applet.md, "P1/P2 per instruction".
        int p1 = apdu.p1();
        int p2 = apdu.p2();
        switch (ins) {
            case Oath.INS_PUT -> {
                requireP1P2(p1 == 0 && p2 == 0);
                requireUnlocked();
                put(apdu);
            }
            case Oath.INS_DELETE -> {
                requireP1P2(p1 == 0 && p2 == 0);
                requireUnlocked();
                delete(apdu);
            }
            case Oath.INS_SET_CODE -> {
                requireP1P2(p1 == 0 && p2 == 0);
                requireUnlocked();
                setCode(apdu);
            }
            case Oath.INS_RESET -> {
                requireP1P2(p1 == Oath.P1_RESET && p2 == Oath.P2_RESET);
                reset(apdu);
            }
            case Oath.INS_RENAME -> {
                requireP1P2(p1 == 0 && p2 == 0);
                requireUnlocked();
                rename(apdu);
            }
            case Oath.INS_LIST -> {
                requireP1P2(p1 == 0 && p2 == 0);
                requireUnlocked();
                list(apdu);
            }
            case Oath.INS_CALCULATE -> {
                requireP1P2(p1 == 0 && (p2 == Oath.P2_TRUNCATED || p2 == Oath.P2_FULL));
                requireUnlocked();
                calculate(apdu);
            }
            case Oath.INS_VALIDATE -> {
                requireP1P2(p1 == 0 && p2 == 0);
                validate(apdu);
            }
            case Oath.INS_CALCULATE_ALL -> {
                requireP1P2(p1 == 0 && (p2 == Oath.P2_TRUNCATED || p2 == Oath.P2_FULL));
                requireUnlocked();
                calculateAll(apdu);
            }
            case Oath.INS_SEND_REMAINING -> {
                requireP1P2(p1 == 0 && p2 == 0);
                sendRemaining(apdu);
            }
            default -> StatusWordException.throwIt(StatusWord.INS_NOT_SUPPORTED);
        }
    }

    /** 6A86 unless the instruction's P1/P2 are among the values it accepts. */
    private static void requireP1P2(boolean accepted) {
        if (!accepted) {
            StatusWordException.throwIt(StatusWord.INCORRECT_P1P2);
        }
    }

    /** 6982 while a code is set and this interface's session has not validated it. */
    private void requireUnlocked() {
        if (locked()) {
            StatusWordException.throwIt(StatusWord.SECURITY_STATUS_NOT_SATISFIED);
        }
    }

    // ---- commands ----

    private void select(Apdu apdu) {
        byte[] buf = apdu.buffer();
        int o = 0;
        buf[o++] = (byte) Oath.TAG_VERSION;
        buf[o++] = (byte) VERSION.length;
        System.arraycopy(VERSION, 0, buf, o, VERSION.length);
        o += VERSION.length;
        buf[o++] = (byte) Oath.TAG_NAME;
        buf[o++] = (byte) Oath.SALT_LENGTH;
        memory.read(base + H_SALT, buf, o, Oath.SALT_LENGTH);
        o += Oath.SALT_LENGTH;
        if (passwordSet()) {
            random.nextBytes(selectChallenge);
            challengePending[ctx] = true;
            buf[o++] = (byte) Oath.TAG_CHALLENGE;
            buf[o++] = (byte) Oath.CHALLENGE_LENGTH;
            System.arraycopy(selectChallenge, 0, buf, o, Oath.CHALLENGE_LENGTH);
            o += Oath.CHALLENGE_LENGTH;
            buf[o++] = (byte) Oath.TAG_ALGORITHM;
            buf[o++] = 1;
            buf[o++] = memory.readByte(base + H_PW_TYPE_ALG);
        }
        apdu.setOutgoing(o);
    }

    private void put(Apdu apdu) {
        byte[] buf = apdu.buffer();
        startTlv(apdu);
        expect(buf, Oath.TAG_NAME);
        int nameOff = valueOffset;
        int nameLen = valueLength;
        checkName(nameLen);
        expect(buf, Oath.TAG_KEY);
        if (valueLength < 2) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
        int typeAlg = buf[valueOffset] & 0xFF;
        int digits = buf[valueOffset + 1] & 0xFF;
        int keyOff = valueOffset + 2;
        int keyLen = valueLength - 2;
        OathType type = typeOf(typeAlg);
        HashAlgorithm alg = algOf(typeAlg);
        if (type == null || alg == null || digits < Oath.MIN_DIGITS || digits > Oath.MAX_DIGITS
                || keyLen < Oath.MIN_KEY_LENGTH || keyLen > alg.blockSize) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
        int props = 0;
        int imfOff = -1;
        while (cursor < end) {
            int tag = buf[cursor] & 0xFF;
            if (tag == Oath.TAG_PROPERTY) {
                props = readProperty(buf);
            } else if (tag == Oath.TAG_IMF) {
                expect(buf, Oath.TAG_IMF);
                if (valueLength != Oath.IMF_LENGTH) {
                    StatusWordException.throwIt(StatusWord.WRONG_DATA);
                }
                imfOff = valueOffset;
            } else {
                StatusWordException.throwIt(StatusWord.WRONG_DATA);
            }
        }
        if ((props & ~ALL_PROPS) != 0) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
        int slot = findSlot(buf, nameOff, nameLen);
        if (slot < 0) {
            slot = freeSlot();
            if (slot < 0) {
                StatusWordException.throwIt(StatusWord.NOT_ENOUGH_MEMORY);
            }
        }
        try {
            Arrays.fill(record, (byte) 0);
            record[R_STATUS] = SLOT_USED;
            record[R_NAME_LEN] = (byte) nameLen;
            System.arraycopy(buf, nameOff, record, R_NAME, nameLen);
            record[R_TYPE_ALG] = (byte) typeAlg;
            record[R_DIGITS] = (byte) digits;
            record[R_PROPS] = (byte) props;
            record[R_KEY_LEN] = (byte) keyLen;
            System.arraycopy(buf, keyOff, record, R_KEY, keyLen);
            if (imfOff >= 0 && type == OathType.HOTP) {
                System.arraycopy(buf, imfOff, record, R_COUNTER + COUNTER_LENGTH - Oath.IMF_LENGTH,
                        Oath.IMF_LENGTH);
            }
            int addr = slotAddress(slot);
            memory.beginTransaction();
            memory.write(addr + R_NAME_LEN, record, R_NAME_LEN, RECORD_SIZE - R_NAME_LEN);
            memory.write(addr + R_STATUS, record, R_STATUS, 1);
            memory.commitTransaction();
        } finally {
            Arrays.fill(record, (byte) 0);
            Arrays.fill(buf, keyOff, keyOff + keyLen, (byte) 0);
        }
    }

    /** Reads {@code 78}: ykman sends {@code 78 02} with no length, others {@code 78 01 02}. */
    private int readProperty(byte[] buf) {
        int p = cursor + 1;
        if (p >= end) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
        int first = buf[p] & 0xFF;
        if (first == 1 && p + 1 < end && (buf[p + 1] & 0xFF) != Oath.TAG_IMF
                && ((buf[p + 1] & 0xFF) & ~ALL_PROPS) == 0) {
            cursor = p + 2;
            return buf[p + 1] & 0xFF;
        }
        cursor = p + 1;
        return first;
    }

    private void delete(Apdu apdu) {
        byte[] buf = apdu.buffer();
        startTlv(apdu);
        expect(buf, Oath.TAG_NAME);
        int slot = findSlot(buf, valueOffset, valueLength);
        if (slot < 0) {
            StatusWordException.throwIt(StatusWord.REFERENCE_DATA_NOT_USABLE);
        }
        int addr = slotAddress(slot);
        memory.beginTransaction();
        memory.write(addr + R_STATUS, zeros, 0, 1);
        memory.write(addr + R_NAME_LEN, zeros, 0, RECORD_SIZE - R_NAME_LEN);
        memory.commitTransaction();
    }

    private void rename(Apdu apdu) {
        byte[] buf = apdu.buffer();
        startTlv(apdu);
        expect(buf, Oath.TAG_NAME);
        int oldOff = valueOffset;
        int oldLen = valueLength;
        expect(buf, Oath.TAG_NAME);
        int newOff = valueOffset;
        int newLen = valueLength;
        checkName(newLen);
        int slot = findSlot(buf, oldOff, oldLen);
        if (slot < 0) {
            StatusWordException.throwIt(StatusWord.REFERENCE_DATA_NOT_USABLE);
        }
        if (findSlot(buf, newOff, newLen) >= 0) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
        Arrays.fill(record, 0, 1 + Oath.MAX_NAME_LENGTH, (byte) 0);
        record[0] = (byte) newLen;
        System.arraycopy(buf, newOff, record, 1, newLen);
        int addr = slotAddress(slot);
        memory.beginTransaction();
        memory.write(addr + R_NAME_LEN, record, 0, 1);
        memory.write(addr + R_NAME, record, 1, Oath.MAX_NAME_LENGTH);
        memory.commitTransaction();
    }

    private void setCode(Apdu apdu) {
        byte[] buf = apdu.buffer();
        startTlv(apdu);
        expect(buf, Oath.TAG_KEY);
        if (valueLength == 0) {
            if (cursor != end) {
                StatusWordException.throwIt(StatusWord.WRONG_DATA);
            }
            Arrays.fill(header, (byte) 0);
            memory.beginTransaction();
            memory.write(base + H_PW_SET, header, 0, 1);
            memory.write(base + H_PW_KEY_LEN, header, 0, 1);
            memory.write(base + H_PW_KEY, header, 0, MAX_PW_KEY);
            memory.write(base + H_FAILURES, header, 0, 1);
            memory.commitTransaction();
            unlocked[ctx] = false;
            return;
        }
        int typeAlg = buf[valueOffset] & 0xFF;
        HashAlgorithm alg = algOf(typeAlg);
        int keyOff = valueOffset + 1;
        int keyLen = valueLength - 1;
        if (alg == null || keyLen < 1 || keyLen > MAX_PW_KEY) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
        expect(buf, Oath.TAG_CHALLENGE);
        int chOff = valueOffset;
        int chLen = valueLength;
        expect(buf, Oath.TAG_RESPONSE);
        Hmac h = hmacs[alg.ordinal()];
        try {
            h.init(buf, keyOff, keyLen);
            h.mac(buf, chOff, chLen, mac, 0);
            if (valueLength != h.length() || !equalsConstantTime(mac, 0, buf, valueOffset, h.length())) {
                StatusWordException.throwIt(StatusWord.WRONG_DATA);
            }
            Arrays.fill(header, (byte) 0);
            header[0] = FLAG_SET;
            header[1] = (byte) typeAlg;
            header[2] = (byte) keyLen;
            System.arraycopy(buf, keyOff, header, 3, keyLen);
            memory.beginTransaction();
            memory.write(base + H_PW_SET, header, 0, 3);
            memory.write(base + H_PW_KEY, header, 3, MAX_PW_KEY);
            memory.write(base + H_FAILURES, zeros, 0, 1);
            memory.commitTransaction();
            unlocked[ctx] = true;
        } finally {
            h.clear();
            Arrays.fill(header, (byte) 0);
            Arrays.fill(mac, (byte) 0);
            Arrays.fill(buf, keyOff, keyOff + keyLen, (byte) 0);
        }
    }

    private void reset(Apdu apdu) {
        Arrays.fill(header, (byte) 0);
        random.nextBytes(step);
        memory.beginTransaction();
        memory.write(base + H_PW_SET, header, 0, H_SALT - H_PW_SET);
        memory.write(base + H_SALT, step, 0, Oath.SALT_LENGTH);
        memory.write(base + H_PW_KEY, header, 0, MAX_PW_KEY);
        memory.write(base + H_FAILURES, header, 0, 1);
        for (int s = 0; s < slots; s++) {
            if (used(s)) {
                memory.write(slotAddress(s) + R_STATUS, zeros, 0, 1);
            }
        }
        memory.commitTransaction();
        Arrays.fill(step, (byte) 0);
        // The accounts are gone once the commit lands; wiping the freed keys needs no
        // transaction (each write is atomic, a free slot is never read).
        for (int s = 0; s < slots; s++) {
            if (memory.readByte(slotAddress(s) + R_KEY_LEN) != 0) {
                memory.write(slotAddress(s) + R_NAME_LEN, zeros, 0, RECORD_SIZE - R_NAME_LEN);
            }
        }
        // the password and the accounts are gone for every interface's session
        for (int i = 0; i < CardRuntime.INTERFACES; i++) {
            resetTransient(i);
        }
    }

    private void list(Apdu apdu) {
        int o = 0;
        for (int s = 0; s < slots; s++) {
            if (!used(s)) {
                continue;
            }
            int addr = slotAddress(s);
            int nameLen = memory.readByte(addr + R_NAME_LEN) & 0xFF;
            reply[o++] = (byte) Oath.TAG_NAME_LIST;
            reply[o++] = (byte) (nameLen + 1);
            reply[o++] = memory.readByte(addr + R_TYPE_ALG);
            memory.read(addr + R_NAME, reply, o, nameLen);
            o += nameLen;
        }
        startReply(apdu, o);
    }

    private void calculate(Apdu apdu) {
        byte[] buf = apdu.buffer();
        int p2 = apdu.p2();
        startTlv(apdu);
        expect(buf, Oath.TAG_NAME);
        int slot = findSlot(buf, valueOffset, valueLength);
        expect(buf, Oath.TAG_CHALLENGE);
        if (slot < 0) {
            StatusWordException.throwIt(StatusWord.REFERENCE_DATA_NOT_USABLE);
        }
        int addr = slotAddress(slot);
        try {
            memory.read(addr, record, 0, RECORD_SIZE);
            int typeAlg = record[R_TYPE_ALG] & 0xFF;
            int props = record[R_PROPS];
            byte[] challenge;
            int chOff;
            int chLen;
            if (typeOf(typeAlg) == OathType.HOTP) {
                challenge = record;
                chOff = R_COUNTER;
                chLen = COUNTER_LENGTH;
            } else if (valueLength == 0) {
                Hotp.writeCounter(Totp.step(rtc.readMicros(), Totp.MICROSECONDS, periodOf(record)), step, 0);
                challenge = step;
                chOff = 0;
                chLen = COUNTER_LENGTH;
            } else {
                if (valueLength > Oath.MAX_NAME_LENGTH) {
                    StatusWordException.throwIt(StatusWord.WRONG_DATA);
                }
                challenge = buf;
                chOff = valueOffset;
                chLen = valueLength;
            }
            boolean increasing = (props & Oath.PROP_ONLY_INCREASING) != 0
                    && typeOf(typeAlg) == OathType.TOTP;
            if (increasing && isLower(challenge, chOff, chLen, record, R_LAST_CHALLENGE)) {
                StatusWordException.throwIt(StatusWord.CONDITIONS_NOT_SATISFIED);
            }
            if ((props & Oath.PROP_REQUIRE_TOUCH) != 0 && !touch.awaitTouch(touchTimeoutMillis)) {
                StatusWordException.throwIt(StatusWord.CONDITIONS_NOT_SATISFIED);
            }
            int len = compute(record, challenge, chOff, chLen);
            if (challenge == record) {
                // HOTP: the next counter is durable before the code leaves the token.
                Hotp.writeCounter(Hotp.readCounter(record, R_COUNTER) + 1, step, 0);
                memory.beginTransaction();
                memory.write(addr + R_COUNTER, step, 0, COUNTER_LENGTH);
                memory.commitTransaction();
            } else if (increasing) {
                toStep(challenge, chOff, chLen);
                memory.beginTransaction();
                memory.write(addr + R_LAST_CHALLENGE, step, 0, COUNTER_LENGTH);
                memory.commitTransaction();
            }
            int o = writeCode(buf, 0, record[R_DIGITS], len, p2 == Oath.P2_TRUNCATED);
            apdu.setOutgoing(o);
        } finally {
            Arrays.fill(record, (byte) 0);
            Arrays.fill(mac, (byte) 0);
        }
    }

    private void calculateAll(Apdu apdu) {
        byte[] buf = apdu.buffer();
        int p2 = apdu.p2();
        startTlv(apdu);
        expect(buf, Oath.TAG_CHALLENGE);
        int chOff = valueOffset;
        int chLen = valueLength;
        if (chLen > Oath.MAX_NAME_LENGTH) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
        int o = 0;
        try {
            for (int s = 0; s < slots; s++) {
                if (!used(s)) {
                    continue;
                }
                int addr = slotAddress(s);
                memory.read(addr, record, 0, RECORD_SIZE);
                int nameLen = record[R_NAME_LEN] & 0xFF;
                reply[o++] = (byte) Oath.TAG_NAME;
                reply[o++] = (byte) nameLen;
                System.arraycopy(record, R_NAME, reply, o, nameLen);
                o += nameLen;
                int typeAlg = record[R_TYPE_ALG] & 0xFF;
                int props = record[R_PROPS];
                byte digits = record[R_DIGITS];
                boolean increasing = (props & Oath.PROP_ONLY_INCREASING) != 0;
                if (typeOf(typeAlg) == OathType.HOTP
                        || (increasing && isLower(buf, chOff, chLen, record, R_LAST_CHALLENGE))) {
                    o = writeNoCode(o, Oath.TAG_HOTP, digits);
                } else if ((props & Oath.PROP_REQUIRE_TOUCH) != 0) {
                    o = writeNoCode(o, Oath.TAG_TOUCH, digits);
                } else {
                    int len = compute(record, buf, chOff, chLen);
                    o = writeCode(reply, o, digits, len, p2 == Oath.P2_TRUNCATED);
                    if (increasing) {
                        toStep(buf, chOff, chLen);
                        if (!memory.inTransaction()) {
                            memory.beginTransaction();
                        }
                        memory.write(addr + R_LAST_CHALLENGE, step, 0, COUNTER_LENGTH);
                    }
                }
            }
            if (memory.inTransaction()) {
                memory.commitTransaction();
            }
        } finally {
            Arrays.fill(record, (byte) 0);
            Arrays.fill(mac, (byte) 0);
        }
        startReply(apdu, o);
    }

    private void validate(Apdu apdu) {
        byte[] buf = apdu.buffer();
        startTlv(apdu);
        expect(buf, Oath.TAG_RESPONSE);
        int respOff = valueOffset;
        int respLen = valueLength;
        expect(buf, Oath.TAG_CHALLENGE);
        int chOff = valueOffset;
        int chLen = valueLength;
        if (!passwordSet() || !challengePending[ctx]) {
            StatusWordException.throwIt(StatusWord.REFERENCE_DATA_NOT_USABLE);
        }
        challengePending[ctx] = false;
        HashAlgorithm alg = algOf(memory.readByte(base + H_PW_TYPE_ALG));
        int keyLen = memory.readByte(base + H_PW_KEY_LEN) & 0xFF;
        if (alg == null || keyLen > MAX_PW_KEY) {
            StatusWordException.throwIt(StatusWord.UNKNOWN);
        }
        // Count the guess as wrong, durably, before anything is compared: cutting the power
        // during the wait or after the check cannot save it. A right answer undoes it below.
        int before = failedValidations();
        failures[0] = (byte) Math.min(before + 1, ValidateThrottle.MAX_COUNT);
        memory.write(base + H_FAILURES, failures, 0, 1);
        if (!pause.pause(ValidateThrottle.delayMillis(before))) {
            // The wait was cut short (the token is stopping): the guess is spent unchecked.
            StatusWordException.throwIt(StatusWord.CONDITIONS_NOT_SATISFIED);
        }
        Hmac h = hmacs[alg.ordinal()];
        try {
            memory.read(base + H_PW_KEY, pwKey, 0, keyLen);
            h.init(pwKey, 0, keyLen);
            h.mac(selectChallenge, 0, Oath.CHALLENGE_LENGTH, mac, 0);
            if (respLen != h.length() || !equalsConstantTime(mac, 0, buf, respOff, respLen)) {
                StatusWordException.throwIt(StatusWord.REFERENCE_DATA_NOT_USABLE);
            }
            memory.write(base + H_FAILURES, zeros, 0, 1);
            unlocked[ctx] = true;
            h.mac(buf, chOff, chLen, buf, 2);
            buf[0] = (byte) Oath.TAG_RESPONSE;
            buf[1] = (byte) h.length();
            apdu.setOutgoing(2 + h.length());
        } finally {
            h.clear();
            Arrays.fill(pwKey, (byte) 0);
            Arrays.fill(mac, (byte) 0);
        }
    }

    private void sendRemaining(Apdu apdu) {
        if (replyPosition[ctx] >= replyLength[ctx]) {
            StatusWordException.throwIt(StatusWord.CONDITIONS_NOT_SATISFIED);
        }
        sendChunk(apdu);
    }

    // ---- reply chaining ----

    private void startReply(Apdu apdu, int len) {
        replyLength[ctx] = len;
        replyPosition[ctx] = 0;
        sendChunk(apdu);
    }

    private void sendChunk(Apdu apdu) {
        int n = Math.min(replyLength[ctx] - replyPosition[ctx], Apdu.MAX_RESPONSE_DATA);
        System.arraycopy(reply, replyPosition[ctx], apdu.buffer(), 0, n);
        replyPosition[ctx] += n;
        apdu.setOutgoing(n);
        int left = replyLength[ctx] - replyPosition[ctx];
        if (left > 0) {
            apdu.setStatusWord((StatusWord.SW1_MORE_DATA << 8) | (left > MAX_SW2 ? SW2_256_OR_MORE : left));
        } else {
            cancelReply();
        }
    }

    private void cancelReply() {
        replyLength[ctx] = 0;
        replyPosition[ctx] = 0;
    }

    // ---- crypto ----

    /** HMAC of the challenge with the record's key into {@link #mac}; returns its length. */
    private int compute(byte[] rec, byte[] challenge, int off, int len) {
        HashAlgorithm alg = algOf(rec[R_TYPE_ALG]);
        if (alg == null) {
            StatusWordException.throwIt(StatusWord.UNKNOWN);
        }
        Hmac h = hmacs[alg.ordinal()];
        try {
            h.init(rec, R_KEY, rec[R_KEY_LEN] & 0xFF);
            h.mac(challenge, off, len, mac, 0);
        } finally {
            h.clear();
        }
        return h.length();
    }

    /** {@code 76 05 digits code} (RFC 4226 dynamic truncation) or {@code 75 len digits hmac}. */
    private int writeCode(byte[] out, int o, byte digits, int macLen, boolean truncated) {
        if (truncated) {
            int t = OtpFormat.truncate(mac, 0, macLen);
            out[o++] = (byte) Oath.TAG_TRUNCATED;
            out[o++] = Oath.TRUNCATED_LENGTH;
            out[o++] = digits;
            out[o++] = (byte) (t >>> 24);
            out[o++] = (byte) (t >>> 16);
            out[o++] = (byte) (t >>> 8);
            out[o++] = (byte) t;
        } else {
            out[o++] = (byte) Oath.TAG_RESPONSE;
            out[o++] = (byte) (1 + macLen);
            out[o++] = digits;
            System.arraycopy(mac, 0, out, o, macLen);
            o += macLen;
        }
        return o;
    }

    private int writeNoCode(int o, int tag, byte digits) {
        reply[o++] = (byte) tag;
        reply[o++] = 1;
        reply[o++] = digits;
        return o;
    }

    private static boolean equalsConstantTime(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int diff = 0;
        for (int i = 0; i < len; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }

    // ---- storage ----

    private void format() {
        Arrays.fill(header, (byte) 0);
        System.arraycopy(MAGIC, 0, header, H_MAGIC, MAGIC_LENGTH);
        random.nextBytes(step);
        System.arraycopy(step, 0, header, H_SALT, Oath.SALT_LENGTH);
        memory.beginTransaction();
        for (int s = 0; s < slots; s++) {
            memory.write(slotAddress(s) + R_STATUS, zeros, 0, 1);
        }
        memory.write(base, header, 0, HEADER_SIZE);
        memory.commitTransaction();
        Arrays.fill(header, (byte) 0);
        Arrays.fill(step, (byte) 0);
    }

    private boolean passwordSet() {
        return memory.readByte(base + H_PW_SET) == FLAG_SET;
    }

    private boolean locked() {
        return passwordSet() && !unlocked[ctx];
    }

    private int slotAddress(int slot) {
        return base + HEADER_SIZE + slot * RECORD_SIZE;
    }

    private boolean used(int slot) {
        return memory.readByte(slotAddress(slot) + R_STATUS) == SLOT_USED;
    }

    private int freeSlot() {
        for (int s = 0; s < slots; s++) {
            if (!used(s)) {
                return s;
            }
        }
        return -1;
    }

    private int findSlot(byte[] buf, int off, int len) {
        if (len < 1 || len > Oath.MAX_NAME_LENGTH) {
            return -1;
        }
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
    }

    /** The TOTP period from a {@code [period/]...} name; 30 when absent. */
    /** The TOTP period of a record's name: the one rule of {@link PeriodPrefix}, shared with the host. */
    private static int periodOf(byte[] rec) {
        return PeriodPrefix.period(rec, R_NAME, rec[R_NAME_LEN] & 0xFF);
    }

    /** Right-aligns a challenge of up to 8 bytes into {@link #step}. */
    private void toStep(byte[] src, int off, int len) {
        Arrays.fill(step, (byte) 0);
        int n = Math.min(len, COUNTER_LENGTH);
        System.arraycopy(src, off + len - n, step, COUNTER_LENGTH - n, n);
    }

    /** Whether the challenge, read as an unsigned big-endian number, is below the stored last one. */
    private boolean isLower(byte[] src, int off, int len, byte[] rec, int lastOff) {
        toStep(src, off, len);
        return Arrays.compareUnsigned(step, 0, COUNTER_LENGTH, rec, lastOff, lastOff + COUNTER_LENGTH) < 0;
    }

    /**
     * Like {@link OathType#fromTypeAlg} but over a cached array: {@code values()} clones its
     * array on every call, which would make the hot path allocate.
     */
    private static OathType typeOf(int typeAlg) {
        int nibble = typeAlg & TYPE_MASK;
        for (OathType t : TYPES) {
            if (t.code == nibble) {
                return t;
            }
        }
        return null;
    }

    /** Like {@link HashAlgorithm#fromTypeAlg}, allocation-free (see {@link #typeOf}). */
    private static HashAlgorithm algOf(int typeAlg) {
        int nibble = typeAlg & ALG_MASK;
        for (HashAlgorithm a : ALGORITHMS) {
            if (a.code == nibble) {
                return a;
            }
        }
        return null;
    }

    private static void checkName(int len) {
        if (len < 1 || len > Oath.MAX_NAME_LENGTH) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
    }

    // ---- TLV cursor (in place, no objects) ----

    private void startTlv(Apdu apdu) {
        cursor = apdu.dataOffset();
        end = cursor + apdu.lc();
    }

    private void expect(byte[] buf, int tag) {
        if (cursor + 2 > end || (buf[cursor] & 0xFF) != tag) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
        int len = buf[cursor + 1] & 0xFF;
        int p = cursor + 2;
        if (len == TLV_LONG_1) {
            if (p >= end) {
                StatusWordException.throwIt(StatusWord.WRONG_DATA);
            }
            len = buf[p++] & 0xFF;
        } else if (len >= SHORT_LENGTH_LIMIT) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
        if (p + len > end) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
        valueOffset = p;
        valueLength = len;
        cursor = p + len;
    }

    // ---- firmware-internal API for the button and display (firmware.ui) ----
    // The display reads accounts in storage order, without an APDU and without the
    // password: a real token's button shows codes whether or not the host is unlocked.
    // The caller serialises these with APDU processing (the simulator's chip lock).

    /** The slot of the {@code index}-th stored account (0-based, storage order). */
    private int slotOfIndex(int index) {
        int n = 0;
        for (int s = 0; s < slots; s++) {
            if (used(s)) {
                if (n == index) {
                    return s;
                }
                n++;
            }
        }
        throw new IndexOutOfBoundsException("no account " + index);
    }

    private int recordByte(int index, int offset) {
        return memory.readByte(slotAddress(slotOfIndex(index)) + offset) & 0xFF;
    }

    /** The type of the {@code index}-th account. */
    public OathType accountType(int index) {
        return OathType.fromTypeAlg(recordByte(index, R_TYPE_ALG));
    }

    /** The digits of the {@code index}-th account's codes. */
    public int accountDigits(int index) {
        return recordByte(index, R_DIGITS);
    }

    /** Whether the {@code index}-th account requires a touch for host requests. */
    public boolean accountRequiresTouch(int index) {
        return (recordByte(index, R_PROPS) & Oath.PROP_REQUIRE_TOUCH) != 0;
    }

    /** The TOTP period of the {@code index}-th account, from its name (30 by default). */
    public int accountPeriod(int index) {
        int addr = slotAddress(slotOfIndex(index));
        try {
            memory.read(addr, record, 0, R_TYPE_ALG);
            return periodOf(record);
        } finally {
            Arrays.fill(record, (byte) 0);
        }
    }

    /** The TOTP code (as a number below 10^digits) of the {@code index}-th account for {@code timeStep}. */
    public int displayTotp(int index, long timeStep) {
        int addr = slotAddress(slotOfIndex(index));
        try {
            memory.read(addr, record, 0, RECORD_SIZE);
            Hotp.writeCounter(timeStep, step, 0);
            return truncate(compute(record, step, 0, COUNTER_LENGTH), record[R_DIGITS]);
        } finally {
            Arrays.fill(record, (byte) 0);
            Arrays.fill(mac, (byte) 0);
        }
    }

    /**
     * The next HOTP code of the {@code index}-th account; the counter moves on persistently
     * (in one transaction) before the code is returned, as for a host CALCULATE.
     */
    public int displayNextHotp(int index) {
        int addr = slotAddress(slotOfIndex(index));
        try {
            memory.read(addr, record, 0, RECORD_SIZE);
            int code = truncate(compute(record, record, R_COUNTER, COUNTER_LENGTH), record[R_DIGITS]);
            Hotp.writeCounter(Hotp.readCounter(record, R_COUNTER) + 1, step, 0);
            memory.beginTransaction();
            memory.write(addr + R_COUNTER, step, 0, COUNTER_LENGTH);
            memory.commitTransaction();
            return code;
        } finally {
            Arrays.fill(record, (byte) 0);
            Arrays.fill(mac, (byte) 0);
        }
    }

    /** RFC 4226 dynamic truncation of {@link #mac}, reduced to {@code digits} digits. */
    private int truncate(int macLen, byte digits) {
        return OtpFormat.reduce(OtpFormat.truncate(mac, 0, macLen), digits);
    }
}
