package dev.otptoken.host.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.otptoken.host.otpauth.Base32;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Builds the export files of the tests the way the apps write them (docs/imports.md): Aegis
 * vaults (plain, and encrypted with a scrypt password slot and AES-256-GCM as Aegis's
 * docs/vault.md describes), andOTP backups (plain, and PBKDF2-HMAC-SHA1 + AES-256-GCM as andOTP
 * 0.6.3 writes them), 2FAS backups (plain, and PBKDF2-HMAC-SHA256 + AES-256-GCM) and text files
 * of otpauth URIs, all from the same accounts: the RFC 4226/6238 keys with SHA-1/256/512,
 * 6/7/8 digits, periods 20/30/50/60, an HOTP counter, a Steam account and a Unicode name.
 * Encryption uses Bouncy Castle's scrypt and the JDK's PBKDF2 and AES-GCM, with the apps' own
 * work factors. {@code main(DIR)} writes every file into DIR.
 */
public final class ExportFixtures {
    /** The password of every encrypted fixture. */
    public static final String PASSWORD = "correct horse battery staple ✓";
    /** RFC 6238 Appendix B seeds. */
    public static final String HEX_20 = "3132333435363738393031323334353637383930";
    public static final String HEX_32 = HEX_20 + "313233343536373839303132";
    public static final String HEX_64 = HEX_20 + HEX_20 + HEX_20 + "31323334";
    /** The RFC 4226 HOTP key is the same 20 bytes. */
    static final int HOTP_COUNTER = 5;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ExportFixtures() {
    }

    /** How an account is computed. */
    public enum Kind { TOTP, HOTP, STEAM }

    /**
     * One account of a fixture.
     *
     * @param stored whether the token can store it (else the reader skips it with {@code reason})
     */
    public record Account(Kind kind, String issuer, String account, String algorithm, int digits, int period,
                          long counter, String hexKey, boolean stored, String reason) {
        public String base32() {
            return Base32.encode(HexFormat.of().parseHex(hexKey));
        }

        /** The name as {@code list} shows it. */
        public String name() {
            return kind == Kind.STEAM ? "Steam:" + account : issuer + ":" + account;
        }
    }

    /** The accounts of every fixture, each name begun with {@code prefix} so that files can go onto one token. */
    public static List<Account> accounts(String prefix) {
        return List.of(
                new Account(Kind.TOTP, prefix + " Sha1", "six-30", "SHA1", 6, 30, 0, HEX_20, true, null),
                new Account(Kind.TOTP, prefix + " Sha256", "eight-60", "SHA256", 8, 60, 0, HEX_32, true, null),
                new Account(Kind.TOTP, prefix + " Sha512", "seven-20", "SHA512", 7, 20, 0, HEX_64, true, null),
                new Account(Kind.TOTP, prefix + " Sha1", "eight-50", "SHA1", 8, 50, 0, HEX_20, true, null),
                new Account(Kind.HOTP, prefix + " Hotp", "six", "SHA1", 6, 30, HOTP_COUNTER, HEX_20, true, null),
                new Account(Kind.STEAM, "Steam", prefix + " gaben", "SHA1", 5, 30, 0, HEX_20, true, null),
                new Account(Kind.TOTP, prefix + " Bücher", "zoë@例え.jp", "SHA1", 6, 30, 0, HEX_32, true, null),
                new Account(Kind.TOTP, prefix + " Old", "md5", "MD5", 6, 30, 0, HEX_20, false,
                        "MD5 not supported by the token"));
    }

    // ---------------------------------------------------------------- Aegis

    /** An Aegis vault's content ({@code db}): version 3 and its entries. */
    static ObjectNode aegisContent(List<Account> accounts) {
        ArrayNode entries = NODES.arrayNode();
        int i = 0;
        for (Account a : accounts) {
            ObjectNode info = NODES.objectNode();
            info.put("secret", a.base32());
            info.put("algo", a.algorithm());
            info.put("digits", a.digits());
            if (a.kind() == Kind.HOTP) {
                info.put("counter", a.counter());
            } else {
                info.put("period", a.period());
            }
            ObjectNode e = NODES.objectNode();
            e.put("type", a.kind().name().toLowerCase(Locale.ROOT));
            e.put("uuid", String.format(Locale.ROOT, "01234567-89ab-cdef-0123-%012d", i++));
            e.put("name", a.account());
            e.put("issuer", a.issuer());
            e.put("note", "");
            e.put("favorite", false);
            e.putNull("icon");
            e.set("info", info);
            e.set("groups", NODES.arrayNode());
            entries.add(e);
        }
        ObjectNode db = NODES.objectNode();
        db.put("version", 3);
        db.set("entries", entries);
        db.set("groups", NODES.arrayNode());
        return db;
    }

