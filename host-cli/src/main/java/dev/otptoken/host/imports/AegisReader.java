package dev.otptoken.host.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otptoken.protocol.oath.SecretBytes;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.AEADBadTagException;

/**
 * An Aegis vault export, plain or encrypted (docs/imports.md, "Aegis"): the format of Aegis's
 * {@code docs/vault.md}. An encrypted vault's master key is unwrapped from a password slot
 * (scrypt, then AES-256-GCM) and decrypts the content (AES-256-GCM); every scrypt parameter of
 * every slot is checked against {@link ExportCrypto}'s bounds before the password is asked.
 */
public final class AegisReader implements ExportReader {
    static final String FORMAT = "Aegis vault";
    /** The vault version Aegis writes (docs/vault.md). */
    private static final int VAULT_VERSION = 1;
    /** The content versions known (Aegis 3.x writes 3; each added fields, none changed the entries read here). */
    private static final int MAX_CONTENT_VERSION = 3;
    private static final int PASSWORD_SLOT = 1;
    /** Most password slots tried: each costs one scrypt. */
    static final int MAX_PASSWORD_SLOTS = 4;

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean recognises(byte[] content) {
        ExportJson.Shape s = ExportJson.shape(content);
        return s != null && s.object() && s.has("version", "header", "db");
    }

    @Override
    public Imported read(byte[] content, ExportPassword password) throws ImportException {
        JsonNode root = ExportJson.parse(content, FORMAT);
        if (!root.isObject()) {
            throw new ImportException(FORMAT + ": not a JSON object");
        }
        long version = ExportJson.integer(root, "version", -1, FORMAT);
        if (version != VAULT_VERSION) {
            throw new ImportException(FORMAT + ": version " + version + " is not supported (" + VAULT_VERSION + ")");
        }
        JsonNode header = ExportJson.object(root, "header", FORMAT);
        JsonNode db = root.get("db");
        if (db != null && db.isObject()) {
            return entries(db);
        }
        if (db == null || !db.isTextual()) {
            throw new ImportException(FORMAT + ": \"db\" is neither the vault's content nor its ciphertext");
        }
        byte[] plain = decrypt(header, db.textValue(), password);
        try {
            JsonNode decrypted = ExportJson.parse(plain, FORMAT + " content");
            if (!decrypted.isObject()) {
                throw new ImportException(FORMAT + ": the decrypted content is not a JSON object");
            }
            return entries(decrypted);
        } finally {
            SecretBytes.wipe(plain);
        }
    }

    /** The content's bytes: the master key from a password slot, then the content with it. */
    private static byte[] decrypt(JsonNode header, String db, ExportPassword password) throws ImportException {
        JsonNode slots = ExportJson.array(header, "slots", FORMAT);
        JsonNode params = ExportJson.object(header, "params", FORMAT);
        byte[] nonce = ExportJson.hex(params, "nonce", FORMAT);
        byte[] tag = ExportJson.hex(params, "tag", FORMAT);
        byte[] ciphertext = ExportJson.base64(db, "\"db\"", FORMAT);
        List<PasswordSlot> candidates = new ArrayList<>();
        for (JsonNode slot : slots) {
            if (!slot.isObject() || ExportJson.integer(slot, "type", -1, FORMAT) != PASSWORD_SLOT) {
                continue; // a biometric slot's key lives in the phone's keystore
            }
            if (candidates.size() == MAX_PASSWORD_SLOTS) {
                throw new ImportException(FORMAT + ": more than " + MAX_PASSWORD_SLOTS + " password slots");
            }
            JsonNode keyParams = ExportJson.object(slot, "key_params", FORMAT);
            PasswordSlot s = new PasswordSlot(ExportJson.integer(slot, "n", -1, FORMAT),
                    ExportJson.integer(slot, "r", -1, FORMAT), ExportJson.integer(slot, "p", -1, FORMAT),
                    ExportJson.hex(slot, "salt", FORMAT), ExportJson.hex(slot, "key", FORMAT),
                    ExportJson.hex(keyParams, "nonce", FORMAT), ExportJson.hex(keyParams, "tag", FORMAT));
            ExportCrypto.checkScrypt(s.n, s.r, s.p, FORMAT);
            candidates.add(s);
        }
        if (candidates.isEmpty()) {
            throw new ImportException(FORMAT + ": no password slot (a vault unlocked only by biometrics cannot be"
                    + " read off the phone: set a password in Aegis and export again)");
        }
        char[] pw = password.password(FORMAT);
        byte[] master = null;
        try {
            for (PasswordSlot s : candidates) {
                byte[] derived = ExportCrypto.scrypt(pw, s.salt, s.n, s.r, s.p, FORMAT);
                try {
                    master = ExportCrypto.aesGcm(derived, s.nonce, s.key, s.tag, FORMAT + " slot");
                    break;
                } catch (AEADBadTagException wrong) {
                    // not this slot's password: the next slot, if any
                } finally {
                    SecretBytes.wipe(derived);
                }
            }
        } finally {
            SecretBytes.wipe(pw);
        }
        if (master == null) {
            throw new WrongExportPasswordException("wrong password for the " + FORMAT + " (no password slot opens)");
        }
        try {
            return ExportCrypto.aesGcm(master, nonce, ciphertext, tag, FORMAT);
        } catch (AEADBadTagException e) {
            throw new ImportException(FORMAT + ": the content does not match its authentication tag:"
                    + " the file is truncated or altered", e);
        } finally {
            SecretBytes.wipe(master);
        }
    }

    private record PasswordSlot(long n, long r, long p, byte[] salt, byte[] key, byte[] nonce, byte[] tag) {
        @Override
        public String toString() {
            return "PasswordSlot[n=" + n + ", r=" + r + ", p=" + p + "]";
        }
    }

    private static Imported entries(JsonNode db) throws ImportException {
        long version = ExportJson.integer(db, "version", -1, FORMAT);
        if (version < 1 || version > MAX_CONTENT_VERSION) {
            throw new ImportException(FORMAT + ": content version " + version + " is not supported (1 to "
                    + MAX_CONTENT_VERSION + ")");
        }
        return ImportedAccounts.collect(FORMAT, ExportJson.array(db, "entries", FORMAT), AegisReader::entry);
    }

    private static void entry(JsonNode e, ImportedAccounts accounts) throws ImportException {
        if (!e.isObject()) {
            throw new ImportException(FORMAT + ": an entry is not a JSON object");
        }
        String what = FORMAT + " entry";
        String type = ExportJson.text(e, "type", "", what);
        String name = ExportJson.text(e, "name", "", what);
        String issuer = ExportJson.text(e, "issuer", "", what);
        JsonNode info = ExportJson.object(e, "info", what);
        accounts.add(type, ImportedAccounts.Kind.of(type), issuer, name, ExportJson.text(info, "algo", "SHA1", what),
                ExportJson.integer(info, "digits", 6, what), ExportJson.integer(info, "period", 30, what),
                ExportJson.integer(info, "counter", 0, what), ExportJson.requiredText(info, "secret", what));
    }
}
