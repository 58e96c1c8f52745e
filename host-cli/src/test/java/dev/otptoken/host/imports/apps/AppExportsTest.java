package dev.otptoken.host.imports.apps;

import static dev.otptoken.host.imports.ImportVectors.KEY20;
import static dev.otptoken.host.imports.ImportVectors.KEY32;
import static dev.otptoken.host.imports.ImportVectors.KEY64;
import static dev.otptoken.host.imports.ImportVectors.assertCredential;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.otptoken.host.imports.ExportPassword;
import dev.otptoken.host.imports.ExportReader;
import dev.otptoken.host.imports.ImportException;
import dev.otptoken.host.imports.Imported;
import dev.otptoken.host.otpauth.Base32;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.OathType;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The readers of Authenticator Pro, Bitwarden (JSON and CSV), Ente Auth and Proton Authenticator:
 * files built here as each app writes them, with RFC 4226/6238 keys, and exact results.
 */
class AppExportsTest {
    static final String B20 = Base32.encode(KEY20).replace("=", "");
    static final String B32 = Base32.encode(KEY32).replace("=", "");
    static final String B64 = Base32.encode(KEY64).replace("=", "");
    /** A Steam Guard secret (20 bytes, as Steam's shared_secret is). */
    static final byte[] STEAM_KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f10111213");
    static final String STEAM_B32 = Base32.encode(STEAM_KEY).replace("=", "");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExportPassword NEVER = file -> {
        throw new AssertionError("a plain export asked for a password");
    };

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads {@code file} with {@code r} after checking that {@code r} recognises it. */
    private static Imported readRecognised(ExportReader r, byte[] file) throws ImportException {
        assertThat(r.recognises(file)).as(r.format()).isTrue();
        return r.read(file, NEVER);
    }

    /** The three TOTP accounts every app's test file begins with: SHA-1 6/30 s, SHA-256 8/60 s, SHA-512 7/20 s with a Unicode name. */
    private static void assertTotpVectors(List<OtpCredential> c, String issuer, String account) {
        assertCredential(c.get(0), OathType.TOTP, issuer, account, HashAlgorithm.SHA1, 6, 30, 0, KEY20);
        assertCredential(c.get(1), OathType.TOTP, "Bank", "bob", HashAlgorithm.SHA256, 8, 60, 0, KEY32);
        assertCredential(c.get(2), OathType.TOTP, "Zürich Bänk", "Jürgen 🙂", HashAlgorithm.SHA512, 7, 20, 0, KEY64);
    }

    // Authenticator Pro

    private static ObjectNode authPro(int type, int algorithm, int digits, int period, long counter, String issuer,
                                      String user, String secret) {
        ObjectNode a = JSON.createObjectNode();
        a.put("Type", type).put("Icon", "default").put("Issuer", issuer).put("Username", user).put("Secret", secret)
                .putNull("Pin");
        a.put("Algorithm", algorithm).put("Digits", digits).put("Period", period).put("Counter", counter)
                .put("CopyCount", 0).put("Ranking", 0);
        return a;
    }

    static byte[] authProFile() throws Exception {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("Authenticators");
        list.add(authPro(2, 0, 6, 30, 0, "Example", "alice@example.com", B20));
        list.add(authPro(2, 1, 8, 60, 0, "Bank", "bob", B32));
        list.add(authPro(2, 2, 7, 20, 0, "Zürich Bänk", "Jürgen 🙂", B64));
        list.add(authPro(1, 0, 6, 30, 5, "Vendor", "hotp-user", B20));
        list.add(authPro(2, 1, 8, 50, 0, "Fifty", "carol", B32));
        list.add(authPro(4, 0, 5, 30, 0, "Steam", "gamer", STEAM_B32));
        list.add(authPro(3, 3, 6, 10, 0, "Old", "motp", "0123456789abcdef"));
        list.add(authPro(5, 0, 8, 30, 0, "Yandex", "ya", B20));
        list.add(authPro(2, 3, 6, 30, 0, "Legacy", "md5", B20));
        root.putArray("Categories");
        root.putArray("AuthenticatorCategories");
        root.putArray("CustomIcons");
        return JSON.writeValueAsBytes(root);
    }

