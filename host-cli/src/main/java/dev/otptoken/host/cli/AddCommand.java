package dev.otptoken.host.cli;

import dev.otptoken.host.otpauth.Base32;
import dev.otptoken.host.otpauth.InvalidBase32Exception;
import dev.otptoken.host.otpauth.InvalidUriException;
import dev.otptoken.host.otpauth.OtpAuthUri;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.host.provision.ProvisionBatch;
import dev.otptoken.host.provision.ProvisionInputException;
import dev.otptoken.host.provision.Provisioner;
import dev.otptoken.host.session.TokenAddress;
import dev.otptoken.host.session.WrongPasswordException;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.InvalidNameException;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.SecretBytes;
import java.io.Console;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Writes one account given by its options and a Base32 secret, as {@code ykman oath accounts
 * add} does, with {@code provision}'s proof and backups ({@link Provisioner}). The secret is
 * never an argument: it is typed at the terminal without echo, or read from the first line of
 * standard input ({@code --secret-stdin}), and it is decoded and wiped without ever becoming a
 * {@code String}. Everything about the account is checked before the secret is asked for.
 */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Write one account into the token and its backups and prove it; the Base32 secret is"
                + " typed without echo, or read from standard input with --secret-stdin.",
            "The secret is asked for without echo, or read from the first line of standard input with"
                + " --secret-stdin (a --password-stdin line follows it); it is never an argument. It may be"
                + " written in groups, in lower case, with or without '=' padding."},
        footer = {"", "Examples:",
            "  otptoken add Example:alice                  TOTP, SHA1, 6 digits, 30 s",
            "  otptoken add --issuer Example alice         the same account",
            "  otptoken add --hotp --counter 5 Acme:bob    HOTP from counter 5",
            "  otptoken add --algorithm SHA256 --digits 8 --period 60 Acme:carol",
            "  otptoken add --secret-stdin Acme:erin < erin.txt",
            "", "Exit status: 0 written and proven; 2 usage (no terminal and no --secret-stdin); 3 bad input"
                + " (invalid secret, name or option value; name already on a token without --overwrite; the"
                + " remembered keys cannot be read or written);"
                + " 4 no token; 5 the token refused; 6 password."})
final class AddCommand extends TokenCommand implements JsonOutput {
    /** What the terminal shows when it asks for the secret. */
    static final String PROMPT = "secret (Base32): ";

    @Parameters(paramLabel = "NAME", description = "the account, or ISSUER:ACCOUNT without --issuer")
    String name;

    @Option(names = "--issuer", paramLabel = "ISSUER", description = "the issuer (e.g. the service's name)")
    String issuer;

    @Option(names = "--hotp", description = "an HOTP (counter) account instead of TOTP")
    boolean hotp;

    @Option(names = "--counter", paramLabel = "N", description = "HOTP: the initial counter (default 0)")
    Long counter;

    @Option(names = "--digits", paramLabel = "N", description = "digits of a code: 6, 7 or 8 (default 6)")
    int digits = 6;

    @Option(names = "--period", paramLabel = "S", description = "TOTP: seconds each code lasts, 1 to 3600"
            + " (default 30)")
    Integer period;

    @Option(names = "--algorithm", paramLabel = "ALGORITHM", description = "SHA1, SHA256 or SHA512 (default SHA1)")
    String algorithm;

    @Mixin
    WriteOptions write;

    @Option(names = "--secret-stdin", description = "read the Base32 secret from the first line of standard input"
            + " (before a --password-stdin line) instead of asking on the terminal")
    boolean secretStdin;

    @Mixin
    PasswordOption password;

