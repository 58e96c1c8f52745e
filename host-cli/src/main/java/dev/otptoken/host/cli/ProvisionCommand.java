package dev.otptoken.host.cli;

import dev.otptoken.host.otpauth.InvalidUriException;
import dev.otptoken.host.otpauth.MigrationBatch;
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
import java.util.List;
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
        description = "Write the accounts of QR images (or one otpauth URI) into the token and its backups,"
                + " and prove each one.")
final class ProvisionCommand extends TokenCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "QR code images (otpauth or otpauth-migration)")
        List<Path> images;

        @Option(names = "--uri", paramLabel = "URI", description = "an otpauth:// or otpauth-migration:// URI"
                + " instead of images; - reads it from the first line of standard input (kept out of the process list)")
        String uri;
    }

    @Option(names = "--touch", description = "require a button press for each code")
    boolean touch;

    @Option(names = "--backup", paramLabel = "DEVICE", description = "also write into this token (repeatable)")
    List<String> backups = new ArrayList<>();

    @Option(names = "--overwrite", description = "replace accounts of the same name")
    boolean overwrite;

    @Mixin
    PasswordOption password;

    @Override
    public Integer call() throws IOException, ApduException, WrongPasswordException, QrException,
            InvalidUriException, ProvisionInputException, UsageException, BadInputException {
        Provisioner provisioner = new Provisioner(root().env.opener(), clock(), passwords(password.stdin),
                new Printer(out(), err()), rememberedKeys(), password.remember);
        try (ProvisionBatch batch = source.uri != null ? provisioner.decodeUri(uri())
                : provisioner.decodeImages(source.images)) {
            List<TokenAddress> tokens = tokens(root().address(), backups);
            if (backups.isEmpty()) {
                err().println(ProvisionText.NO_BACKUP);
            }
            provisioner.provision(batch, tokens, new Provisioner.Options(touch, overwrite));
        }
        return ExitStatus.OK;
    }

    /** The URI as given, or for {@code --uri -} the first line of standard input (a password line may follow). */
    private String uri() throws IOException, BadInputException {
        return source.uri.equals("-") ? StandardInput.line(root().env.in(), "otpauth URI") : source.uri;
    }

    /** The token, then every {@code --backup} (a serial port each), none named twice; for {@code add} too. */
    static List<TokenAddress> tokens(TokenAddress token, List<String> backups) throws UsageException {
        List<TokenAddress> tokens = new ArrayList<>();
        tokens.add(token);
        for (String b : backups) {
            // by name: a --backup spelled as the --reader is the same token named twice
            if (tokens.stream().anyMatch(t -> t.label().equals(b))) {
                throw new UsageException("token " + b + " named twice");
            }
            tokens.add(new TokenAddress.SerialPort(b));
        }
        return tokens;
    }

    /** Each token's report on standard output as it is done; everything else on standard error; for {@code add} too. */
    static final class Printer implements ProvisionListener {
        private final PrintStream out;
        private final PrintStream err;

        Printer(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public void migrationBatch(Optional<Path> image, MigrationBatch batch) {
            err.println(ProvisionText.migration(image, batch));
        }

        @Override
        public void touchToProve(TokenAddress token, String account) {
            err.println(ProvisionText.touch(token, account));
        }

        @Override
        public void tokenDone(TokenReport report) {
            out.println(ProvisionText.summary(report));
        }

        @Override
        public void stopped(ProvisionStop stop) {
            ProvisionText.stopped(stop).forEach(err::println);
        }
    }
}