    @Test
    void authenticatorProBackup() throws Exception {
        AuthenticatorProReader r = new AuthenticatorProReader();
        byte[] file = authProFile();
        assertThat(r.recognises(file)).isTrue();
        Imported got = r.read(file, NEVER);
        List<OtpCredential> c = got.credentials();
        assertThat(c).hasSize(6);
        assertTotpVectors(c, "Example", "alice@example.com");
        assertCredential(c.get(3), OathType.HOTP, "Vendor", "hotp-user", HashAlgorithm.SHA1, 6, 0, 5, KEY20);
        assertCredential(c.get(4), OathType.TOTP, "Fifty", "carol", HashAlgorithm.SHA256, 8, 50, 0, KEY32);
        assertCredential(c.get(5), OathType.TOTP, "Steam", "gamer", HashAlgorithm.SHA1, 6, 30, 0, STEAM_KEY);
        assertThat(got.skipped()).extracting(s -> s.name() + ": " + s.reason()).containsExactly(
                "Old:motp: mOTP is not supported by the token",
                "Yandex:ya: Yandex OTP is not supported by the token",
                "Legacy:md5: MD5 not supported by the token");
    }

    @Test
    void authenticatorProEncryptedBackupIsRecognisedAndRefusedWithWhatToDo() {
        byte[] file = utf8("AUTHENTICATORPRO\u0001\u0002binary");
        AuthenticatorProReader r = new AuthenticatorProReader();
        assertThat(r.recognises(file)).isTrue();
        assertThatThrownBy(() -> r.read(file, NEVER)).isExactlyInstanceOf(ImportException.class)
                .hasMessage("Authenticator Pro backup: encrypted backups are not read; in the app, back up again"
                        + " without a password and import that file");
    }

    // Bitwarden

    private static ObjectNode bwItem(String name, String user, String totp) {
        ObjectNode item = JSON.createObjectNode();
        item.put("id", "0d2b9a1e").putNull("organizationId").putNull("folderId").put("type", 1).put("reprompt", 0)
                .put("name", name).putNull("notes").put("favorite", false);
        ObjectNode login = item.putObject("login");
        login.putArray("uris").addObject().putNull("match").put("uri", "https://example.com");
        login.put("username", user).put("password", "hunter2");
        if (totp == null) {
            login.putNull("totp");
        } else {
            login.put("totp", totp);
        }
        return item;
    }

    static List<String[]> bitwardenRows() {
        return List.of(
                new String[] {"GitHub", "alice", "otpauth://totp/GitHub:alice?secret=" + B20 + "&issuer=GitHub"},
                new String[] {"Bank", "bob", "otpauth://totp/Bank:bob?secret=" + B32
                        + "&algorithm=SHA256&digits=8&period=60"},
                new String[] {"Zürich Bänk", "Jürgen 🙂", "otpauth://totp/Z%C3%BCrich%20B%C3%A4nk:J%C3%BCrgen%20%F0%9F%99%82"
                        + "?secret=" + B64 + "&algorithm=SHA512&digits=7&period=20"},
                new String[] {"Vendor", "hotp", "otpauth://hotp/Vendor:hotp?secret=" + B20 + "&counter=5"},
                new String[] {"Plain, \"quoted\"", "carol", B20.toLowerCase(java.util.Locale.ROOT)},
                new String[] {"Steam", "gamer", "steam://" + STEAM_B32},
                new String[] {"No TOTP", "dave", null},
                new String[] {"Broken", "eve", "not base32 !"});
    }

    private static void assertBitwarden(Imported got) {
        List<OtpCredential> c = got.credentials();
        assertThat(c).hasSize(6);
        assertTotpVectors(c, "GitHub", "alice");
        assertCredential(c.get(3), OathType.HOTP, "Vendor", "hotp", HashAlgorithm.SHA1, 6, 0, 5, KEY20);
        assertCredential(c.get(4), OathType.TOTP, "Plain, \"quoted\"", "carol", HashAlgorithm.SHA1, 6, 30, 0, KEY20);
        assertCredential(c.get(5), OathType.TOTP, "Steam", "gamer", HashAlgorithm.SHA1, 6, 30, 0, STEAM_KEY);
        assertThat(got.skipped()).extracting(s -> s.name() + ": " + s.reason()).containsExactly(
                "Broken:eve: secret is not valid Base32");
    }

