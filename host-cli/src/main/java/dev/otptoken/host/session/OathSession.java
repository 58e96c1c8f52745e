package dev.otptoken.host.session;

import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.ApduTransport;
import dev.otptoken.protocol.apdu.CommandApdu;
import dev.otptoken.protocol.apdu.ResponseChaining;
import dev.otptoken.protocol.oath.AccountName;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Hotp;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OathKeys;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.OtpFormat;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.protocol.oath.SteamCode;
import dev.otptoken.protocol.oath.Totp;
import dev.otptoken.protocol.tlv.Tlv;
import dev.otptoken.protocol.tlv.TlvWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The host side of the YKOATH applet (docs/oath-applet.md), byte-compatible with what ykman
 * sends. Replies chaining through {@code 61xx} are joined by {@link ResponseChaining}.
 */
public final class OathSession {
    /** ykman's PBKDF2 variant: HMAC-SHA1, the salt from SELECT (see {@link Oath#PBKDF2_ITERATIONS}). */
    private static final String PBKDF2 = "PBKDF2WithHmacSHA1";
    /** The password key is always stored as a TOTP/SHA-1 key, as ykman does. */
    /**
     * The token counts wrong passwords persistently and, after a few in a row, makes every
     * further try wait (up to 30 s): say so, so that a slow answer is not taken for a hang.
     */
    static final String WRONG_PASSWORD = "wrong password (after 3 wrong passwords in a row the token"
            + " waits before each further try, up to 30 s)";
    /** Bytes of SHA-256(salt) in the device id (ykman's {@code _get_device_id}). */
    private static final int DEVICE_ID_BYTES = 16;
    private static final int PASSWORD_TYPE_ALG = OathType.TOTP.code | HashAlgorithm.SHA1.code;
    /** {@code 76} payload: one digits byte then four bytes of dynamic truncation. */

    private final ApduTransport transport;
    private final RandomGenerator random;
    private byte[] salt;
    private byte[] lockChallenge;
    private HashAlgorithm lockAlgorithm;

    /** A session with a {@link java.security.SecureRandom} for its challenges. */
    public OathSession(ApduTransport transport) {
        this(transport, new java.security.SecureRandom());
    }

    /** A session drawing its VALIDATE and SET CODE challenges from {@code random} (a SecureRandom in production). */
    public OathSession(ApduTransport transport, RandomGenerator random) {
        this.transport = new ResponseChaining(transport);
        this.random = random;
    }

