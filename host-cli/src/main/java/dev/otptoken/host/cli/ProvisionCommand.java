package dev.otptoken.host.cli;

import dev.otptoken.host.imports.ImportException;
import dev.otptoken.host.otpauth.InvalidUriException;
import dev.otptoken.host.otpauth.MigrationBatch;
import dev.otptoken.host.otpauth.OtpInput;
import dev.otptoken.host.provision.ProvisionBatch;
import dev.otptoken.host.provision.ProvisionInputException;
import dev.otptoken.host.provision.ProvisionListener;
import dev.otptoken.host.provision.ProvisionStop;
import dev.otptoken.host.provision.Provisioner;
import dev.otptoken.host.provision.TokenReport;
import dev.otptoken.host.qr.QrException;
import dev.otptoken.host.session.TokenAddress;
import dev.otptoken.host.session.WrongPasswordException;
import dev.otptoken.protocol.apdu.ApduException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Writes accounts from QR images or a URI into the token and every backup token, proving
 * each by comparing the token's code with the host's for the same time step (or counter)
 * before the secrets are wiped. Everything is decoded and validated before the first write;
 * the work is {@link Provisioner}'s, the options and the printing are this command's.
 */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = {"Write the accounts of QR images, text files of otpauth URIs and authenticator apps'"
                + " exports (or one otpauth URI) into the token and its backups, and prove each one.",
            "Files are recognised by content: images (PNG, JPEG, GIF, BMP), a text file of otpauth:// and"
                    + " otpauth-migration:// URIs (one per line, # comments), Aegis vaults, andOTP backups and 2FAS"
                    + " .2fas files (plain or encrypted), Authenticator Pro backups, Bitwarden JSON and CSV exports,"
                    + " Ente Auth and Proton Authenticator exports, and PSKC seed files (docs/imports.md)."},
        footer = {"", "Examples:",
            "  otptoken provision github.png            into the token ($OTPTOKEN_PORT)",
            "  otptoken provision --backup /dev/ttyACM1 github.png",
            "      into the token and a backup token",
            "  otptoken provision --backup /dev/ttyACM1 aegis-export.json uris.txt",
            "      every account of an Aegis vault and a file of URIs, into both tokens",
            "  otptoken provision --export-password-file pw.txt backup.2fas",
            "      an encrypted 2FAS backup; its password is the first line of pw.txt",
            "      (without the option, it is asked on the terminal without echo)",
            "  otptoken provision --strict otp_accounts.json.aes",
            "      stop before writing anything if an account cannot be stored",
            "  otptoken provision --uri - < uri.txt     the URI kept out of 'ps'",
            "  otptoken provision --uri-stdin < uris.txt",
            "      one URI per line of standard input (# comments and blank lines ignored)",
            "  otptoken provision --json export-1.png   each token's accounts as JSON",
            "", "Exit status: 0 every account in and proven on every token; 2 usage error; 3 bad input (no QR code,"
                    + " not an otpauth URI, a file in no known format, a damaged or hostile export, a wrong export"
                    + " password, an invalid or duplicate name, with --strict an account that cannot be stored, a name"
                    + " already on a token without --overwrite, no room for the accounts, the remembered keys cannot be"
                    + " read or written); 4 no token, the line failed,"
                    + " or a token's code differs from the host's; 5 the token refused; 6 token password required or"
                    + " wrong."})
