package dev.otptoken.firmware.oath;

import static dev.otptoken.firmware.oath.AccountStore.COUNTER_LENGTH;
import static dev.otptoken.firmware.oath.AccountStore.MAX_PW_KEY;
import static dev.otptoken.firmware.oath.AccountStore.RECORD_SIZE;
import static dev.otptoken.firmware.oath.AccountStore.R_COUNTER;
import static dev.otptoken.firmware.oath.AccountStore.R_DIGITS;
import static dev.otptoken.firmware.oath.AccountStore.R_KEY;
import static dev.otptoken.firmware.oath.AccountStore.R_KEY_LEN;
import static dev.otptoken.firmware.oath.AccountStore.R_LAST_CHALLENGE;
import static dev.otptoken.firmware.oath.AccountStore.R_NAME;
import static dev.otptoken.firmware.oath.AccountStore.R_NAME_LEN;
import static dev.otptoken.firmware.oath.AccountStore.R_PROPS;
import static dev.otptoken.firmware.oath.AccountStore.R_TYPE_ALG;
import static dev.otptoken.firmware.oath.AccountStore.algOf;
import static dev.otptoken.firmware.oath.AccountStore.typeOf;

import dev.otptoken.firmware.runtime.Apdu;
import dev.otptoken.firmware.runtime.Applet;
import dev.otptoken.firmware.runtime.CardRuntime;
import dev.otptoken.firmware.runtime.CorruptRegionException;
import dev.otptoken.firmware.runtime.StatusWordException;
import dev.otptoken.hardware.clock.RealTimeClock;
import dev.otptoken.hardware.memory.NonVolatileMemory;
import dev.otptoken.protocol.apdu.StatusWord;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Hmac;
import dev.otptoken.protocol.oath.Hotp;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.tlv.TlvCursor;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The YKOATH applet, byte-compatible with the YubiKey OATH application (docs/oath-applet.md).
 *
 * <p>This class is the dispatch: one {@code switch} on INS, each case checking its P1/P2 and
 * its lock policy, and one method per command that parses its TLVs in place in the APDU
 * buffer ({@link TlvCursor}). The rooms it works with are its own classes: the persistent
 * {@link AccountStore} (every change that takes more than one write in one transaction),
 * an {@link InterfaceSession} per interface (unlock, select challenge, pending reply), the
 * {@link OtpEngine} on the {@code protocol} primitives, and the {@link AccountDisplay} the
 * button reads. Every buffer, digest and pad is allocated at install time: CALCULATE,
 * CALCULATE ALL and LIST allocate nothing once warm.
 */
public final class OathApplet implements Applet {
    /** Where the failure count lies in the applet's region (see {@link AccountStore}). */
    public static final int FAILED_VALIDATIONS_OFFSET = AccountStore.FAILED_VALIDATIONS_OFFSET;

    /** Largest per-account entry of CALCULATE ALL: name TLV + full SHA-512 response TLV. */
    private static final int MAX_ALL_ENTRY = 2 + Oath.MAX_NAME_LENGTH + 2 + 1
            + HashAlgorithm.SHA512.digestLength;
    /** PUT's key value: the type/algorithm byte and the digits byte precede the key. */
    private static final int PUT_KEY_PREFIX = 2;
    /** SET CODE's key value: the type/algorithm byte precedes the key. */
    private static final int SET_CODE_KEY_PREFIX = 1;
    /** VALIDATE's reply: {@code 75 len} and the MAC. */
    private static final int RESPONSE_HEADER = 2;

    private final AccountStore store;
    private final OtpEngine engine = new OtpEngine();
    private final AccountDisplay display;
    private final RealTimeClock rtc;
    private final TouchGate touch;
    private final SecureRandom random;
    private final Pause pause;
    private final OathProfile profile;
    /** The version SELECT reports (tag 79), from the profile. */
    private final byte[] version;
    private long touchTimeoutMillis = TouchGate.DEFAULT_TIMEOUT_MILLIS;

    private final TlvCursor tlv = new TlvCursor();
    private final byte[] record = new byte[RECORD_SIZE];
    private final byte[] pwKey = new byte[MAX_PW_KEY];
    private final InterfaceSession[] sessions = new InterfaceSession[CardRuntime.INTERFACES];
    /** The session of the interface the command being processed came from. */
    private InterfaceSession session;

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