    public static byte[] aegisPlain(List<Account> accounts) {
        ObjectNode header = NODES.objectNode();
        header.putNull("slots");
        header.putNull("params");
        ObjectNode root = NODES.objectNode();
        root.put("version", 1);
        root.set("header", header);
        root.set("db", aegisContent(accounts));
        return bytes(root);
    }

    /** An encrypted vault with one password slot (scrypt N 2^15, r 8, p 1, as Aegis writes) and a biometric one. */
    public static byte[] aegisEncrypted(List<Account> accounts, String password) {
        return aegisEncrypted(accounts, password, 1 << 15, 8, 1);
    }

    /** As {@link #aegisEncrypted(List, String)} with scrypt N 2^10, for unit tests on a shared machine. */
    public static byte[] aegisEncryptedFast(List<Account> accounts, String password) {
        return aegisEncrypted(accounts, password, 1 << 10, 8, 1);
    }

    public static byte[] aegisEncrypted(List<Account> accounts, String password, long n, int r, int p) {
        Random random = new SecureRandom();
        byte[] master = random(random, 32);
        byte[] salt = random(random, 32);
        ObjectNode params = NODES.objectNode();
        // a file claiming an N that cannot be used (for the refusal tests) is sealed with a small one
        int usable = n >= 2 && n <= (1 << 15) && (n & (n - 1)) == 0 && r <= 16 ? (int) n : 1 << 10;
        byte[] derived = SCrypt.generate(password.getBytes(StandardCharsets.UTF_8), salt, usable, Math.min(r, 16), p, 32);
        byte[] slotNonce = random(random, 12);
        byte[] wrapped = gcm(derived, slotNonce, master);
        ObjectNode slot = NODES.objectNode();
        slot.put("type", 1);
        slot.put("uuid", "a8325752-c1be-458a-9b3e-5e0a8154d9ec");
        slot.put("key", hex(Arrays.copyOf(wrapped, 32)));
        ObjectNode keyParams = NODES.objectNode();
        keyParams.put("nonce", hex(slotNonce));
        keyParams.put("tag", hex(Arrays.copyOfRange(wrapped, 32, 48)));
        slot.set("key_params", keyParams);
        slot.put("n", n);
        slot.put("r", r);
        slot.put("p", p);
        slot.put("salt", hex(salt));
        slot.put("repaired", true);
        slot.put("is_backup", false);
        ObjectNode biometric = NODES.objectNode();
        biometric.put("type", 2);
        biometric.put("uuid", "6f2b1d8e-0000-4000-8000-000000000002");
        biometric.put("key", hex(random(random, 32)));
        ObjectNode bioParams = NODES.objectNode();
        bioParams.put("nonce", hex(random(random, 12)));
        bioParams.put("tag", hex(random(random, 16)));
        biometric.set("key_params", bioParams);
        byte[] nonce = random(random, 12);
        byte[] sealed = gcm(master, nonce, bytes(aegisContent(accounts)));
        params.put("nonce", hex(nonce));
        params.put("tag", hex(Arrays.copyOfRange(sealed, sealed.length - 16, sealed.length)));
        ObjectNode header = NODES.objectNode();
        header.set("slots", NODES.arrayNode().add(biometric).add(slot));
        header.set("params", params);
        ObjectNode root = NODES.objectNode();
        root.put("version", 1);
        root.set("header", header);
        root.put("db", Base64.getEncoder().encodeToString(Arrays.copyOf(sealed, sealed.length - 16)));
        return bytes(root);
    }

    // ---------------------------------------------------------------- andOTP

    static ArrayNode andOtpEntries(List<Account> accounts) {
        ArrayNode array = NODES.arrayNode();
        for (Account a : accounts) {
            ObjectNode e = NODES.objectNode();
            e.put("secret", a.base32());
            e.put("issuer", a.kind() == Kind.STEAM ? "Steam" : a.issuer());
            e.put("label", a.account());
            e.put("digits", a.digits());
            e.put("type", a.kind().name());
            e.put("algorithm", a.algorithm());
            e.put("thumbnail", "Default");
            e.put("last_used", 1_700_000_000_000L);
            e.put("used_frequency", 0);
            if (a.kind() == Kind.HOTP) {
                e.put("counter", a.counter());
            } else {
                e.put("period", a.period());
            }
            e.set("tags", NODES.arrayNode());
            array.add(e);
        }
        return array;
    }

    public static byte[] andOtpPlain(List<Account> accounts) {
        return bytes(andOtpEntries(accounts));
    }

    /** As andOTP 0.6.3+ writes it: iterations, salt, nonce, ciphertext and tag; 150,000 iterations. */
    public static byte[] andOtpEncrypted(List<Account> accounts, String password) {
        return andOtpEncrypted(bytes(andOtpEntries(accounts)), password, 150_000);
    }