final class ProvisionCommand extends TokenCommand implements JsonOutput {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "QR code images (otpauth or"
                + " otpauth-migration), text files of otpauth URIs, Aegis, andOTP or 2FAS exports; by content")
        List<Path> files;

        @Option(names = "--uri", paramLabel = "URI", description = "an otpauth:// or otpauth-migration:// URI"
                + " instead of images; - reads it from the first line of standard input (kept out of the process list)")
        String uri;

        @Option(names = "--uri-stdin", description = "otpauth:// and otpauth-migration:// URIs, one per line of standard"
                + " input (blank lines and # comments ignored), so that no URI passes through the command line")
        boolean uriStdin;
    }

    @Option(names = "--export-password-file", paramLabel = "FILE", description = "the password of encrypted exports:"
            + " the first line of FILE (without it, asked on the terminal without echo)")
    Path exportPasswordFile;

    @Option(names = "--strict", description = "an account that cannot be stored (an MD5 or 5-digit account, a"
            + " Yandex entry) is an error before anything is written, instead of being skipped")
    boolean strict;

    @Mixin
    WriteOptions write;

    @Mixin
    PasswordOption password;

    @Override
    public Integer call() throws IOException, ApduException, WrongPasswordException, QrException,
            InvalidUriException, ProvisionInputException, UsageException, BadInputException, ImportException {
        Printer printer = new Printer(out(), err(), json());
        Provisioner provisioner = new Provisioner(root().env.opener(), clock(), passwords(password.stdin), printer,
                rememberedKeys(), password.remember);
        if ((source.uri != null || source.uriStdin) && exportPasswordFile != null) {
            throw new UsageException("--export-password-file is for export files, not --uri or --uri-stdin");
        }
        ExportPasswords exportPasswords = new ExportPasswords(exportPasswordFile,
                root().env.console() ? System.console() : null);
        try (ProvisionBatch batch = source.uriStdin ? uriLines(provisioner)
                : source.uri != null ? provisioner.decodeUri(uri(), strict)
                : provisioner.decodeFiles(source.files, exportPasswords, strict)) {
            provisioner.provision(batch, write.tokens(root().address()), write.options());
        }
        printer.printJson();
        return ExitStatus.OK;
    }

    /** The URI as given, or for {@code --uri -} the first line of standard input (a password line may follow). */
    private String uri() throws IOException, BadInputException {
        return source.uri.equals("-") ? StandardInput.line(root().env.in(), "otpauth URI") : source.uri;
    }

    /** {@code --uri-stdin}: every URI line of standard input, which then holds no password line. */
    private ProvisionBatch uriLines(Provisioner provisioner)
            throws IOException, BadInputException, UsageException, ProvisionInputException {
        if (password.stdin) {
            throw new UsageException("--uri-stdin reads standard input to its end: --password-stdin cannot follow;"
                    + " use --uri - for one URI and a password line");
        }
        List<StandardInput.Line> lines = StandardInput.lines(root().env.in(), "otpauth URI");
        return provisioner.decodeUris(lines.stream().map(StandardInput.Line::text).toList(),
                i -> "standard input, line " + lines.get(i).number(), strict);
    }

    static Map<String, Object> toJson(TokenReport report) {
        List<Object> accounts = new ArrayList<>();
        for (int i = 0; i < report.names().size(); i++) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", report.names().get(i));
            a.put("state", report.states().get(i).name().toLowerCase(Locale.ROOT));
            accounts.add(a);
        }
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("token", report.token().label());
        j.put("accounts", accounts);
        return j;
    }

    /**
     * Each token's report on standard output as it is done (with --json, in one document once
     * all are, {@link Printer#printJson}: a failure leaves standard output empty and says everything on
     * standard error); everything else on standard error. For {@code add} too.
     */
    static final class Printer implements ProvisionListener {
        private final PrintStream out;
        private final PrintStream err;
        private final boolean json;
        private final List<Object> done = new ArrayList<>();

        Printer(PrintStream out, PrintStream err, boolean json) {
            this.out = out;
            this.err = err;
            this.json = json;
        }

        /** With --json, the document of every token done: call once provisioning has ended well. */
        void printJson() {
            if (json) {
                out.println(Json.write(Map.of("tokens", done)));
            }
        }

        @Override
        public void migrationBatch(Optional<Path> image, MigrationBatch batch) {
            err.println(ProvisionText.migration(image, batch));
        }

        @Override
        public void exportRead(OtpInput.Export export) {
            err.println(ProvisionText.export(export));
        }

        @Override
        public void incompleteExport(MigrationBatch.Incomplete export) {
            err.println(ProvisionText.incomplete(export));
        }

        /** Without --backup, once the token is checked and just before the first write: a refused input warns of nothing. */
        @Override
        public void writing(List<TokenAddress> tokens) {
            if (tokens.size() == 1) {
                err.println(ProvisionText.NO_BACKUP);
            }
        }

        @Override
        public void touchToProve(TokenAddress token, String account) {
            err.println(ProvisionText.touch(token, account));
        }

        @Override
        public void tokenDone(TokenReport report) {
            if (json) {
                done.add(toJson(report));
                return;
            }
            out.println(ProvisionText.summary(report));
        }

        @Override
        public void stopped(ProvisionStop stop) {
            ProvisionText.stopped(stop).forEach(err::println);
        }
    }
}
