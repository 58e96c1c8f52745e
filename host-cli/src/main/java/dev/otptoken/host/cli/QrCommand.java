package dev.otptoken.host.cli;

import dev.otptoken.host.otpauth.InvalidUriException;
import dev.otptoken.host.otpauth.OtpAuthUri;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.host.otpauth.OtpInput;
import dev.otptoken.host.provision.ProvisionInputException;
import dev.otptoken.host.provision.Provisioner;
import dev.otptoken.host.qr.QrDecoder;
import dev.otptoken.host.qr.QrEncoder;
import dev.otptoken.host.qr.QrException;
import dev.otptoken.host.qr.QrText;
import dev.otptoken.protocol.text.TerminalText;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "qr", mixinStandardHelpOptions = true, description = "Read or make QR codes (no token needed).",
        subcommands = {QrCommand.Decode.class, QrCommand.Encode.class})
final class QrCommand extends TokenCommand {
    @Override
    public Integer call() throws UsageException {
        throw new UsageException("qr: say decode or encode");
    }

    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = "Show what QR images hold, one line per account; secrets masked.")
    static final class Decode extends TokenCommand {
        @Parameters(paramLabel = "IMAGE", arity = "1..*")
        List<Path> images;

        @Override
        public Integer call() throws QrException, ProvisionInputException {
            for (Path image : images) {
                for (QrText t : QrDecoder.decode(image)) {
                    OtpInput parsed = Provisioner.parse(t.text(), image);
                    try {
                        if (parsed instanceof OtpInput.Migration m) {
                            out().println(TerminalText.escape(image.toString()) + ": " + CredentialText.describe(m.batch()));
                        }
                        for (OtpCredential c : parsed.credentials()) {
                            out().println(TerminalText.escape(image.toString()) + ": " + CredentialText.describe(c));
                        }
                    } finally {
                        for (OtpCredential c : parsed.credentials()) {
                            c.destroy();
                        }
                    }
                }
            }
            return ExitStatus.OK;
        }
    }

    @Command(name = "encode", mixinStandardHelpOptions = true, description = "Make a QR image of an otpauth URI.")
    static final class Encode extends TokenCommand {
        /** {@code --out -}: the image goes to standard output. */
        private static final String STDOUT = "-";
        /** Pixels per QR module: large enough for zbarimg and phone cameras. */
        private static final int MODULE_SIZE = 8;

        @Option(names = "--uri", required = true, paramLabel = "URI")
        String uri;

        @Option(names = "--out", required = true, paramLabel = "FILE.png",
                description = "the PNG to write, mode 0600 (it holds the secret); - for standard output")
        String out;

        @Override
        public Integer call() throws InvalidUriException, QrException {
            // validate first: never make an image of something provision would refuse
            OtpCredential c = OtpAuthUri.parse(uri);
            c.destroy();
            if (STDOUT.equals(out)) {
                QrEncoder.encodePng(uri, out(), MODULE_SIZE);
                return ExitStatus.OK;
            }
            QrEncoder.encodePng(uri, Path.of(out), MODULE_SIZE);
            err().println("otptoken: wrote " + TerminalText.escape(out) + " (mode 0600: it holds the account's secret)");
            return ExitStatus.OK;
        }
    }
}
