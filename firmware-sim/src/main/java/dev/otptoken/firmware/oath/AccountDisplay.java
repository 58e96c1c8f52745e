package dev.otptoken.firmware.oath;

import static dev.otptoken.firmware.oath.AccountStore.COUNTER_LENGTH;
import static dev.otptoken.firmware.oath.AccountStore.RECORD_SIZE;
import static dev.otptoken.firmware.oath.AccountStore.R_COUNTER;
import static dev.otptoken.firmware.oath.AccountStore.R_DIGITS;
import static dev.otptoken.firmware.oath.AccountStore.R_NAME;
import static dev.otptoken.firmware.oath.AccountStore.R_NAME_LEN;
import static dev.otptoken.firmware.oath.AccountStore.R_PROPS;
import static dev.otptoken.firmware.oath.AccountStore.R_TYPE_ALG;

import dev.otptoken.protocol.oath.AccountName;
import dev.otptoken.protocol.oath.Hotp;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.OtpFormat;
import dev.otptoken.protocol.oath.SteamCode;
import java.util.Arrays;

/**
 * The OATH accounts as the token's button and display see them (firmware.ui): in storage
 * order, without an APDU and without the password — a real token's button shows codes
 * whether or not the host is unlocked. The caller serialises these with APDU processing
 * (the simulator's chip lock), since they share the applet's store and OTP engine.
 */
public final class AccountDisplay {
    private final AccountStore store;
    private final OtpEngine engine;
    private final byte[] record = new byte[RECORD_SIZE];

    AccountDisplay(AccountStore store, OtpEngine engine) {
        this.store = store;
        this.engine = engine;
    }

    /** Accounts stored. */
    public int accountCount() {
        return store.accountsUsed();
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

    /**
     * The {@code index}-th account's name as a host lists it: {@code issuer:account}, without
     * the period prefix. Not a secret; it may hold any character a PUT wrote, so a caller
     * printing it escapes it.
     */
    public String accountName(int index) {
        byte[] name = new byte[Oath.MAX_NAME_LENGTH];
        int len = store.readName(store.slotOfIndex(index), name, 0);
        return AccountName.parse(accountType(index), Arrays.copyOf(name, len)).display();
    }

    /** The TOTP period of the {@code index}-th account, from its name (30 by default). */
    public int accountPeriod(int index) {
        try {
            store.read(store.slotOfIndex(index), record, R_TYPE_ALG);
            return OtpEngine.periodOf(record);
        } finally {
            Arrays.fill(record, (byte) 0);
        }
    }

    /**
     * Whether the {@code index}-th account is a Steam account, whose code the display shows as
     * five characters of Steam's alphabet: {@link SteamCode}'s rule on its stored name, the one
     * the host applies too. Allocation-free.
     */
    public boolean accountIsSteam(int index) {
        try {
            store.read(store.slotOfIndex(index), record, R_TYPE_ALG + 1);
            return SteamCode.isSteam(OathType.fromTypeAlg(record[R_TYPE_ALG]), record, R_NAME, record[R_NAME_LEN] & 0xFF);
        } finally {
            Arrays.fill(record, (byte) 0);
        }
    }

    /** The TOTP code (as a number below 10^digits) of the {@code index}-th account for {@code timeStep}. */
    public int totp(int index, long timeStep) {
        return OtpFormat.reduce(totpTruncated(index, timeStep), accountDigits(index));
    }

    /**
     * The RFC 4226 dynamic truncation (31 bits, before any reduction) of the {@code index}-th
     * account's HMAC for {@code timeStep}: the digits of {@link OtpFormat#reduce} or the
     * characters of {@link SteamCode#write} are made from it.
     */
    public int totpTruncated(int index, long timeStep) {
        try {
            store.read(store.slotOfIndex(index), record, RECORD_SIZE);
            engine.movingFactor(timeStep);
            return OtpFormat.truncate(engine.mac, 0, engine.compute(record, engine.step, 0, COUNTER_LENGTH));
        } finally {
            Arrays.fill(record, (byte) 0);
            engine.wipe();
        }
    }

    /**
     * The next HOTP code of the {@code index}-th account; the counter moves on persistently
     * (in one transaction) before the code is returned, as for a host CALCULATE.
     */
    public int nextHotp(int index) {
        int slot = store.slotOfIndex(index);
        try {
            store.read(slot, record, RECORD_SIZE);
            int code = engine.code(engine.compute(record, record, R_COUNTER, COUNTER_LENGTH), record[R_DIGITS]);
            engine.movingFactor(Hotp.readCounter(record, R_COUNTER) + 1);
            store.writeMovingFactor(slot, R_COUNTER, engine.step, true);
            return code;
        } finally {
            Arrays.fill(record, (byte) 0);
            engine.wipe();
        }
    }

    private int recordByte(int index, int offset) {
        return store.readByte(store.slotOfIndex(index), offset) & 0xFF;
    }
}