    /** The otptoken model's applet ({@link OathProfile#OTPTOKEN}) over {@code memory[base..base+length)}. */
    public OathApplet(NonVolatileMemory memory, int base, int length, RealTimeClock rtc, TouchGate touch,
            SecureRandom random, Pause pause) {
        this(memory, base, length, rtc, touch, random, pause, OathProfile.OTPTOKEN);
    }

    /**
     * The applet over {@code memory[base..base+length)}; formats it if it was never written
     * (see {@link AccountStore#inspectRegion}: a region that is neither ours nor empty is
     * refused with {@link IllegalStateException}, never formatted). Password guesses past the
     * free ones wait on {@code pause} ({@link ValidateThrottle}). The region's length sets the
     * capacity: {@link #capacityAccounts()} slots of 214 bytes after an 80-byte header. The
     * profile sets the version SELECT reports and what an empty TOTP challenge computes.
     */
    public OathApplet(NonVolatileMemory memory, int base, int length, RealTimeClock rtc, TouchGate touch,
            SecureRandom random, Pause pause, OathProfile profile) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.version = profile.versionBytes();
        this.store = new AccountStore(memory, base, length);
        this.display = new AccountDisplay(store, engine);
        this.rtc = rtc;
        this.touch = touch;
        this.random = random;
        this.pause = Objects.requireNonNull(pause, "pause");
        for (int i = 0; i < CardRuntime.INTERFACES; i++) {
            sessions[i] = new InterfaceSession(store.slots() * MAX_ALL_ENTRY);
        }
        session = sessions[CardRuntime.CONTACT];
        boolean ours;
        try {
            ours = AccountStore.inspectRegion(memory, base, length);
        } catch (CorruptRegionException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (!ours) {
            store.format(random);
        }
    }