    @Override
    public Integer call() throws IOException, ApduException, WrongPasswordException, UsageException,
            BadInputException, InvalidNameException, ProvisionInputException {
        if (counter != null && !hotp) {
            throw new UsageException("--counter is for HOTP accounts: add --hotp");
        }
        if (period != null && hotp) {
            throw new UsageException("--period is for TOTP accounts: an HOTP account moves by its --counter");
        }
        Console console = secretStdin ? null : console();
        if (!secretStdin && console == null) {
            throw new UsageException("no terminal to ask for the secret on: give it on the first line of standard"
                    + " input with --secret-stdin (never as an argument)");
        }
        HashAlgorithm hash = hashAlgorithm();
        // every rule of the account, checked on an empty key before the real one is asked for
        credential(hash, SecretBytes.wrap(new byte[0])).destroy();
        List<TokenAddress> tokens = write.tokens(root().address());

        ProvisionCommand.Printer printer = new ProvisionCommand.Printer(out(), err(), json());
        Provisioner provisioner = new Provisioner(root().env.opener(), clock(), passwords(password.stdin), printer,
                rememberedKeys(), password.remember);
        try (ProvisionBatch batch = provisioner.single(credential(hash, readSecret(console)))) {
            provisioner.provision(batch, tokens, write.options());
        }
        printer.printJson();
        return ExitStatus.OK;
    }

    /** The terminal, when there is one to ask on. */
    private Console console() {
        return root().env.console() ? System.console() : null;
    }

    private HashAlgorithm hashAlgorithm() throws BadInputException {
        try {
            return OtpAuthUri.parseAlgorithm(algorithm);
        } catch (InvalidUriException e) {
            throw new BadInputException("--algorithm: " + e.getMessage(), e);
        }
    }

    /**
     * The account of the options with {@code key}, which it takes over; on a refusal the key is
     * wiped here.
     */
    private OtpCredential credential(HashAlgorithm hash, SecretBytes key) throws BadInputException,
            InvalidNameException {
        OathType type = hotp ? OathType.HOTP : OathType.TOTP;
        String iss = issuer;
        String account = name;
        int colon = name.indexOf(':');
        if (iss == null && colon > 0) {
            // as ykman stores "ISSUER:ACCOUNT" given as the name: the token reads it back this way
            iss = name.substring(0, colon);
            account = name.substring(colon + 1);
        }
        if (account.isBlank() || iss != null && iss.isBlank()) {
            // as an otpauth URI's label: a name of spaces names nothing
            key.destroy();
            throw new BadInputException(account.isBlank() ? "missing account name"
                    : "empty issuer (leave out --issuer for none)");
        }
        try {
            return new OtpCredential(type, iss, account, hash, digits, period == null ? Oath.DEFAULT_PERIOD : period,
                    counter == null ? OtpCredential.DEFAULT_COUNTER : counter, key);
        } catch (InvalidNameException e) {
            key.destroy();
            throw e;
        } catch (IllegalArgumentException e) {
            key.destroy();
            throw new BadInputException(e.getMessage() + " (digits " + Oath.MIN_DIGITS + " to " + Oath.MAX_DIGITS
                    + ", period 1 to " + Oath.MAX_PERIOD + " s, counter 0 to " + OtpCredential.MAX_COUNTER + ")", e);
        }
    }

    /** The decoded secret, from standard input or the terminal; every buffer it passed through is wiped. */
    private SecretBytes readSecret(Console console) throws IOException, BadInputException {
        if (console == null) {
            byte[] line = StandardInput.secretLine(root().env.in(), "secret");
            try {
                return key(Base32.decodeAscii(line, 0, line.length));
            } catch (InvalidBase32Exception e) {
                throw invalid(e);
            } finally {
                SecretBytes.wipe(line);
            }
        }
        char[] typed = console.readPassword("%s", PROMPT);
        if (typed == null) {
            throw new BadInputException("no secret given (the terminal closed); nothing was written");
        }
        try {
            return key(Base32.decode(typed));
        } catch (InvalidBase32Exception e) {
            throw invalid(e);
        } finally {
            SecretBytes.wipe(typed);
        }
    }

    private static SecretBytes key(byte[] decoded) throws BadInputException {
        if (decoded.length == 0) {
            throw new BadInputException("no secret given: an empty secret is no key; nothing was written");
        }
        return SecretBytes.wrap(decoded);
    }

    /** The decoder's reason names a position, never a character of the secret. */
    private static BadInputException invalid(InvalidBase32Exception e) {
        return new BadInputException("the secret is not valid Base32: " + e.getMessage() + "; nothing was written", e);
    }
}
