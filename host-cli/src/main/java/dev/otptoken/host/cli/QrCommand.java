package dev.otptoken.host.cli;

import dev.otptoken.files.FileReason;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "qr", mixinStandardHelpOptions = true, description = "Read or make QR codes (no token needed).",
        footer = {"", "Examples:", "  otptoken qr decode export-1.png", "  otptoken qr encode --uri \"$URI\" --out alice.png",
            "", "Exit status: 2 without a subcommand; each subcommand's --help says the rest."},
        subcommands = {QrCommand.Decode.class, QrCommand.Encode.class})
final class QrCommand extends TokenCommand {
    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: decode or encode");
    }

    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = "Show what QR images hold, one line per account; secrets masked (only their length is shown).",
            footer = {"", "Examples:", "  otptoken qr decode alice.png export-1.png",
                "  otptoken qr decode --json export-1.png   JSON; of a secret, its length",
                "", "Exit status: 0 decoded; 2 usage error; 3 an image that cannot be read or holds no QR code,"
                        + " or a QR code that holds no valid otpauth URI."})
    static final class Decode extends TokenCommand implements JsonOutput {
        @Parameters(paramLabel = "IMAGE", arity = "1..*")
        List<Path> images;

        @Override
        public Integer call() throws QrException, ProvisionInputException {
            List<Object> decoded = new ArrayList<>();
            // decoded on every core, shown in the order given; the first bad image ends the command
            try (QrDecoder.Batch batch = QrDecoder.decodeAll(images)) {
                for (Path image : images) {
                    decoded.add(show(image, batch.next()));
                }
            }
            if (json()) {
                out().println(Json.write(Map.of("images", decoded)));
            }
            return ExitStatus.OK;
        }

        /** Prints what {@code image} holds (text mode) and returns its JSON object. */
        private Map<String, Object> show(Path image, List<QrText> texts) throws ProvisionInputException {
            List<Object> accounts = new ArrayList<>();
            List<Object> batches = new ArrayList<>();
            for (QrText t : texts) {
                OtpInput parsed = Provisioner.parse(t.text(), image);
                try {
                    if (parsed instanceof OtpInput.Migration m) {
                        if (json()) {
                            batches.add(CredentialText.toJson(m.batch()));
                        } else {
                            out().println(TerminalText.escape(image.toString()) + ": "
                                    + CredentialText.describe(m.batch()));
                        }
                    }
                    for (OtpCredential c : parsed.credentials()) {
                        if (json()) {
                            accounts.add(CredentialText.toJson(c));
                        } else {
                            out().println(TerminalText.escape(image.toString()) + ": " + CredentialText.describe(c));
                        }
                    }
                } finally {
                    for (OtpCredential c : parsed.credentials()) {
                        c.destroy();
                    }
                }
            }
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("image", image.toString());
            j.put("accounts", accounts);
            j.put("migration", batches);
            return j;
        }
    }

    @Command(name = "encode", mixinStandardHelpOptions = true, description = "Make a QR image of an otpauth URI.",
            footer = {"", "Examples:", "  otptoken qr encode --uri \"$URI\" --out alice.png       mode 0600",
                "  otptoken qr encode --uri \"$URI\" --out - > alice.png   to standard output",
                "", "Exit status: 0 written; 2 usage error; 3 not a valid otpauth URI, too long for a QR code,"
                        + " or the image cannot be written."})
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
        public Integer call() throws InvalidUriException, QrException, UsageException {
            if (out.isEmpty()) {
                // text, not a Path ('-' is standard output): in the words picocli gives every other path
                throw new UsageException("Invalid value for option '--out': " + FileReason.EMPTY_PATH);
            }
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