    /** Selects the applet; learns the salt and whether a password is set. */
    public Selection select() throws IOException, ApduException {
        byte[] data = CheckedExchange.transmit(transport, CommandApdu.select(Oath.aid()));
        List<Tlv> tlvs = ReplyFields.parse(data);
        byte[] version = ReplyFields.require(tlvs, Oath.TAG_VERSION);
        salt = ReplyFields.require(tlvs, Oath.TAG_NAME);
        lockChallenge = ReplyFields.find(tlvs, Oath.TAG_CHALLENGE);
        byte[] alg = ReplyFields.find(tlvs, Oath.TAG_ALGORITHM);
        lockAlgorithm = HashAlgorithm.SHA1;
        if (alg != null && alg.length == 1 && HashAlgorithm.fromTypeAlg(alg[0]) != null) {
            lockAlgorithm = HashAlgorithm.fromTypeAlg(alg[0]);
        }
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < version.length; i++) {
            v.append(i == 0 ? "" : ".").append(version[i] & 0xFF);
        }
        return new Selection(v.toString(), lockChallenge != null);
    }

    /**
     * Writes one account. The key goes through {@link OathKeys#prepare} (hashed when longer
     * than the hash block, zero-padded to 14 bytes); touch is sent as ykman does, {@code 78 02}
     * without a length byte; an HOTP counter above zero as {@code 7A 04 imf}.
     */
    public void put(AccountName name, OathType type, HashAlgorithm algorithm, int digits, SecretBytes secret,
                    long counter, boolean touch) throws IOException, ApduException {
        byte[] nameBytes = name.encode(type);
        byte[] key = secret.use(raw -> OathKeys.prepare(algorithm, raw));
        byte[] keyField = new byte[2 + key.length];
        byte[] command = null;
        try {
            keyField[0] = (byte) (type.code | algorithm.code);
            keyField[1] = (byte) digits;
            System.arraycopy(key, 0, keyField, 2, key.length);
            TlvWriter w = new TlvWriter();
            w.put(Oath.TAG_NAME, nameBytes);
            w.put(Oath.TAG_KEY, keyField);
            if (touch) {
                w.putRaw(new byte[] {(byte) Oath.TAG_PROPERTY, (byte) Oath.PROP_REQUIRE_TOUCH});
            }
            if (type == OathType.HOTP && counter > 0) {
                w.put(Oath.TAG_IMF, ByteBuffer.allocate(Oath.IMF_LENGTH).putInt((int) counter).array());
            }
            command = w.toByteArray();
            w.wipe();
            CheckedExchange.transmitSecret(transport, CommandApdu.of(Oath.CLA, Oath.INS_PUT, 0, 0, command));
        } finally {
            SecretBytes.wipe(key);
            SecretBytes.wipe(keyField);
            SecretBytes.wipe(command);
        }
    }

    /** PUT of a parsed credential (its counter goes out as the IMF for HOTP). */
    public void put(OtpCredential credential, boolean touch) throws IOException, ApduException {
        put(credential.name(), credential.type(), credential.algorithm(), credential.digits(), credential.secret(),
                credential.counter(), touch);
    }

    /** LIST, enriched with the digits and touch flags CALCULATE ALL reveals. */
    public List<Account> list(Instant now) throws IOException, ApduException {
        return listWithCodes(now).stream().map(AccountCode::account).toList();
    }

    /**
     * LIST and one CALCULATE ALL at {@code now}: every account with what that CALCULATE ALL
     * could tell and compute. A code is kept for TOTP accounts of the default period without
     * touch only and not Steam: CALCULATE ALL sends the 30-second step, so another period's code
     * would be for the wrong step, and a Steam account's characters come, as ykman makes them,
     * from the full HMAC ({@link #calculate(Account, Instant)}); HOTP and touch
     * accounts are named, not computed (no counter moves, no wait for a press).
     */
    public List<AccountCode> listWithCodes(Instant now) throws IOException, ApduException {
        byte[] data = CheckedExchange.transmit(transport, CommandApdu.of(Oath.CLA, Oath.INS_LIST, 0, 0, new byte[0]));
        List<Account> listed = new ArrayList<>();
        for (Tlv t : ReplyFields.parse(data)) {
            if (t.tag() != Oath.TAG_NAME_LIST) {
                continue;
            }
            byte[] v = t.value();
            if (v.length < 2) {
                throw new IOException("token listed an empty account name");
            }
            OathType type = OathType.fromTypeAlg(v[0]);
            HashAlgorithm alg = HashAlgorithm.fromTypeAlg(v[0]);
            if (type == null || alg == null) {
                throw new IOException(String.format(Locale.ROOT, "token listed an unknown type/algorithm %02X", v[0]));
            }
            byte[] id = Arrays.copyOfRange(v, 1, v.length);
            listed.add(new Account(id, AccountName.parse(type, id), type, alg, OptionalInt.empty(), Optional.empty()));
        }
        if (listed.isEmpty()) {
            return List.of();
        }
        Map<String, CalculatedEntry> byId = new HashMap<>();
        for (CalculatedEntry e : calculateAll(now)) {
            byId.put(new String(e.id(), StandardCharsets.ISO_8859_1), e);
        }
        List<AccountCode> result = new ArrayList<>(listed.size());
        for (Account a : listed) {
            CalculatedEntry e = byId.get(new String(a.id(), StandardCharsets.ISO_8859_1));
            if (e == null) {
                result.add(new AccountCode(a, Optional.empty()));
                continue;
            }
            Optional<Boolean> touch = switch (e.kind()) {
                case TOUCH -> Optional.of(true);
                case CODE -> Optional.of(false);
                case HOTP -> Optional.empty();
            };
            Account detailed = a.withDetails(OptionalInt.of(e.digits()), touch);
            // a Steam account's code is made from the full HMAC, as ykman does (calculateSteam)
            boolean forThisStep = detailed.type() == OathType.TOTP && detailed.period() == Oath.DEFAULT_PERIOD
                    && !detailed.isSteam();
            result.add(new AccountCode(detailed, forThisStep ? e.code() : Optional.empty()));
        }
        return result;
    }

    /** CALCULATE ALL with the 30-second time step of {@code now}, truncated codes. */
    public List<CalculatedEntry> calculateAll(Instant now) throws IOException, ApduException {
        TlvWriter w = new TlvWriter();
        w.put(Oath.TAG_CHALLENGE, Totp.challenge(now, Oath.DEFAULT_PERIOD));
        byte[] data = CheckedExchange.transmit(transport, CommandApdu.of(Oath.CLA, Oath.INS_CALCULATE_ALL, 0,
                Oath.P2_TRUNCATED, w.toByteArray()));
        List<Tlv> tlvs = ReplyFields.parse(data);
        List<CalculatedEntry> entries = new ArrayList<>();
        for (int i = 0; i < tlvs.size(); i++) {
            Tlv nameTlv = tlvs.get(i);
            if (nameTlv.tag() != Oath.TAG_NAME || i + 1 >= tlvs.size()) {
                throw new IOException("CALCULATE ALL reply is not name/result pairs");
            }
            Tlv result = tlvs.get(++i);
            byte[] v = result.value();
            if (v.length < 1) {
                throw new IOException("CALCULATE ALL result without digits");
            }
            int digits = v[0] & 0xFF;
            CalculatedEntry.Kind kind = switch (result.tag()) {
                case Oath.TAG_TRUNCATED -> CalculatedEntry.Kind.CODE;
                case Oath.TAG_HOTP -> CalculatedEntry.Kind.HOTP;
                case Oath.TAG_TOUCH -> CalculatedEntry.Kind.TOUCH;
                default -> throw new IOException(String.format(Locale.ROOT,
                        "CALCULATE ALL result has unknown tag %02X", result.tag()));
            };
            Optional<Code> code = Optional.empty();
            if (kind == CalculatedEntry.Kind.CODE) {
                code = Optional.of(truncated(v));
            }
            entries.add(new CalculatedEntry(nameTlv.value(), kind, digits, code));
        }
        return entries;
    }

    /**
     * CALCULATE one account: {@code challenge} is the HOST's time step for TOTP (8 bytes) and
     * ignored by the token for HOTP (its counter is used and incremented).
     */
    public Code calculate(byte[] id, byte[] challenge) throws IOException, ApduException {
        byte[] data = calculateReply(id, challenge, Oath.P2_TRUNCATED);
        return truncated(ReplyFields.require(ReplyFields.parse(data), Oath.TAG_TRUNCATED));
    }

    /** CALCULATE {@code id} with {@code challenge}: the reply's data, truncated or full by {@code p2}. */
    private byte[] calculateReply(byte[] id, byte[] challenge, int p2) throws IOException, ApduException {
        TlvWriter w = new TlvWriter();
        w.put(Oath.TAG_NAME, id);
        w.put(Oath.TAG_CHALLENGE, challenge);
        return CheckedExchange.transmit(transport, CommandApdu.of(Oath.CLA, Oath.INS_CALCULATE, 0, p2,
                w.toByteArray()));
    }

    /**
     * CALCULATE a TOTP account at the host's time {@code now} with the account's period; a
     * Steam account's code comes from the full HMAC ({@link #calculateSteam}).
     */
    public Code calculate(Account account, Instant now) throws IOException, ApduException {
        byte[] challenge = account.type() == OathType.TOTP ? Totp.challenge(now, account.period()) : new byte[0];
        return account.isSteam() ? calculateSteam(account.id(), challenge) : calculate(account.id(), challenge);
    }

    /**
     * CALCULATE with the full response (P2 {@code 00}), as ykman's {@code calculate_steam} does:
     * the token answers {@code 75 len digits HMAC}, and the code is five Steam characters of the
     * HMAC's dynamic truncation ({@link SteamCode}). The HMAC is wiped after use.
     */
    public Code calculateSteam(byte[] id, byte[] challenge) throws IOException, ApduException {
        byte[] data = calculateReply(id, challenge, Oath.P2_FULL);
        byte[] response = ReplyFields.require(ReplyFields.parse(data), Oath.TAG_RESPONSE);
        try {
            if (response.length < 1 + OtpFormat.MIN_HMAC_LENGTH) {
                throw new IOException("full CALCULATE answer has " + response.length + " bytes, expected the digits"
                        + " and an HMAC of at least " + OtpFormat.MIN_HMAC_LENGTH);
            }
            return Code.steam(response, 1, response.length - 1);
        } finally {
            SecretBytes.wipe(response);
            SecretBytes.wipe(data);
        }
    }

    /** CALCULATE with an empty challenge: the token uses its own RTC (this project's extension). */
    public Code codeFromTokenClock(byte[] id) throws IOException, ApduException {
        return calculate(id, new byte[0]);
    }

    /** {@link #codeFromTokenClock(byte[])} of an account, a Steam account's code from the full HMAC. */
    public Code codeFromTokenClock(Account account) throws IOException, ApduException {
        return account.isSteam() ? calculateSteam(account.id(), new byte[0]) : codeFromTokenClock(account.id());
    }

    public void delete(byte[] id) throws IOException, ApduException {
        TlvWriter w = new TlvWriter();
        w.put(Oath.TAG_NAME, id);
        CheckedExchange.transmit(transport, CommandApdu.of(Oath.CLA, Oath.INS_DELETE, 0, 0, w.toByteArray()));
    }

    public void rename(byte[] oldId, byte[] newId) throws IOException, ApduException {
        TlvWriter w = new TlvWriter();
        w.put(Oath.TAG_NAME, oldId);
        w.put(Oath.TAG_NAME, newId);
        CheckedExchange.transmit(transport, CommandApdu.of(Oath.CLA, Oath.INS_RENAME, 0, 0, w.toByteArray()));
    }

    /** Wipes every account and the password; the token makes a new salt, so we select again. */
    public Selection reset() throws IOException, ApduException {
        CheckedExchange.transmit(transport, CommandApdu.of(Oath.CLA, Oath.INS_RESET, Oath.P1_RESET, Oath.P2_RESET,
                new byte[0]));
        return select();
    }

    /**
     * Unlocks a locked applet: VALIDATE with the response to the token's challenge, then
     * checks (in constant time) the token's response to ours, so a token that does not know
     * the key cannot pretend it accepted the password.
     */
    public void unlock(char[] password) throws IOException, ApduException, WrongPasswordException {
        requireSelected();
        if (lockChallenge == null) {
            return;
        }
        byte[] key = deriveKey(password, salt);
        try {
            unlock(key);
        } finally {
            SecretBytes.wipe(key);
        }
    }

    /**
     * {@link #unlock(char[])} with the access key itself ({@link #accessKey}, or one remembered
     * from an earlier unlock). The caller keeps and wipes {@code key}.
     */
    public void unlock(byte[] key) throws IOException, ApduException, WrongPasswordException {
        requireSelected();
        if (lockChallenge == null) {
            return;
        }
        byte[] ours = new byte[Oath.CHALLENGE_LENGTH];
        random.nextBytes(ours);
        byte[] response = null;
        byte[] expected = null;
        byte[] body = null;
        try {
            response = Hotp.hmac(lockAlgorithm, key, lockChallenge);
            expected = Hotp.hmac(lockAlgorithm, key, ours);
            TlvWriter w = new TlvWriter();
            w.put(Oath.TAG_RESPONSE, response);
            w.put(Oath.TAG_CHALLENGE, ours);
            body = w.toByteArray();
            w.wipe();
            byte[] data;
            try {
                data = CheckedExchange.transmitSecret(transport, CommandApdu.of(Oath.CLA, Oath.INS_VALIDATE, 0, 0, body));
            } catch (ApduException e) {
                if (e.statusWord() == dev.otptoken.protocol.apdu.StatusWord.REFERENCE_DATA_NOT_USABLE) {
                    throw new WrongPasswordException(WRONG_PASSWORD);
                }
                throw e;
            }
            byte[] theirs = ReplyFields.require(ReplyFields.parse(data), Oath.TAG_RESPONSE);
            if (!MessageDigest.isEqual(theirs, expected)) {
                throw new WrongPasswordException("the token's answer to our challenge is wrong: not the token we set up");
            }
            lockChallenge = null;
        } finally {
            SecretBytes.wipe(response);
            SecretBytes.wipe(expected);
            SecretBytes.wipe(body);
        }
    }

    /** SET CODE with a key derived from {@code password}; the token checks our proof of the key. */
    public void setPassword(char[] password) throws IOException, ApduException {
        requireSelected();
        byte[] key = deriveKey(password, salt);
        try {
            setAccessKey(key);
        } finally {
            SecretBytes.wipe(key);
        }
    }

    /** {@link #setPassword} with the access key itself ({@link #accessKey}); the caller wipes {@code key}. */
    public void setAccessKey(byte[] key) throws IOException, ApduException {
        requireSelected();
        byte[] challenge = new byte[Oath.CHALLENGE_LENGTH];
        random.nextBytes(challenge);
        byte[] keyField = new byte[1 + key.length];
        byte[] response = null;
        byte[] command = null;
        try {
            keyField[0] = (byte) PASSWORD_TYPE_ALG;
            System.arraycopy(key, 0, keyField, 1, key.length);
            response = Hotp.hmac(HashAlgorithm.SHA1, key, challenge);
            TlvWriter w = new TlvWriter();
            w.put(Oath.TAG_KEY, keyField);
            w.put(Oath.TAG_CHALLENGE, challenge);
            w.put(Oath.TAG_RESPONSE, response);
            command = w.toByteArray();
            w.wipe();
            CheckedExchange.transmitSecret(transport, CommandApdu.of(Oath.CLA, Oath.INS_SET_CODE, 0, 0, command));
        } finally {
            SecretBytes.wipe(keyField);
            SecretBytes.wipe(response);
            SecretBytes.wipe(command);
        }
    }

    /** SET CODE {@code 73 00}: removes the password (the applet must be unlocked). */
    public void clearPassword() throws IOException, ApduException {
        TlvWriter w = new TlvWriter();
        w.put(Oath.TAG_KEY, new byte[0]);
        CheckedExchange.transmit(transport, CommandApdu.of(Oath.CLA, Oath.INS_SET_CODE, 0, 0, w.toByteArray()));
    }

    /**
     * The access key of {@code password} on this token (PBKDF2 with the salt SELECT gave): what
     * VALIDATE and SET CODE prove, and what {@code --remember} keeps. The caller wipes it.
     */
    public byte[] accessKey(char[] password) {
        requireSelected();
        return deriveKey(password, salt);
    }

    /**
     * The id of this OATH applet instance, as ykman computes it: the first 16 bytes of
     * SHA-256 over the SELECT salt, in base64 without padding. A reset makes a new salt, and
     * so a new id.
     */
    public String deviceId() {
        requireSelected();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(salt);
            return java.util.Base64.getEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, DEVICE_ID_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** PBKDF2-HMAC-SHA1(password, salt, 1000, 16), the YKOATH access key. */
    static byte[] deriveKey(char[] password, byte[] salt) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, Oath.PBKDF2_ITERATIONS, Oath.PASSWORD_KEY_LENGTH * 8);
        try {
            return SecretKeyFactory.getInstance(PBKDF2).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + PBKDF2, e);
        } finally {
            spec.clearPassword();
        }
    }

    private static Code truncated(byte[] v) throws IOException {
        if (v.length != Oath.TRUNCATED_LENGTH) {
            throw new IOException("truncated code has " + v.length + " bytes, expected " + Oath.TRUNCATED_LENGTH);
        }
        int digits = v[0] & 0xFF;
        if (digits < Oath.MIN_DIGITS || digits > Oath.MAX_DIGITS) {
            throw new IOException("token answered a code of " + digits + " digits");
        }
        return Code.fromTruncated(digits, ByteBuffer.wrap(v, 1, 4).getInt());
    }

    private void requireSelected() {
        if (salt == null) {
            throw new IllegalStateException("select() first");
        }
    }
}