    /** As {@link #andOtpEncrypted(List, String)} with 1,000 iterations, for unit tests on a shared machine. */
    public static byte[] andOtpEncryptedFast(List<Account> accounts, String password) {
        return andOtpEncrypted(bytes(andOtpEntries(accounts)), password, 1_000);
    }

    public static byte[] andOtpEncrypted(byte[] plain, String password, int iterations) {
        Random random = new SecureRandom();
        byte[] salt = random(random, 12);
        byte[] nonce = random(random, 12);
        byte[] key = pbkdf2("PBKDF2WithHmacSHA1", password, salt, iterations);
        byte[] sealed = gcm(key, nonce, plain);
        return ByteBuffer.allocate(4 + 12 + 12 + sealed.length).putInt(iterations).put(salt).put(nonce).put(sealed)
                .array();
    }

    // ---------------------------------------------------------------- 2FAS

    static ArrayNode twoFasServices(List<Account> accounts) {
        ArrayNode services = NODES.arrayNode();
        int i = 0;
        for (Account a : accounts) {
            ObjectNode otp = NODES.objectNode();
            otp.put("label", a.issuer() + ":" + a.account());
            otp.put("account", a.account());
            otp.put("issuer", a.issuer());
            otp.put("digits", a.digits());
            otp.put("period", a.period());
            otp.put("algorithm", a.algorithm());
            otp.put("counter", a.counter());
            otp.put("tokenType", a.kind().name());
            otp.put("source", "Link");
            ObjectNode s = NODES.objectNode();
            s.put("name", a.issuer());
            s.put("secret", a.base32());
            s.put("updatedAt", 1_700_000_000_000L);
            s.set("otp", otp);
            ObjectNode order = NODES.objectNode();
            order.put("position", i++);
            s.set("order", order);
            services.add(s);
        }
        return services;
    }

    private static ObjectNode twoFasRoot() {
        ObjectNode root = NODES.objectNode();
        root.set("groups", NODES.arrayNode());
        root.put("updatedAt", 1_700_000_000_000L);
        root.put("schemaVersion", 4);
        root.put("appVersionCode", 5_000_000);
        root.put("appVersionName", "5.0.0");
        root.put("appOrigin", "android");
        return root;
    }

    public static byte[] twoFasPlain(List<Account> accounts) {
        ObjectNode root = twoFasRoot();
        root.set("services", twoFasServices(accounts));
        return bytes(root);
    }

    /** servicesEncrypted = BASE64(ciphertext and tag):BASE64(salt, 256 bytes):BASE64(nonce); 10,000 iterations. */
    public static byte[] twoFasEncrypted(List<Account> accounts, String password) {
        Random random = new SecureRandom();
        byte[] salt = random(random, 256);
        byte[] nonce = random(random, 12);
        byte[] key = pbkdf2("PBKDF2WithHmacSHA256", password, salt, 10_000);
        byte[] sealed = gcm(key, nonce, bytes(twoFasServices(accounts)));
        Base64.Encoder b64 = Base64.getEncoder();
        ObjectNode root = twoFasRoot();
        root.set("services", NODES.arrayNode());
        root.put("servicesEncrypted", b64.encodeToString(sealed) + ":" + b64.encodeToString(salt) + ":"
                + b64.encodeToString(nonce));
        return bytes(root);
    }

    // ---------------------------------------------------------------- URIs

