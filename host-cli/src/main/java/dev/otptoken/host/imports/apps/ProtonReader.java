package dev.otptoken.host.imports.apps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otptoken.host.imports.ExportPassword;
import dev.otptoken.host.imports.ExportReader;
import dev.otptoken.host.imports.ImportException;
import dev.otptoken.host.imports.Imported;
import java.util.Set;

/**
 * Proton Authenticator's JSON export (docs/imports.md, "Proton Authenticator"): a {@code version}
 * and the list {@code entries}, each with {@code content.uri} (an otpauth URI, or for
 * {@code entry_type} Steam a {@code steam://SECRET}), {@code content.entry_type} and
 * {@code content.name}.
 */
public final class ProtonReader implements ExportReader {
    static final String FORMAT = "Proton Authenticator export";
    private static final String ENTRIES = "entries";
    private static final String VERSION = "version";
    private static final long SUPPORTED_VERSION = 1;

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean recognises(byte[] content) {
        return AppExports.topLevelNames(content).containsAll(Set.of(VERSION, ENTRIES));
    }

    @Override
    public Imported read(byte[] content, ExportPassword password) throws ImportException {
        JsonNode root = AppExports.readJson(content, FORMAT);
        if (!root.isObject()) {
            throw new ImportException(FORMAT + ": the file is not a JSON object");
        }
        Long version = AppExports.integer(root, VERSION, -1);
        if (version == null || version != SUPPORTED_VERSION) {
            throw new ImportException(FORMAT + ": version " + AppExports.echo(AppExports.text(root, VERSION))
                    + " is not known (only version " + SUPPORTED_VERSION + ")");
        }
        JsonNode list = AppExports.array(root, ENTRIES, FORMAT);
        AppExports.Entries entries = new AppExports.Entries(FORMAT);
        for (JsonNode e : list) {
            JsonNode c = e.get("content");
            if (!e.isObject() || c == null || !c.isObject()) {
                entries.destroy();
                throw new ImportException(FORMAT + ": an entry has no \"content\" object");
            }
            String name = AppExports.text(c, "name");
            String type = AppExports.text(c, "entry_type");
            String uri = AppExports.text(c, "uri");
            if (type == null || type.equalsIgnoreCase("Totp") || type.equalsIgnoreCase("Steam")) {
                entries.uri(uri, null, name);
            } else {
                entries.skip(AppExports.name(null, name), "unknown entry type " + AppExports.echo(type));
            }
        }
        return entries.result();
    }
}
