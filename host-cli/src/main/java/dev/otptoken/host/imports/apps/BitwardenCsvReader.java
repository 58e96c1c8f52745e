package dev.otptoken.host.imports.apps;

import dev.otptoken.host.imports.ExportPassword;
import dev.otptoken.host.imports.ExportReader;
import dev.otptoken.host.imports.ImportException;
import dev.otptoken.host.imports.Imported;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Bitwarden's CSV export (docs/imports.md, "Bitwarden"): RFC 4180 with a header row naming the
 * columns; {@code login_totp} holds what {@code login.totp} holds in the JSON export, {@code name}
 * and {@code login_username} the names. Read with Apache Commons CSV (quoted fields, doubled
 * quotes and line breaks inside quotes, as RFC 4180 has them).
 */
public final class BitwardenCsvReader implements ExportReader {
    static final String FORMAT = "Bitwarden CSV export";
    static final String TOTP = "login_totp";
    static final String NAME = "name";
    static final String USERNAME = "login_username";
    /** The header row is short; this much of the file is enough to recognise it. */
    private static final int HEADER_PREFIX = 4096;
    private static final CSVFormat CSV = CSVFormat.RFC4180.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .get();

    public BitwardenCsvReader() {
        // Found by the registry of readers.
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean recognises(byte[] content) {
        int end = Math.min(content.length, HEADER_PREFIX);
        String start = new String(content, 0, end, StandardCharsets.UTF_8);
        int nl = start.indexOf('\n');
        String header = (nl < 0 ? start : start.substring(0, nl)).strip().toLowerCase(Locale.ROOT);
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1);
        }
        List<String> columns = List.of(header.split(",", -1));
        return columns.contains(TOTP) && columns.contains(NAME) && columns.contains(USERNAME);
    }

    @Override
    public Imported read(byte[] content, ExportPassword password) throws ImportException {
        String text = AppExports.text(content, FORMAT);
        AppExports.Entries entries = new AppExports.Entries();
        try (CSVParser parser = CSV.parse(new StringReader(text))) {
            List<String> header = parser.getHeaderNames();
            if (!header.contains(TOTP) || !header.contains(NAME)) {
                throw new ImportException(FORMAT + ": the header row names no " + TOTP + " or no " + NAME
                        + " column");
            }
            int n = 0;
            for (CSVRecord r : parser) {
                if (++n > AppExports.MAX_ENTRIES) {
                    throw new ImportException(FORMAT + ": more than " + AppExports.MAX_ENTRIES
                            + " rows; at most that many are accepted");
                }
                if (!r.isConsistent()) {
                    throw new ImportException(FORMAT + ": row " + (r.getRecordNumber() + 1) + " has "
                            + r.size() + " fields; the header has " + header.size());
                }
                BitwardenJsonReader.add(entries, r.get(NAME), header.contains(USERNAME) ? r.get(USERNAME) : null,
                        r.get(TOTP));
            }
        } catch (ImportException e) {
            entries.destroy();
            throw e;
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            entries.destroy();
            throw new ImportException(FORMAT + ": not valid CSV (RFC 4180)" + line(e));
        }
        return new Imported(FORMAT, entries.credentials, entries.skipped);
    }

    /** Where Commons CSV says the problem is, without its quote of the text (it may hold a secret). */
    private static String line(Exception e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        java.util.regex.Matcher at = java.util.regex.Pattern.compile("line (\\d+)").matcher(m);
        return at.find() ? " near line " + at.group(1) : "";
    }
}
