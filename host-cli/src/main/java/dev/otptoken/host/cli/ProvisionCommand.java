package dev.otptoken.host.cli;

import dev.otptoken.host.otpauth.InvalidUriException;
import dev.otptoken.host.otpauth.MigrationBatch;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.host.otpauth.OtpInput;
import dev.otptoken.host.qr.QrDecoder;
import dev.otptoken.host.qr.QrText;
import dev.otptoken.host.session.Account;
import dev.otptoken.host.session.Code;
import dev.otptoken.host.session.OathSession;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.TokenAddress;
import dev.otptoken.host.text.TerminalText;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.oath.AccountName;
import dev.otptoken.protocol.oath.Hotp;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.Totp;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tinylog.Logger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Writes accounts from QR images or a URI into the token and every backup token, proving
 * each by comparing the token's code with the host's for the same time step (or counter)
 * before the secrets are wiped. Everything is decoded and validated before the first write.
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

        @Option(names = "--uri", paramLabel = "URI", description = "an otpauth:// URI instead of images")
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

    /**
     * Where one account stands on one token. {@code UNKNOWN}: the PUT was sent and no answer
     * came (the transport failed), so the token may or may not have committed it.
     */
    enum State { ABSENT, UNKNOWN, WRITTEN, PROVEN }

    @Override
    public Integer call() throws Exception {
        List<OtpCredential> credentials = new ArrayList<>();
        try {
            decode(credentials);
            if (credentials.isEmpty()) {
                throw new BadInputException("nothing to provision: the input holds no usable account");
            }
            List<String> names = validate(credentials);
            List<TokenAddress> devices = new ArrayList<>();
            devices.add(root().address());
            for (String b : backups) {
                // by name: a --backup spelled as the --reader is the same token named twice
                if (devices.stream().anyMatch(d -> d.label().equals(b))) {
                    throw new UsageException("token " + b + " named twice");
                }
                devices.add(new TokenAddress.SerialPort(b));
            }
            if (backups.isEmpty()) {
                err().println("otptoken: warning: no --backup token: these secrets will exist only in this token"
                        + " (none is kept on the host)");
            }
            provisionAll(devices, credentials, names);
            return ExitStatus.OK;
        } finally {
            for (OtpCredential c : credentials) {
                c.destroy();
            }
        }
    }

    private void decode(List<OtpCredential> into) throws Exception {
        if (source.uri != null) {
            addParsed(into, OtpInput.parse(source.uri), "--uri");
            return;
        }
        for (Path image : source.images) {
            List<QrText> texts = QrDecoder.decode(image);
            for (QrText t : texts) {
                addParsed(into, parse(t.text(), image), image.toString());
            }
        }
    }

    /** Parses a QR text, naming the image in the message when it is refused. */
    static OtpInput parse(String text, Path image) throws BadInputException {
        try {
            return OtpInput.parse(text);
        } catch (InvalidUriException e) {
            throw new BadInputException(image + ": " + e.getMessage(), e);
        }
    }

    private void addParsed(List<OtpCredential> into, OtpInput parsed, String where) {
        into.addAll(parsed.credentials());
        if (parsed instanceof OtpInput.Migration m) {
            MigrationBatch batch = m.batch();
            err().println("otptoken: " + where + ": " + QrCommand.describe(batch));
        }
    }

    /** Builds every token name (which may refuse) and rejects duplicates, before any write. */
    private List<String> validate(List<OtpCredential> credentials) throws Exception {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (OtpCredential c : credentials) {
            AccountName name = c.name();
            String display = Account.displayName(name);
            if (!seen.add(display)) {
                throw new BadInputException("account " + display + " appears twice in the input");
            }
            names.add(display);
        }
        return names;
    }

    /**
     * Opens, unlocks and checks every token before writing to any, so that a name clash or
     * a wrong password on a backup leaves the primary untouched too.
     */
    private void provisionAll(List<TokenAddress> devices, List<OtpCredential> credentials, List<String> names)
            throws Exception {
        Map<TokenAddress, State[]> states = new LinkedHashMap<>();
        List<Token> tokens = new ArrayList<>();
        TokenAddress failedOn = null;
        // the account being written or proven when a token failed, and why
        String failedAccount = null;
        String failure = null;
        try {
            List<OathSession> sessions = new ArrayList<>();
            List<List<Account>> present = new ArrayList<>();
            Passwords source = passwords(password.stdin);
            for (TokenAddress device : devices) {
                states.put(device, newStates(credentials.size()));
                Token token = Token.open(device, root().env.opener());
                tokens.add(token);
                // Before the OATH session: selecting the device applet deselects OATH.
                int capacity = capacity(token);
                OathSession oath = token.oath(source);
                List<Account> accounts = oath.list(now());
                int added = 0;
                for (String n : names) {
                    if (find(accounts, n) == null) {
                        added++;
                    } else if (!overwrite) {
                        throw new BadInputException(device.label() + " already holds " + n
                                + " (use --overwrite to replace it); nothing was written");
                    }
                }
                if (capacity >= 0 && accounts.size() + added > capacity) {
                    throw new BadInputException(device.label() + " has room for " + Math.max(0, capacity - accounts.size())
                            + " more accounts (" + accounts.size() + " of " + capacity + " in use) and the input adds "
                            + added + "; nothing was written");
                }
                sessions.add(oath);
                present.add(accounts);
            }
            for (int t = 0; t < devices.size(); t++) {
                failedOn = devices.get(t);
                State[] state = states.get(failedOn);
                try {
                    writeAndProve(failedOn, sessions.get(t), present.get(t), credentials, names, state);
                } catch (Exception e) {
                    failedAccount = names.get(firstNotProven(state));
                    failure = Failures.reason(e);
                    throw e;
                }
                report(failedOn, names, state);
            }
            failedOn = null;
        } finally {
            for (Token token : tokens) {
                try {
                    token.close();
                } catch (java.io.IOException e) {
                    Logger.warn("closing {}: {}", token.address(), e.getMessage());
                }
            }
            if (failedOn != null) {
                resolveUnknown(failedOn, names, states.get(failedOn));
                err().println("otptoken: provisioning stopped at " + failedOn.label() + "; what each token holds now:");
                for (TokenAddress d : devices) {
                    String line = summary(d, names, states.get(d));
                    if (d.equals(failedOn) && failedAccount != null) {
                        line += "; failed at " + TerminalText.escape(failedAccount) + ": " + failure;
                    }
                    err().println("otptoken:   " + line);
                }
            }
        }
    }

    private void writeAndProve(TokenAddress device, OathSession oath, List<Account> present, List<OtpCredential> credentials,
                               List<String> names, State[] state) throws Exception {
        for (int i = 0; i < credentials.size(); i++) {
            OtpCredential c = credentials.get(i);
            Account old = find(present, names.get(i));
            // A PUT of a name the token holds replaces that account in one transaction
            // (YKOATH); a DELETE first would leave neither account after a power cut between
            // the two commands (the tearing sweep found it). Only a different stored name
            // (another period prefix) needs the old one deleted.
            if (old != null && !Arrays.equals(old.id(), c.name().encode(c.type()))) {
                oath.delete(old.id());
            }
            state[i] = State.UNKNOWN;
            try {
                oath.put(c, touch);
            } catch (ApduException refused) {
                state[i] = State.ABSENT; // the token answered: it did not write the account
                throw refused;
            }
            state[i] = State.WRITTEN;
            Logger.info("{}: wrote {}", device, names.get(i));
            if (touch) {
                err().println("otptoken: touch the token at " + device.label() + " to prove " + TerminalText.escape(names.get(i))
                        + " ...");
            }
            prove(oath, c, names.get(i), device);
            state[i] = State.PROVEN;
        }
    }

    /**
     * How many accounts the token holds at most, from its device applet (GET INFO); -1 when
     * the token has none (a YubiKey over PC/SC), so the token itself refuses a PUT too many (6A84).
     */
    private static int capacity(Token token) throws java.io.IOException {
        try {
            return token.device(true).info().accountsCapacity();
        } catch (ApduException noDeviceApplet) {
            Logger.info("{}: no device applet ({}): capacity not known before writing", token.address(),
                    noDeviceApplet.getMessage());
            return -1;
        }
    }

    /**
     * After a transport failure, accounts whose PUT got no answer may be on the token. Asks
     * the token once more on a new connection (without a password: a locked token stays
     * unknown rather than spend a guess) and settles each as written or absent; what cannot
     * be asked stays unknown, never a wrong "not written".
     */
    private void resolveUnknown(TokenAddress device, List<String> names, State[] state) {
        if (state == null || Arrays.stream(state).noneMatch(s -> s == State.UNKNOWN)) {
            return;
        }
        try (Token again = Token.open(device, root().env.opener())) {
            OathSession oath = again.oathSelected();
            if (oath.select().locked()) {
                return;
            }
            List<Account> held = oath.list(now());
            for (int i = 0; i < names.size(); i++) {
                if (state[i] == State.UNKNOWN) {
                    state[i] = find(held, names.get(i)) != null ? State.WRITTEN : State.ABSENT;
                }
            }
        } catch (java.io.IOException | ApduException | RuntimeException e) {
            Logger.info("{}: cannot ask the token again: {}", device, e.getMessage());
        }
    }

    /** The token's code must equal the host's for the same time step (TOTP) or counter (HOTP). */
    private void prove(OathSession oath, OtpCredential c, String name, TokenAddress device) throws Exception {
        byte[] id = c.name().encode(c.type());
        Code onToken;
        String onHost;
        if (c.type() == OathType.TOTP) {
            Instant at = now();
            onToken = oath.calculate(id, Totp.challenge(at, c.period()));
            onHost = c.secret().use(k -> Totp.code(c.algorithm(), k, at, c.period(), c.digits()));
        } else {
            onToken = oath.calculate(id, new byte[0]);
            onHost = c.secret().use(k -> Hotp.code(c.algorithm(), k, c.counter(), c.digits()));
        }
        if (!onToken.value().equals(onHost)) {
            throw new java.io.IOException(device.label() + ": " + name + " was written but its code differs from the host's:"
                    + " the account on the token is wrong");
        }
    }

    /** Accounts are written and proven in order: the first not proven is the one that failed. */
    private static int firstNotProven(State[] state) {
        for (int i = 0; i < state.length; i++) {
            if (state[i] != State.PROVEN) {
                return i;
            }
        }
        return state.length - 1;
    }

    private void report(TokenAddress device, List<String> names, State[] state) {
        out().println(summary(device, names, state));
    }

    private static String summary(TokenAddress device, List<String> rawNames, State[] state) {
        List<String> names = rawNames.stream().map(TerminalText::escape).toList();
        List<String> proven = new ArrayList<>();
        List<String> written = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            (switch (state[i]) {
                case PROVEN -> proven;
                case WRITTEN -> written;
                case UNKNOWN -> unknown;
                case ABSENT -> absent;
            }).add(names.get(i));
        }
        StringBuilder sb = new StringBuilder(device.label()).append(": ");
        sb.append(proven.size()).append(" of ").append(names.size()).append(" accounts in and proven");
        if (!proven.isEmpty()) {
            sb.append(" (").append(String.join(", ", proven)).append(')');
        }
        if (!written.isEmpty()) {
            sb.append("; written, NOT proven: ").append(String.join(", ", written));
        }
        if (!unknown.isEmpty()) {
            sb.append("; unknown (the token did not answer): ").append(String.join(", ", unknown))
                    .append(" — check with 'otptoken list'");
        }
        if (!absent.isEmpty()) {
            sb.append("; not written: ").append(String.join(", ", absent));
        }
        return sb.toString();
    }

    private static State[] newStates(int n) {
        State[] s = new State[n];
        java.util.Arrays.fill(s, State.ABSENT);
        return s;
    }
}
