package dev.otptoken.host.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otptoken.protocol.oath.SecretBytes;

/**
 * A 2FAS backup ({@code .2fas}, docs/imports.md, "2FAS"): a JSON object whose
 * {@code services} hold the accounts, or whose {@code servicesEncrypted} holds them encrypted
 * as {@code BASE64(ciphertext and tag):BASE64(salt):BASE64(nonce)}, AES-256-GCM under a key
 * of PBKDF2-HMAC-SHA256 of the password, {@value #ITERATIONS} iterations.
 */
public final class TwoFasReader implements ExportReader {
    static final String FORMAT = "2FAS backup";
    /** 2FAS's fixed iteration count. */
    static final int ITERATIONS = 10_000;
    /** Schema versions known: 4 is the newest 2FAS writes; none changed the fields read here. */
    static final int MAX_SCHEMA_VERSION = 4;

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean recognises(byte[] content) {
        ExportJson.Shape s = ExportJson.shape(content);
        return s != null && s.object() && s.has("schemaVersion")
                && (s.names().contains("services") || s.names().contains("servicesEncrypted"));
    }

    @Override
    public Imported read(byte[] content, ExportPassword password) throws ImportException {
        JsonNode root = ExportJson.parse(content, FORMAT);
        if (!root.isObject()) {
            throw new ImportException(FORMAT + ": not a JSON object");
        }
        long version = ExportJson.integer(root, "schemaVersion", -1, FORMAT);
        if (version < 1 || version > MAX_SCHEMA_VERSION) {
            throw new ImportException(FORMAT + ": schema version " + version + " is not supported (1 to "
                    + MAX_SCHEMA_VERSION + ")");
        }
        String encrypted = ExportJson.text(root, "servicesEncrypted", null, FORMAT);
        if (encrypted == null) {
            return services(ExportJson.array(root, "services", FORMAT));
        }
        byte[] plain = decrypt(encrypted, password);
        try {
            JsonNode services = ExportJson.parse(plain, FORMAT + " content");
            if (!services.isArray()) {
                throw new ImportException(FORMAT + ": the decrypted services are not a JSON array");
            }
            return services(services);
        } finally {
            SecretBytes.wipe(plain);
        }
    }

    private static byte[] decrypt(String encrypted, ExportPassword password) throws ImportException {
        String[] parts = encrypted.split(":", -1);
        if (parts.length != 3) {
            throw new ImportException(FORMAT + ": \"servicesEncrypted\" is not ciphertext:salt:nonce");
        }
        byte[] ciphertext = ExportJson.base64(parts[0], "the ciphertext", FORMAT);
        byte[] salt = ExportJson.base64(parts[1], "the salt", FORMAT);
        byte[] nonce = ExportJson.base64(parts[2], "the nonce", FORMAT);
        if (nonce.length != ExportCrypto.GCM_NONCE_BYTES) {
            throw new ImportException(FORMAT + ": a nonce of " + nonce.length + " bytes ("
                    + ExportCrypto.GCM_NONCE_BYTES + " expected)");
        }
        if (ciphertext.length < ExportCrypto.GCM_TAG_BYTES) {
            throw new ImportException(FORMAT + ": the ciphertext is truncated (shorter than its tag)");
        }
        return ExportCrypto.pbkdf2AesGcm("HmacSHA256", password, salt, ITERATIONS, nonce, ciphertext, FORMAT);
    }

    private static Imported services(JsonNode services) throws ImportException {
        return ImportedAccounts.collect(FORMAT, services, TwoFasReader::service);
    }

    private static void service(JsonNode s, ImportedAccounts accounts) throws ImportException {
        if (!s.isObject()) {
            throw new ImportException(FORMAT + ": a service is not a JSON object");
        }
        String what = FORMAT + " service";
        JsonNode otp = s.get("otp");
        if (otp == null || !otp.isObject()) {
            otp = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        String issuer = ExportJson.text(s, "name", "", what);
        if (issuer.isBlank()) {
            issuer = ExportJson.text(otp, "issuer", "", what);
        }
        String account = ExportJson.text(otp, "account", "", what);
        String type = ExportJson.text(otp, "tokenType", "TOTP", what);
        accounts.add(type, ImportedAccounts.Kind.of(type), issuer, account, ExportJson.text(otp, "algorithm", "SHA1", what),
                ExportJson.integer(otp, "digits", 6, what), ExportJson.integer(otp, "period", 30, what),
                ExportJson.integer(otp, "counter", 0, what), ExportJson.requiredText(s, "secret", what));
    }
}
