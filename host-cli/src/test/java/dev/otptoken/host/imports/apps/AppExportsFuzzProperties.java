package dev.otptoken.host.imports.apps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.imports.ExportPassword;
import dev.otptoken.host.imports.ExportReader;
import dev.otptoken.host.imports.ImportException;
import dev.otptoken.host.imports.Imported;
import dev.otptoken.host.otpauth.Base32;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.protocol.fuzz.FuzzSupport;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Example;

/**
 * Fuzzes the readers of Authenticator Pro, Bitwarden (JSON, CSV), Ente Auth and Proton
 * Authenticator: each app's file as {@link AppExportsTest} builds it, mutated as bytes, spliced
 * with the other formats, and random bytes. {@code recognises} never throws; {@code read} ends in
 * accounts or an {@link ImportException} with a message; no account and no reason it returns
 * shows a key.
 */
class AppExportsFuzzProperties {
    private static final long CI_INPUTS = 4_000;
    private static final int BATCH = 1_000;
    private static final int MAX_RANDOM = 400;
    private static final ExportPassword NONE = what -> {
        throw new ImportException("no password in the fuzz run");
    };

    static List<byte[]> corpus() throws Exception {
        List<byte[]> c = new ArrayList<>();
        c.add(AppExportsTest.authProFile());
        StringBuilder csv = new StringBuilder("folder,favorite,type,name,notes,fields,reprompt,login_uri,"
                + "login_username,login_password,login_totp\n");
        StringBuilder bw = new StringBuilder("{\"encrypted\":false,\"folders\":[],\"items\":[");
        StringBuilder proton = new StringBuilder("{\"version\":1,\"entries\":[");
        StringBuilder ente = new StringBuilder();
        boolean first = true;
        for (String[] row : AppExportsTest.bitwardenRows()) {
            String totp = row[2] == null ? "" : row[2];
            csv.append(",,login,").append(AppExportsTest.csvField(row[0])).append(",,,0,,")
                    .append(AppExportsTest.csvField(row[1])).append(",pw,").append(AppExportsTest.csvField(totp))
                    .append('\n');
            String json = "{\"type\":1,\"name\":\"" + row[0].replace("\"", "\\\"") + "\",\"login\":{\"username\":\""
                    + row[1] + "\",\"totp\":" + (row[2] == null ? "null" : "\"" + row[2] + "\"") + "}}";
            String entry = "{\"id\":\"1\",\"content\":{\"uri\":\"" + totp + "\",\"entry_type\":\""
                    + (totp.startsWith("steam") ? "Steam" : "Totp") + "\",\"name\":\"" + row[1] + "\"},\"note\":null}";
            bw.append(first ? "" : ",").append(json);
            proton.append(first ? "" : ",").append(entry);
            if (totp.startsWith("otpauth")) {
                ente.append(totp).append(AppExportsTest.enteDisplay(first)).append('\n');
            }
            first = false;
        }
        c.add(AppExportsTest.utf8(csv.toString()));
        c.add(AppExportsTest.utf8(bw.append("]}").toString()));
        c.add(AppExportsTest.utf8(proton.append("]}").toString()));
        c.add(AppExportsTest.utf8(ente.toString()));
        return c;
    }

    @Example
    void anyBytesEndInAccountsOrImportException() throws Exception {
        List<byte[]> corpus = corpus();
        List<ExportReader> readers = AppExportsTest.readers().toList();
        FuzzSupport.run("app-exports", FuzzSupport.inputs("app-exports", CI_INPUTS), BATCH, (random, i) -> {
            byte[] input = random.nextInt(8) == 0 ? FuzzSupport.randomBytes(random, MAX_RANDOM)
                    : FuzzSupport.mutate(random, corpus);
            for (ExportReader r : readers) {
                r.recognises(input);
                Imported got = FuzzSupport.valueOrDeclared(ImportException.class, input, () -> r.read(input, NONE));
                if (got != null) {
                    // Names are the file's own: a mutation may put anything there, a key's text too. So the
                    // check is that nothing but a name shows a key: not the credential's fields, not a
                    // reason outside the '...' in which it may quote a name.
                    for (OtpCredential c : got.credentials()) {
                        String shown = c.toString().replace(c.name().display(), "<name>");
                        String hex = c.secret().use(k -> HexFormat.of().formatHex(k));
                        String b32 = c.secret().use(Base32::encode).replace("=", "");
                        assertThat(shown).doesNotContain(hex).doesNotContain(b32);
                    }
                    String reasons = got.skipped().stream().map(s -> s.reason().replaceAll("'[^']*'", "''"))
                            .toList().toString();
                    assertThat(got + reasons).doesNotContain("3132333435363738").doesNotContain(AppExportsTest.B20);
                    got.destroy();
                }
            }
        });
    }
}