    /** A text file of otpauth URIs (a comment, a blank line, CRLF line ends); Steam as its issuer says. */
    public static byte[] uriList(List<Account> accounts) {
        StringBuilder sb = new StringBuilder("# exported accounts\r\n\r\n");
        for (Account a : accounts) {
            sb.append(uri(a)).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The account as an otpauth URI; a Steam account as a TOTP URI of issuer Steam. */
    static String uri(Account a) {
        String label = enc(a.issuer()) + ":" + enc(a.account());
        return (a.kind() == Kind.HOTP ? "otpauth://hotp/" : "otpauth://totp/") + label + "?secret=" + a.base32()
                + "&issuer=" + enc(a.issuer()) + "&algorithm=" + a.algorithm() + "&digits="
                + (a.kind() == Kind.STEAM ? 6 : a.digits())
                + (a.kind() == Kind.HOTP ? "&counter=" + a.counter() : "&period=" + a.period());
    }

    // ---------------------------------------------------------------- Authenticator Pro, Bitwarden, Ente, Proton

    /** An Authenticator Pro (Stratum) plain backup: its type and hash numbers, Steam as type 4. */
    public static byte[] authenticatorPro(List<Account> accounts) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("Authenticators");
        for (Account a : accounts) {
            ObjectNode e = list.addObject();
            e.put("Type", a.kind() == Kind.STEAM ? 4 : a.kind() == Kind.HOTP ? 1 : 2);
            e.put("Issuer", a.issuer());
            e.put("Username", a.account());
            e.put("Secret", a.base32());
            e.put("Pin", (String) null);
            e.put("Algorithm", switch (a.algorithm()) {
                case "SHA256" -> 1;
                case "SHA512" -> 2;
                case "MD5" -> 3;
                default -> 0;
            });
            e.put("Digits", a.digits());
            e.put("Period", a.period());
            e.put("Counter", a.counter());
            e.put("Ranking", 0);
            e.put("Icon", (String) null);
        }
        root.putArray("Categories");
        root.putArray("AuthenticatorCategories");
        root.putArray("CustomIcons");
        return bytes(root);
    }

    /** A Bitwarden login's TOTP field: the URI, or {@code steam://BASE32} for Steam. */
    private static String bitwardenTotp(Account a) {
        return a.kind() == Kind.STEAM ? "steam://" + a.base32() : uri(a);
    }

    /** A Bitwarden unencrypted JSON export: one login item per account, and a note without TOTP. */
    public static byte[] bitwardenJson(List<Account> accounts) {
        ObjectNode root = JSON.createObjectNode();
        root.put("encrypted", false);
        root.putArray("folders");
        ArrayNode items = root.putArray("items");
        ObjectNode note = items.addObject();
        note.put("type", 2);
        note.put("name", "a secure note");
        note.putNull("login");
        for (Account a : accounts) {
            ObjectNode item = items.addObject();
            item.put("id", java.util.UUID.nameUUIDFromBytes(a.name().getBytes(StandardCharsets.UTF_8)).toString());
            item.put("type", 1);
            item.put("name", a.issuer());
            ObjectNode login = item.putObject("login");
            login.put("username", a.account());
            login.put("password", "not-a-totp");
            login.put("totp", bitwardenTotp(a));
        }
        return bytes(root);
    }

    /** A Bitwarden CSV export (RFC 4180, every field quoted), a row without TOTP among them. */
    public static byte[] bitwardenCsv(List<Account> accounts) {
        StringBuilder sb = new StringBuilder(
                "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\r\n");
        sb.append(",,login,\"no totp, here\",\"a \"\"quoted\"\"\nnote\",,0,https://example.com,bob,pw,\r\n");
        for (Account a : accounts) {
            sb.append(",,login,").append(csv(a.issuer())).append(",,,0,,").append(csv(a.account())).append(",pw,")
                    .append(csv(bitwardenTotp(a))).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String csv(String v) {
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }

    /** Ente Auth's plain export: otpauth URIs with Ente's {@code codeDisplay} parameter. */
    public static byte[] ente(List<Account> accounts) {
        StringBuilder sb = new StringBuilder();
        for (Account a : accounts) {
            sb.append(uri(a)).append("&codeDisplay=").append(enc("{\"pinned\":false,\"trashed\":false,\"tags\":[]}"))
                    .append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A Proton Authenticator export: version 1, each entry's content its URI (Steam: {@code steam://}). */
    public static byte[] proton(List<Account> accounts) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ArrayNode entries = root.putArray("entries");
        for (Account a : accounts) {
            ObjectNode e = entries.addObject();
            e.put("id", java.util.UUID.nameUUIDFromBytes(a.name().getBytes(StandardCharsets.UTF_8)).toString());
            ObjectNode content = e.putObject("content");
            content.put("id", e.get("id").asText());
            content.put("uri", a.kind() == Kind.STEAM ? "steam://" + a.base32() : uri(a));
            content.put("entry_type", a.kind() == Kind.STEAM ? "Steam" : "Totp");
            content.put("name", a.account());
            e.put("note", (String) null);
        }
        return bytes(root);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---------------------------------------------------------------- helpers

    static byte[] gcm(byte[] key, byte[] nonce, byte[] plain) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            return c.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] pbkdf2(String algorithm, String password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance(algorithm)
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] bytes(Object node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes every fixture into {@code args[0]}; the password of the encrypted ones is {@link #PASSWORD}. */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        List<Path> written = new ArrayList<>();
        written.add(Files.write(dir.resolve("aegis-plain.json"), aegisPlain(accounts("Aegis"))));
        written.add(Files.write(dir.resolve("aegis-encrypted.json"), aegisEncrypted(accounts("AegisE"), PASSWORD)));
        written.add(Files.write(dir.resolve("andotp.json"), andOtpPlain(accounts("andOTP"))));
        written.add(Files.write(dir.resolve("andotp.json.aes"), andOtpEncrypted(accounts("andOTPE"), PASSWORD)));
        written.add(Files.write(dir.resolve("plain.2fas"), twoFasPlain(accounts("2FAS"))));
        written.add(Files.write(dir.resolve("encrypted.2fas"), twoFasEncrypted(accounts("2FASE"), PASSWORD)));
        written.add(Files.write(dir.resolve("uris.txt"), uriList(accounts("Uri"))));
        written.forEach(System.out::println);
    }
}
