package dev.otptoken.host.imports.apps;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.otptoken.host.imports.ExportJson;
import dev.otptoken.host.imports.ExportPassword;
import dev.otptoken.host.imports.ExportReader;
import dev.otptoken.host.imports.ImportException;
import dev.otptoken.host.imports.ImportedAccounts;
import dev.otptoken.host.imports.Imported;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Bitwarden's CSV export (docs/imports.md, "Bitwarden"): RFC 4180 with a header row naming the
 * columns; {@code login_totp} holds what {@code login.totp} holds in the JSON export, {@code name}
 * and {@code login_username} the names. Read with Jackson's CSV module (quoted fields, doubled
 * quotes and line breaks inside quotes, as RFC 4180 has them), under the same bounds as JSON.
 */
public final class BitwardenCsvReader implements ExportReader {
    static final String FORMAT = "Bitwarden CSV export";
    static final String TOTP = "login_totp";
    static final String NAME = "name";
    static final String USERNAME = "login_username";
    /** The header row is short; this much of the file is enough to recognise it. */
    private static final int HEADER_PREFIX = 4096;
    private static final CsvMapper CSV = CsvMapper.builder(CsvFactory.builder()
                    .streamReadConstraints(ExportJson.constraints())
                    .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                    .build())
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();
    private static final CsvSchema HEADER = CsvSchema.emptySchema().withHeader().withStrictHeaders(false);

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
        AppExports.Entries entries = new AppExports.Entries(FORMAT);
        try (MappingIterator<Map<String, String>> rows = CSV.readerForMapOf(String.class).with(HEADER)
                .readValues(text)) {
            boolean any = rows.hasNextValue();
            CsvSchema header = (CsvSchema) rows.getParserSchema();
            if (header == null || header.column(TOTP) == null || header.column(NAME) == null) {
                throw new ImportException(FORMAT + ": the header row names no " + TOTP + " or no " + NAME
                        + " column");
            }
            int n = 0;
            while (any) {
                Map<String, String> r = rows.nextValue();
                if (++n > ImportedAccounts.MAX_ENTRIES) {
                    throw new ImportException(FORMAT + ": more than " + ImportedAccounts.MAX_ENTRIES
                            + " rows; at most that many are accepted");
                }
                if (r.size() != header.size()) {
                    throw new ImportException(FORMAT + ": row " + n + " has " + r.size() + " fields; the header has "
                            + header.size());
                }
                BitwardenJsonReader.add(entries, r.get(NAME), r.get(USERNAME), r.get(TOTP));
                any = rows.hasNextValue();
            }
        } catch (ImportException e) {
            entries.destroy();
            throw e;
        } catch (JsonProcessingException e) {
            entries.destroy();
            JsonLocation at = e.getLocation();
            throw new ImportException(FORMAT + ": not valid CSV (RFC 4180)"
                    + (at == null ? "" : " near line " + at.getLineNr()));
        } catch (IOException | RuntimeException e) {
            entries.destroy();
            throw new ImportException(FORMAT + ": not valid CSV (RFC 4180)");
        }
        return entries.result();
    }
}