    @Test
    void bitwardenJsonExport() throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("encrypted", false);
        root.putArray("folders");
        ArrayNode items = root.putArray("items");
        for (String[] row : bitwardenRows()) {
            items.add(bwItem(row[0], row[1], row[2]));
        }
        items.addObject().put("type", 2).put("name", "A secure note");
        byte[] file = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        BitwardenJsonReader r = new BitwardenJsonReader();
        assertThat(r.recognises(file)).isTrue();
        assertBitwarden(r.read(file, NEVER));
    }

    @Test
    void bitwardenEncryptedJsonIsRefused() {
        byte[] file = utf8("{\"encrypted\":true,\"passwordProtected\":true,\"salt\":\"x\",\"kdfType\":0,"
                + "\"kdfIterations\":600000,\"encKeyValidation_DO_NOT_EDIT\":\"x\",\"data\":\"x\"}");
        BitwardenJsonReader r = new BitwardenJsonReader();
        assertThat(r.recognises(file)).isTrue();
        assertThatThrownBy(() -> r.read(file, NEVER)).isExactlyInstanceOf(ImportException.class)
                .hasMessageStartingWith("Bitwarden JSON export: encrypted exports are not read");
    }

    static String csvField(String s) {
        if (s == null) {
            return "";
        }
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    @Test
    void bitwardenCsvExportWithQuotedFields() throws Exception {
        StringBuilder csv = new StringBuilder(
                "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\r\n");
        for (String[] row : bitwardenRows()) {
            csv.append(",,login,").append(csvField(row[0])).append(",\"a note\nover two lines\",,0,https://x.example,")
                    .append(csvField(row[1])).append(",\"p,w\"\"d\",").append(csvField(row[2])).append("\r\n");
        }
        byte[] file = utf8(csv.toString());
        BitwardenCsvReader r = new BitwardenCsvReader();
        assertThat(r.recognises(file)).isTrue();
        assertThat(new BitwardenJsonReader().recognises(file)).isFalse();
        assertBitwarden(r.read(file, NEVER));
    }

    @Test
    void bitwardenCsvWithAnUnclosedQuoteIsRefusedInOneLine() {
        byte[] file = utf8("name,login_username,login_totp\nx,\"y,JBSWY3DPEHPK3PXP\n");
        assertThatThrownBy(() -> new BitwardenCsvReader().read(file, NEVER))
                .isExactlyInstanceOf(ImportException.class)
                .hasMessageStartingWith("Bitwarden CSV export: not valid CSV (RFC 4180)")
                .hasMessageNotContaining("JBSWY3DPEHPK3PXP");
    }

    @Test
    void bitwardenCsvRowsWithMoreOrFewerFieldsThanTheHeaderAreRefused() {
        BitwardenCsvReader r = new BitwardenCsvReader();
        byte[] more = utf8("name,login_username,login_totp\nx,y," + B20 + ",extra\n");
        byte[] fewer = utf8("name,login_username,login_totp\nx,y\nz,w," + B20 + "\n");
        assertThatThrownBy(() -> r.read(more, NEVER)).isExactlyInstanceOf(ImportException.class)
                .hasMessage("Bitwarden CSV export: not valid CSV (RFC 4180) near line 2");
        assertThatThrownBy(() -> r.read(fewer, NEVER)).isExactlyInstanceOf(ImportException.class)
                .hasMessage("Bitwarden CSV export: row 1 has 2 fields; the header has 3");
    }

    // Ente Auth

    static String enteDisplay(boolean trashed) {
        String json = "{\"pinned\":false,\"trashed\":" + trashed + ",\"lastUsedAt\":0,\"tapCount\":0,\"tags\":[],"
                + "\"note\":\"\",\"position\":0,\"iconSrc\":\"\",\"iconID\":\"\"}";
        return "&codeDisplay=" + java.net.URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    @Test
    void enteAuthPlainTextExport() throws Exception {
        String file = String.join("\n",
                "otpauth://totp/GitHub:alice?secret=" + B20 + "&issuer=GitHub&algorithm=sha1&digits=6&period=30"
                        + enteDisplay(false),
                "",
                "otpauth://totp/Bank:bob?secret=" + B32 + "&issuer=Bank&algorithm=sha256&digits=8&period=60"
                        + enteDisplay(false),
                "otpauth://totp/Z%C3%BCrich%20B%C3%A4nk:J%C3%BCrgen%20%F0%9F%99%82?secret=" + B64
                        + "&algorithm=sha512&digits=7&period=20" + enteDisplay(false),
                "otpauth://hotp/Vendor:hotp?secret=" + B20 + "&issuer=Vendor&algorithm=sha1&digits=6&counter=5"
                        + enteDisplay(false),
                "otpauth://totp/Old:deleted?secret=" + B20 + "&issuer=Old" + enteDisplay(true),
                "otpauth://totp/Fifty:carol?secret=" + B32 + "&issuer=Fifty&algorithm=SHA256&digits=8&period=50",
                "");
        EnteReader r = new EnteReader();
        assertThat(r.recognises(utf8(file))).isTrue();
        assertThat(r.recognises(utf8("otpauth://totp/x?secret=" + B20 + "\n"))).as("no codeDisplay: any URI list").isFalse();
        Imported got = r.read(utf8(file), NEVER);
        List<OtpCredential> c = got.credentials();
        assertThat(c).hasSize(5);
        assertTotpVectors(c, "GitHub", "alice");
        assertCredential(c.get(3), OathType.HOTP, "Vendor", "hotp", HashAlgorithm.SHA1, 6, 0, 5, KEY20);
        assertCredential(c.get(4), OathType.TOTP, "Fifty", "carol", HashAlgorithm.SHA256, 8, 50, 0, KEY32);
        assertThat(got.skipped()).extracting(s -> s.name() + ": " + s.reason())
                .containsExactly("Old:deleted: in the trash of Ente Auth");
    }

    // Proton Authenticator

    @Test
    void protonAuthenticatorExport() throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ArrayNode entries = root.putArray("entries");
        String[][] rows = {
            {"Totp", "alice", "otpauth://totp/GitHub:alice?secret=" + B20 + "&issuer=GitHub&algorithm=SHA1&digits=6&period=30"},
            {"Totp", "bob", "otpauth://totp/Bank:bob?secret=" + B32 + "&issuer=Bank&algorithm=SHA256&digits=8&period=60"},
            {"Totp", "Jürgen 🙂", "otpauth://totp/Z%C3%BCrich%20B%C3%A4nk:J%C3%BCrgen%20%F0%9F%99%82?secret=" + B64
                    + "&algorithm=SHA512&digits=7&period=20"},
            {"Steam", "gamer", "steam://" + STEAM_B32},
            {"Totp", "carol", "otpauth://totp/Fifty:carol?secret=" + B32 + "&issuer=Fifty&algorithm=SHA256&digits=8&period=50"},
            {"Hotp", "x", "otpauth://hotp/x?secret=" + B20},
        };
        for (String[] row : rows) {
            ObjectNode e = entries.addObject();
            e.put("id", "01J0000000000000000000000");
            e.putObject("content").put("uri", row[2]).put("entry_type", row[0]).put("name", row[1]);
            e.putNull("note");
        }
        byte[] file = JSON.writeValueAsBytes(root);
        Imported got = readRecognised(new ProtonReader(), file);
        List<OtpCredential> c = got.credentials();
        assertThat(c).hasSize(5);
        assertTotpVectors(c, "GitHub", "alice");
        assertCredential(c.get(3), OathType.TOTP, "Steam", "gamer", HashAlgorithm.SHA1, 6, 30, 0, STEAM_KEY);
        assertCredential(c.get(4), OathType.TOTP, "Fifty", "carol", HashAlgorithm.SHA256, 8, 50, 0, KEY32);
        assertThat(got.skipped()).extracting(s -> s.name() + ": " + s.reason())
                .containsExactly("x: unknown entry type Hotp");
    }

    // What every reader refuses

    static Stream<ExportReader> jsonReaders() {
        return Stream.of(new AuthenticatorProReader(), new BitwardenJsonReader(), new ProtonReader());
    }

    static Stream<ExportReader> readers() {
        return Stream.concat(jsonReaders(), Stream.of(new BitwardenCsvReader(), new EnteReader()));
    }

    @ParameterizedTest
    @MethodSource("jsonReaders")
    void jsonNested10000DeepIsRefusedInOneLine(ExportReader r) {
        byte[] deep = utf8("{\"entries\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}");
        assertThatThrownBy(() -> r.read(deep, NEVER)).isExactlyInstanceOf(ImportException.class)
                .hasMessage(r.format() + ": refused: JSON nested more than 64 levels deep");
    }

    @ParameterizedTest
    @MethodSource("readers")
    void aFileOf100MegabytesIsRefusedBySize(ExportReader r) {
        byte[] huge = new byte[100 * 1024 * 1024];
        assertThat(r.recognises(huge)).isFalse();
        assertThatThrownBy(() -> r.read(huge, NEVER)).isExactlyInstanceOf(ImportException.class)
                .hasMessage(r.format() + ": the file is 104857600 bytes; at most 33554432 are accepted");
    }

    @ParameterizedTest
    @MethodSource("readers")
    void noReaderRecognisesAnotherFormat(ExportReader r) throws Exception {
        int recognised = 0;
        for (ExportReader other : readers().toList()) {
            byte[] sample = switch (other.getClass().getSimpleName()) {
                case "AuthenticatorProReader" -> authProFile();
                case "BitwardenJsonReader" -> utf8("{\"encrypted\":false,\"items\":[]}");
                case "ProtonReader" -> utf8("{\"version\":1,\"entries\":[]}");
                case "BitwardenCsvReader" -> utf8("name,login_username,login_totp\n");
                default -> utf8("otpauth://totp/x?secret=" + B20 + enteDisplay(false));
            };
            if (r.recognises(sample)) {
                recognised++;
                assertThat(other.getClass()).isEqualTo(r.getClass());
            }
        }
        assertThat(recognised).isEqualTo(1);
    }
}
