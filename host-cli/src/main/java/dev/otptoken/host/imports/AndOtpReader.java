package dev.otptoken.host.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otptoken.protocol.oath.SecretBytes;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An andOTP backup (docs/imports.md, "andOTP"): a JSON array of entries, or that array
 * encrypted as andOTP 0.6.3 and later write it: the PBKDF2 iteration count (4 bytes, big
 * endian), a 12-byte salt, a 12-byte nonce, then the AES-256-GCM ciphertext and its tag;
 * the key is PBKDF2-HMAC-SHA1 of the password. The file has no magic number: an encrypted
 * backup is recognised by its size and an iteration count below 2^24 (andOTP writes
 * 140,000 to 160,000), and the count is checked against {@link ExportCrypto#MAX_PBKDF2_ITERATIONS}
 * before the password is asked.
 */
public final class AndOtpReader implements ExportReader {
    static final String FORMAT = "andOTP backup";
    static final int ITERATION_BYTES = 4;
    static final int SALT_BYTES = 12;
    static final int HEADER_BYTES = ITERATION_BYTES + SALT_BYTES + ExportCrypto.GCM_NONCE_BYTES;

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean recognises(byte[] content) {
        ExportJson.Shape s = ExportJson.shape(content);
        if (s != null) {
            return s.array() && s.has("secret", "type");
        }
        return encrypted(content);
    }

    /** An iteration count below 2^24 (its first byte 0) and room for salt, nonce and tag. */
    private static boolean encrypted(byte[] content) {
        return content.length >= HEADER_BYTES + ExportCrypto.GCM_TAG_BYTES && content[0] == 0
                && ByteBuffer.wrap(content).getInt() > 0;
    }

    @Override
    public Imported read(byte[] content, ExportPassword password) throws ImportException {
        if (content.length == 0 || content[0] != 0) { // JSON text never holds a NUL byte
            return entries(ExportJson.parse(content, FORMAT));
        }
        byte[] plain = decrypt(content, password);
        try {
            return entries(ExportJson.parse(plain, FORMAT + " content"));
        } finally {
            SecretBytes.wipe(plain);
        }
    }

    private static byte[] decrypt(byte[] content, ExportPassword password) throws ImportException {
        if (content.length < ITERATION_BYTES) {
            throw new ImportException(FORMAT + ": truncated (no iteration count)");
        }
        long iterations = Integer.toUnsignedLong(ByteBuffer.wrap(content).getInt());
        ExportCrypto.checkPbkdf2(iterations, FORMAT);
        if (content.length < HEADER_BYTES + ExportCrypto.GCM_TAG_BYTES) {
            throw new ImportException(FORMAT + ": truncated (" + content.length + " bytes: shorter than its salt, nonce"
                    + " and tag)");
        }
        byte[] salt = Arrays.copyOfRange(content, ITERATION_BYTES, ITERATION_BYTES + SALT_BYTES);
        byte[] nonce = Arrays.copyOfRange(content, ITERATION_BYTES + SALT_BYTES, HEADER_BYTES);
        byte[] ciphertext = Arrays.copyOfRange(content, HEADER_BYTES, content.length);
        return ExportCrypto.pbkdf2AesGcm("HmacSHA1", password, salt, iterations, nonce, ciphertext, FORMAT);
    }

    private static Imported entries(JsonNode root) throws ImportException {
        if (!root.isArray()) {
            throw new ImportException(FORMAT + ": not a JSON array of entries");
        }
        return ImportedAccounts.collect(FORMAT, root, AndOtpReader::entry);
    }

    private static void entry(JsonNode e, ImportedAccounts accounts) throws ImportException {
        if (!e.isObject()) {
            throw new ImportException(FORMAT + ": an entry is not a JSON object");
        }
        String what = FORMAT + " entry";
        String type = ExportJson.text(e, "type", "TOTP", what);
        String label = ExportJson.text(e, "label", "", what);
        String issuer = ExportJson.text(e, "issuer", null, what);
        if (issuer == null) {
            // before andOTP 0.7 the issuer was part of the label: "Issuer - account"
            int dash = label.indexOf(" - ");
            issuer = dash < 0 ? "" : label.substring(0, dash);
            label = dash < 0 ? label : label.substring(dash + " - ".length());
        }
        accounts.add(type, ImportedAccounts.Kind.of(type), issuer, label, ExportJson.text(e, "algorithm", "SHA1", what),
                ExportJson.integer(e, "digits", 6, what), ExportJson.integer(e, "period", 30, what),
                ExportJson.integer(e, "counter", 0, what), ExportJson.requiredText(e, "secret", what));
    }
}