    /** How long CALCULATE of a touch-required account waits for the button. */
    public void setTouchTimeoutMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("negative timeout");
        }
        this.touchTimeoutMillis = millis;
    }

    /** Wrong VALIDATEs in a row, as stored (0 after a right one, a RESET or a SET CODE). */
    public int failedValidations() {
        return store.failedValidations();
    }

    /** Accounts stored. */
    public int accountsUsed() {
        return store.accountsUsed();
    }

    /** Accounts of maximum size (64-byte name, 128-byte key) that fit in the empty region. */
    public int capacityAccounts() {
        return store.slots();
    }

    /** Bytes of the region in use: the header plus the occupied slots. */
    public int bytesUsed() {
        return store.bytesUsed();
    }

    /** Bytes of the region the applet manages (header plus all slots). */
    public int bytesTotal() {
        return store.bytesTotal();
    }

    /** The accounts as the button and display read them. */
    public AccountDisplay display() {
        return display;
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
        sessions[iface].reset();
    }

    @Override
    public void process(Apdu apdu) {
        session = sessions[apdu.interfaceIndex()];
        if (apdu.isSelecting()) {
            session.reset();
            select(apdu);
            return;
        }
        int ins = apdu.ins();
        if (ins != Oath.INS_SEND_REMAINING) {
            session.cancelReply();
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
                reset();
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
                session.sendRemaining(apdu);
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
        if (store.passwordSet() && !session.unlocked()) {
            StatusWordException.throwIt(StatusWord.SECURITY_STATUS_NOT_SATISFIED);
        }
    }

    // ---- parsing ----

    private void startTlv(Apdu apdu) {
        tlv.reset(apdu.buffer(), apdu.dataOffset(), apdu.lc());
    }

    /** Reads the next object, which must have {@code tag} and be well formed (6A80 otherwise). */
    private void expect(int tag) {
        if (!tlv.next(tag)) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
    }

    private static void checkName(int len) {
        if (len < 1 || len > Oath.MAX_NAME_LENGTH) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
    }

    // ---- commands ----

    private void select(Apdu apdu) {
        byte[] buf = apdu.buffer();
        int o = 0;
        buf[o++] = (byte) Oath.TAG_VERSION;
        buf[o++] = (byte) version.length;
        System.arraycopy(version, 0, buf, o, version.length);
        o += version.length;
        buf[o++] = (byte) Oath.TAG_NAME;
        buf[o++] = (byte) Oath.SALT_LENGTH;
        store.readSalt(buf, o);
        o += Oath.SALT_LENGTH;
        if (store.passwordSet()) {
            random.nextBytes(session.selectChallenge);
            session.challengeSent();
            buf[o++] = (byte) Oath.TAG_CHALLENGE;
            buf[o++] = (byte) Oath.CHALLENGE_LENGTH;
            System.arraycopy(session.selectChallenge, 0, buf, o, Oath.CHALLENGE_LENGTH);
            o += Oath.CHALLENGE_LENGTH;
            buf[o++] = (byte) Oath.TAG_ALGORITHM;
            buf[o++] = 1;
            buf[o++] = (byte) store.passwordTypeAlg();
        }
        apdu.setOutgoing(o);
    }

    private void put(Apdu apdu) {
        byte[] buf = apdu.buffer();
        startTlv(apdu);
        expect(Oath.TAG_NAME);
        int nameOff = tlv.valueOffset();
        int nameLen = tlv.valueLength();
        checkName(nameLen);
        expect(Oath.TAG_KEY);
        if (tlv.valueLength() < PUT_KEY_PREFIX) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
        int typeAlg = buf[tlv.valueOffset()] & 0xFF;
        int digits = buf[tlv.valueOffset() + 1] & 0xFF;
        int keyOff = tlv.valueOffset() + PUT_KEY_PREFIX;
        int keyLen = tlv.valueLength() - PUT_KEY_PREFIX;
        OathType type = typeOf(typeAlg);
        HashAlgorithm alg = algOf(typeAlg);
        if (type == null || alg == null || digits < Oath.MIN_DIGITS || digits > Oath.MAX_DIGITS
                || keyLen < Oath.MIN_KEY_LENGTH || keyLen > alg.blockSize) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
        int props = 0;
        int imfOff = -1;
        while (tlv.hasRemaining()) {
            int tag = tlv.peekTag();
            if (tag == Oath.TAG_PROPERTY) {
                // ykman sends 78 02 with no length, others 78 01 02: TlvCursor holds the one rule
                if (!tlv.nextProperty(Oath.TAG_PROPERTY, Oath.ALL_PROPERTIES, Oath.TAG_IMF)) {
                    StatusWordException.throwIt(StatusWord.WRONG_DATA);
                }
                props = tlv.valueByte();
            } else if (tag == Oath.TAG_IMF) {
                expect(Oath.TAG_IMF);
                if (tlv.valueLength() != Oath.IMF_LENGTH) {
                    StatusWordException.throwIt(StatusWord.WRONG_DATA);
                }
                imfOff = tlv.valueOffset();
            } else {
                StatusWordException.throwIt(StatusWord.WRONG_DATA);
            }
        }
        if ((props & ~Oath.ALL_PROPERTIES) != 0) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
        int slot = store.findSlot(buf, nameOff, nameLen);
        if (slot < 0) {
            slot = store.freeSlot();
            if (slot < 0) {
                StatusWordException.throwIt(StatusWord.NOT_ENOUGH_MEMORY);
            }
        }
        try {
            Arrays.fill(record, (byte) 0);
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
            store.store(slot, record);
        } finally {
            Arrays.fill(record, (byte) 0);
            Arrays.fill(buf, keyOff, keyOff + keyLen, (byte) 0);
        }
    }

    private void delete(Apdu apdu) {
        byte[] buf = apdu.buffer();
        startTlv(apdu);
        expect(Oath.TAG_NAME);
        int slot = store.findSlot(buf, tlv.valueOffset(), tlv.valueLength());
        if (slot < 0) {
            StatusWordException.throwIt(StatusWord.REFERENCE_DATA_NOT_USABLE);
        }
        store.delete(slot);
    }

    private void rename(Apdu apdu) {
        byte[] buf = apdu.buffer();
        startTlv(apdu);
        expect(Oath.TAG_NAME);
        int oldOff = tlv.valueOffset();
        int oldLen = tlv.valueLength();
        expect(Oath.TAG_NAME);
        int newOff = tlv.valueOffset();
        int newLen = tlv.valueLength();
        checkName(newLen);
        int slot = store.findSlot(buf, oldOff, oldLen);
        if (slot < 0) {
            StatusWordException.throwIt(StatusWord.REFERENCE_DATA_NOT_USABLE);
        }
        if (store.findSlot(buf, newOff, newLen) >= 0) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
        store.rename(slot, buf, newOff, newLen);
    }

    private void setCode(Apdu apdu) {
        byte[] buf = apdu.buffer();
        startTlv(apdu);
        expect(Oath.TAG_KEY);
        if (tlv.valueLength() == 0) {
            if (tlv.hasRemaining()) {
                StatusWordException.throwIt(StatusWord.WRONG_DATA);
            }
            store.clearPassword();
            session.unlock(false);
            return;
        }
        int typeAlg = buf[tlv.valueOffset()] & 0xFF;
        HashAlgorithm alg = algOf(typeAlg);
        int keyOff = tlv.valueOffset() + SET_CODE_KEY_PREFIX;
        int keyLen = tlv.valueLength() - SET_CODE_KEY_PREFIX;
        if (alg == null || keyLen < 1 || keyLen > MAX_PW_KEY) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
        expect(Oath.TAG_CHALLENGE);
        int chOff = tlv.valueOffset();
        int chLen = tlv.valueLength();
        expect(Oath.TAG_RESPONSE);
        Hmac h = engine.hmac(alg);
        try {
            h.init(buf, keyOff, keyLen);
            h.mac(buf, chOff, chLen, engine.mac, 0);
            if (tlv.valueLength() != h.length()
                    || !OtpEngine.equalsConstantTime(engine.mac, 0, buf, tlv.valueOffset(), h.length())) {
                StatusWordException.throwIt(StatusWord.WRONG_DATA);
            }
            store.setPassword(typeAlg, buf, keyOff, keyLen);
            session.unlock(true);
        } finally {
            h.clear();
            engine.wipe();
            Arrays.fill(buf, keyOff, keyOff + keyLen, (byte) 0);
        }
    }

    private void reset() {
        store.resetAll(random);
        // the password and the accounts are gone for every interface's session
        for (InterfaceSession s : sessions) {
            s.reset();
        }
    }

    private void list(Apdu apdu) {
        byte[] reply = session.reply;
        int o = 0;
        for (int s = 0; s < store.slots(); s++) {
            if (!store.used(s)) {
                continue;
            }
            int lengthAt = o + 1;
            reply[o] = (byte) Oath.TAG_NAME_LIST;
            reply[o + 2] = store.readByte(s, R_TYPE_ALG);
            int nameLen = store.readName(s, reply, o + 3);
            reply[lengthAt] = (byte) (nameLen + 1);
            o += 3 + nameLen;
        }
        session.startReply(apdu, o);
    }

    private void calculate(Apdu apdu) {
        byte[] buf = apdu.buffer();
        int p2 = apdu.p2();
        startTlv(apdu);
        expect(Oath.TAG_NAME);
        int slot = store.findSlot(buf, tlv.valueOffset(), tlv.valueLength());
        expect(Oath.TAG_CHALLENGE);
        if (slot < 0) {
            StatusWordException.throwIt(StatusWord.REFERENCE_DATA_NOT_USABLE);
        }
        try {
            store.read(slot, record, RECORD_SIZE);
            int typeAlg = record[R_TYPE_ALG] & 0xFF;
            int props = record[R_PROPS];
            byte[] challenge;
            int chOff;
            int chLen;
            if (typeOf(typeAlg) == OathType.HOTP) {
                challenge = record;
                chOff = R_COUNTER;
                chLen = COUNTER_LENGTH;
            } else if (tlv.valueLength() == 0 && profile.emptyChallenge() == OathProfile.EmptyChallenge.RTC_TIME_STEP) {
                engine.totpStep(rtc.readMicros(), record);
                challenge = engine.step;
                chOff = 0;
                chLen = COUNTER_LENGTH;
            } else {
                if (tlv.valueLength() > Oath.MAX_NAME_LENGTH) {
                    StatusWordException.throwIt(StatusWord.WRONG_DATA);
                }
                challenge = buf;
                chOff = tlv.valueOffset();
                chLen = tlv.valueLength();
            }
            boolean increasing = (props & Oath.PROP_ONLY_INCREASING) != 0
                    && typeOf(typeAlg) == OathType.TOTP;
            if (increasing && engine.isLower(challenge, chOff, chLen, record, R_LAST_CHALLENGE)) {
                StatusWordException.throwIt(StatusWord.CONDITIONS_NOT_SATISFIED);
            }
            if ((props & Oath.PROP_REQUIRE_TOUCH) != 0 && !touch.awaitTouch(touchTimeoutMillis)) {
                StatusWordException.throwIt(StatusWord.CONDITIONS_NOT_SATISFIED);
            }
            int len = engine.compute(record, challenge, chOff, chLen);
            if (challenge == record) {
                // HOTP: the next counter is durable before the code leaves the token.
                engine.movingFactor(Hotp.readCounter(record, R_COUNTER) + 1);
                store.writeMovingFactor(slot, R_COUNTER, engine.step, true);
            } else if (increasing) {
                engine.toStep(challenge, chOff, chLen);
                store.writeMovingFactor(slot, R_LAST_CHALLENGE, engine.step, true);
            }
            int o = engine.writeCode(buf, 0, record[R_DIGITS], len, p2 == Oath.P2_TRUNCATED);
            apdu.setOutgoing(o);
        } finally {
            Arrays.fill(record, (byte) 0);
            engine.wipe();
        }
    }

    private void calculateAll(Apdu apdu) {
        byte[] buf = apdu.buffer();
        byte[] reply = session.reply;
        int p2 = apdu.p2();
        startTlv(apdu);
        expect(Oath.TAG_CHALLENGE);
        int chOff = tlv.valueOffset();
        int chLen = tlv.valueLength();
        if (chLen > Oath.MAX_NAME_LENGTH) {
            StatusWordException.throwIt(StatusWord.WRONG_DATA);
        }
        int o = 0;
        try {
            for (int s = 0; s < store.slots(); s++) {
                if (!store.used(s)) {
                    continue;
                }
                store.read(s, record, RECORD_SIZE);
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
                        || (increasing && engine.isLower(buf, chOff, chLen, record, R_LAST_CHALLENGE))) {
                    o = writeNoCode(reply, o, Oath.TAG_HOTP, digits);
                } else if ((props & Oath.PROP_REQUIRE_TOUCH) != 0) {
                    o = writeNoCode(reply, o, Oath.TAG_TOUCH, digits);
                } else {
                    int len = engine.compute(record, buf, chOff, chLen);
                    o = engine.writeCode(reply, o, digits, len, p2 == Oath.P2_TRUNCATED);
                    if (increasing) {
                        engine.toStep(buf, chOff, chLen);
                        store.writeMovingFactor(s, R_LAST_CHALLENGE, engine.step, false);
                    }
                }
            }
            store.commitIfOpen();
        } finally {
            Arrays.fill(record, (byte) 0);
            engine.wipe();
        }
        session.startReply(apdu, o);
    }

    private static int writeNoCode(byte[] reply, int o, int tag, byte digits) {
        reply[o++] = (byte) tag;
        reply[o++] = 1;
        reply[o++] = digits;
        return o;
    }

    private void validate(Apdu apdu) {
        byte[] buf = apdu.buffer();
        startTlv(apdu);
        expect(Oath.TAG_RESPONSE);
        int respOff = tlv.valueOffset();
        int respLen = tlv.valueLength();
        expect(Oath.TAG_CHALLENGE);
        int chOff = tlv.valueOffset();
        int chLen = tlv.valueLength();
        if (!store.passwordSet() || !session.challengePending()) {
            StatusWordException.throwIt(StatusWord.REFERENCE_DATA_NOT_USABLE);
        }
        session.challengeUsed();
        HashAlgorithm alg = algOf(store.passwordTypeAlg());
        int keyLen = store.passwordKeyLength();
        if (alg == null || keyLen > MAX_PW_KEY) {
            StatusWordException.throwIt(StatusWord.UNKNOWN);
        }
        // Count the guess as wrong, durably, before anything is compared: cutting the power
        // during the wait or after the check cannot save it. A right answer undoes it below.
        int before = store.failedValidations();
        store.writeFailedValidations(Math.min(before + 1, ValidateThrottle.MAX_COUNT));
        if (!pause.pause(ValidateThrottle.delayMillis(before))) {
            // The wait was cut short (the token is stopping): the guess is spent unchecked.
            StatusWordException.throwIt(StatusWord.CONDITIONS_NOT_SATISFIED);
        }
        Hmac h = engine.hmac(alg);
        try {
            store.readPasswordKey(pwKey, keyLen);
            h.init(pwKey, 0, keyLen);
            h.mac(session.selectChallenge, 0, Oath.CHALLENGE_LENGTH, engine.mac, 0);
            if (respLen != h.length() || !OtpEngine.equalsConstantTime(engine.mac, 0, buf, respOff, respLen)) {
                StatusWordException.throwIt(StatusWord.REFERENCE_DATA_NOT_USABLE);
            }
            store.writeFailedValidations(0);
            session.unlock(true);
            h.mac(buf, chOff, chLen, buf, RESPONSE_HEADER);
            buf[0] = (byte) Oath.TAG_RESPONSE;
            buf[1] = (byte) h.length();
            apdu.setOutgoing(RESPONSE_HEADER + h.length());
        } finally {
            h.clear();
            Arrays.fill(pwKey, (byte) 0);
            engine.wipe();
        }
    }
}
