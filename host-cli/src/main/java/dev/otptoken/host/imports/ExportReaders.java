package dev.otptoken.host.imports;

import dev.otptoken.host.imports.apps.AuthenticatorProReader;
import dev.otptoken.host.imports.apps.BitwardenCsvReader;
import dev.otptoken.host.imports.apps.BitwardenJsonReader;
import dev.otptoken.host.imports.apps.EnteReader;
import dev.otptoken.host.imports.apps.ProtonReader;
import dev.otptoken.host.imports.pskc.PskcReader;
import java.util.List;
import java.util.Optional;

/**
 * Every export format {@code provision FILE} reads, in the order they are asked whether they
 * recognise a file (docs/imports.md, "How a file is recognised"). Adding a format is one line
 * here: an {@link ExportReader} with a public no-argument constructor.
 */
public final class ExportReaders {
    /** The readers, most specific first: the first that recognises a file reads it. */
    public static final List<ExportReader> ALL = List.of(
            new AegisReader(),
            new TwoFasReader(),
            new AndOtpReader(),
            new AuthenticatorProReader(),
            new BitwardenJsonReader(),
            new ProtonReader(),
            new PskcReader(),
            new BitwardenCsvReader(),
            new EnteReader(),
            new UriListReader());

    private ExportReaders() {
    }

    /** The first reader that recognises {@code content}. */
    public static Optional<ExportReader> recognise(byte[] content) {
        for (ExportReader r : ALL) {
            if (r.recognises(content)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The formats' names, for the message about a file none recognises. */
    public static String names() {
        return String.join(", ", ALL.stream().map(ExportReader::format).toList());
    }
}
