package dev.otptoken.host.imports.apps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otptoken.host.imports.ExportPassword;
import dev.otptoken.host.imports.ExportReader;
import dev.otptoken.host.imports.ImportException;
import dev.otptoken.host.imports.Imported;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OathType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The plain backup of Authenticator Pro (now Stratum): a JSON object whose {@code Authenticators}
 * list gives each account's Type, Algorithm, Digits, Period, Counter, Issuer, Username and Base32
 * Secret (docs/imports.md, "Authenticator Pro"). Steam accounts are stored as Steam accounts;
 * mOTP and Yandex accounts, which the token cannot compute, are skipped with the reason. The
 * app's encrypted backups are recognised and refused with what to do instead.
 */
public final class AuthenticatorProReader implements ExportReader {
    static final String FORMAT = "Authenticator Pro backup";
    static final String LIST = "Authenticators";
    /** The first bytes of the app's encrypted backup (an Argon2id + AES-GCM container, not read). */
    static final byte[] ENCRYPTED_HEADER = "AUTHENTICATORPRO".getBytes(StandardCharsets.US_ASCII);

    /** The app's {@code AuthenticatorType} values. */
    static final int HOTP = 1;
    static final int TOTP = 2;
    static final int MOBILE_OTP = 3;
    static final int STEAM = 4;
    static final int YANDEX = 5;
    /** The app's {@code HashAlgorithm} values; 3 is MD5 in the app's newer versions (mOTP). */
    static final int SHA1 = 0;
    static final int SHA256 = 1;
    static final int SHA512 = 2;
    static final int MD5 = 3;

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean recognises(byte[] content) {
        return isEncrypted(content) || AppExports.topLevelNames(content).contains(LIST);
    }

    private static boolean isEncrypted(byte[] content) {
        return content.length >= ENCRYPTED_HEADER.length
                && Arrays.equals(content, 0, ENCRYPTED_HEADER.length, ENCRYPTED_HEADER, 0, ENCRYPTED_HEADER.length);
    }

    @Override
    public Imported read(byte[] content, ExportPassword password) throws ImportException {
        if (isEncrypted(content)) {
            throw new ImportException(FORMAT + ": encrypted backups are not read; in the app, back up again"
                    + " without a password and import that file");
        }
        JsonNode root = AppExports.readJson(content, FORMAT);
        if (!root.isObject()) {
            throw new ImportException(FORMAT + ": the file is not a JSON object");
        }
        JsonNode list = AppExports.array(root, LIST, FORMAT);
        AppExports.Entries entries = new AppExports.Entries(FORMAT);
        for (JsonNode a : list) {
            if (!a.isObject()) {
                entries.destroy();
                throw new ImportException(FORMAT + ": an entry of \"" + LIST + "\" is not an object");
            }
            add(entries, a);
        }
        return entries.result();
    }

    private static void add(AppExports.Entries entries, JsonNode a) throws ImportException {
        String issuer = AppExports.text(a, "Issuer");
        String account = AppExports.text(a, "Username");
        String name = AppExports.name(issuer, account);
        Long type = AppExports.integer(a, "Type", -1);
        Long algorithm = AppExports.integer(a, "Algorithm", SHA1);
        Long digits = AppExports.integer(a, "Digits", AppExports.DEFAULT_DIGITS);
        Long period = AppExports.integer(a, "Period", Oath.DEFAULT_PERIOD);
        Long counter = AppExports.integer(a, "Counter", 0);
        String secret = AppExports.text(a, "Secret");
        if (type == null || algorithm == null || digits == null || period == null || counter == null) {
            entries.skip(name, "Type, Algorithm, Digits, Period and Counter must be whole numbers");
            return;
        }
        switch (type.intValue()) {
            case MOBILE_OTP -> entries.skip(name, "mOTP is not supported by the token");
            case YANDEX -> entries.skip(name, "Yandex OTP is not supported by the token");
            case STEAM -> entries.steam(issuer, account, secret);
            case HOTP, TOTP -> {
                HashAlgorithm hash = switch (algorithm.intValue()) {
                    case SHA1 -> HashAlgorithm.SHA1;
                    case SHA256 -> HashAlgorithm.SHA256;
                    case SHA512 -> HashAlgorithm.SHA512;
                    default -> null;
                };
                if (hash == null) {
                    entries.skip(name, algorithm == MD5 ? "MD5 not supported by the token"
                            : "unknown algorithm " + algorithm);
                    return;
                }
                entries.fields(type == HOTP ? OathType.HOTP : OathType.TOTP, issuer, account, hash, digits, period,
                        counter, secret);
            }
            default -> entries.skip(name, "unknown type " + type);
        }
    }
}
