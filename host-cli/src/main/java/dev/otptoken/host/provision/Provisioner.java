package dev.otptoken.host.provision;

import dev.otptoken.files.FileReason;
import dev.otptoken.host.imports.ExportFiles;
import dev.otptoken.host.imports.ExportPassword;
import dev.otptoken.host.imports.ImportException;
import dev.otptoken.host.imports.Imported;
import dev.otptoken.host.otpauth.InvalidUriException;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.host.otpauth.OtpInput;
import dev.otptoken.host.otpauth.Skipped;
import dev.otptoken.host.qr.QrDecoder;
import dev.otptoken.host.qr.QrException;
import dev.otptoken.host.qr.QrText;
import dev.otptoken.host.session.AccessKeys;
import dev.otptoken.host.session.Account;
import dev.otptoken.host.session.Code;
import dev.otptoken.host.session.ManagementInfo;
import dev.otptoken.host.session.OathSession;
import dev.otptoken.host.session.PasswordSource;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.TokenAddress;
import dev.otptoken.host.session.WrongPasswordException;
import dev.otptoken.log.Log;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.oath.Hotp;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.Totp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Provisioning (docs/otptoken-cli.md, provision; docs/architecture.md, "A provisioning, from
 * image to slot"): decode every input and validate it ({@link #decodeImages}, {@link #decodeUri}),
 * then open, unlock and check every token before writing to any, then token by token write
 * each account and prove it by comparing the token's code with the host's for the same time
 * step (or counter), and report what each token holds ({@link #provision}). What it has to say
 * on the way goes to a {@link ProvisionListener}; the caller decides how it is shown.
 */
public final class Provisioner {
    private final Token.Opener opener;
    private final InstantSource clock;
    private final PasswordSource passwords;
    private final ProvisionListener listener;
    private final AccessKeys keys;
    private final boolean remember;

    /**
     * @param opener    how tokens are opened
     * @param clock     the host's time, for TOTP proofs and listing
     * @param passwords where the password of a locked token comes from
     * @param listener  told of migration batches, touch prompts, each token's report and a stop
     */
    public Provisioner(Token.Opener opener, InstantSource clock, PasswordSource passwords, ProvisionListener listener) {
        this(opener, clock, passwords, listener, AccessKeys.NONE, false);
    }

    /**
     * As {@link #Provisioner(Token.Opener, InstantSource, PasswordSource, ProvisionListener)},
     * unlocking a locked token with the key {@code keys} remembers for it first, and keeping the
     * key of a password typed for it when {@code remember} ({@link Token#oath(PasswordSource, AccessKeys, boolean)}).
     */
    public Provisioner(Token.Opener opener, InstantSource clock, PasswordSource passwords, ProvisionListener listener,
                       AccessKeys keys, boolean remember) {
        this.opener = opener;
        this.clock = clock;
        this.passwords = passwords;
        this.listener = listener;
        this.keys = keys;
        this.remember = remember;
    }

    /** Whether to require touch for each account, and whether to replace accounts of the same name. */
    public record Options(boolean touch, boolean overwrite) {
    }

    /** Decodes and validates one otpauth URI (a single account or a migration export). */
    public ProvisionBatch decodeUri(String uri) throws InvalidUriException, ProvisionInputException {
        return decodeUri(uri, false);
    }

    /**
     * As {@link #decodeUri(String)}; with {@code strict}, an account of a migration export
     * that cannot be stored is an error before anything is written.
     */
    public ProvisionBatch decodeUri(String uri, boolean strict) throws InvalidUriException, ProvisionInputException {
        OtpInput parsed = OtpInput.parse(uri);
        boolean done = false;
        try {
            tellBatch(Optional.empty(), parsed);
            ProvisionBatch batch = validated(List.of(parsed), strict);
            done = true;
            return batch;
        } finally {
            if (!done) {
                parsed.destroy();
            }
        }
    }

    /**
     * Decodes several otpauth URIs (one per line of standard input, {@code --uri-stdin}) and
     * validates all their accounts together.
     *
     * @param uris     the URIs, in order
     * @param describe names the i-th URI in messages (its line number), never by its text
     * @param strict   an account of a migration export that cannot be stored is an error
     */
    public ProvisionBatch decodeUris(List<String> uris, IntFunction<String> describe, boolean strict)
            throws ProvisionInputException {
        List<OtpInput> inputs = new ArrayList<>();
        boolean done = false;
        try {
            for (int i = 0; i < uris.size(); i++) {
                OtpInput parsed;
                try {
                    parsed = OtpInput.parse(uris.get(i));
                } catch (InvalidUriException e) {
                    throw new ProvisionInputException(describe.apply(i) + ": " + e.getMessage(), e);
                }
                inputs.add(parsed);
                tellBatch(Optional.empty(), parsed);
            }
            ProvisionBatch batch = validated(inputs, strict);
            done = true;
            return batch;
        } finally {
            if (!done) {
                inputs.forEach(OtpInput::destroy);
            }
        }
    }

    /**
     * One account given directly (not from a URI or an image), as {@code add} builds it. The
     * batch takes the credential over: closing the batch wipes its key, and so does a refusal.
     */
    public ProvisionBatch single(OtpCredential credential) throws ProvisionInputException {
        OtpInput input = new OtpInput.Single(credential);
        boolean done = false;
        try {
            ProvisionBatch batch = validated(List.of(input), false);
            done = true;
            return batch;
        } finally {
            if (!done) {
                input.destroy();
            }
        }
    }

    /** Decodes every QR code of every image, then validates all their accounts together. */
    public ProvisionBatch decodeImages(List<Path> images) throws QrException, ProvisionInputException {
        List<OtpInput> inputs = new ArrayList<>();
        boolean done = false;
        try {
            for (Path image : images) {
                addImage(image, QrDecoder.decode(image), inputs);
            }
            ProvisionBatch batch = validated(inputs, false);
            done = true;
            return batch;
        } finally {
            if (!done) {
                inputs.forEach(OtpInput::destroy);
            }
        }
    }

    /**
     * Reads every file, recognised by its content (docs/imports.md): an image's QR codes, or
     * a text file of URIs or an authenticator app's export (asking {@code password} for an
     * encrypted one); then validates all their accounts together, before any token is opened.
     *
     * @param strict an account that cannot be stored is an error (else it is reported and
     *               the others go on)
     */
    public ProvisionBatch decodeFiles(List<Path> files, ExportPassword password, boolean strict)
            throws QrException, ImportException, ProvisionInputException {
        List<OtpInput> inputs = new ArrayList<>();
        boolean done = false;
        try {
            for (Path file : files) {
                if (QrDecoder.isStream(file)) {
                    readStream(file, password, inputs);
                } else if (QrDecoder.isImage(file)) {
                    addImage(file, QrDecoder.decode(file), inputs);
                } else {
                    addExport(file, ExportFiles.read(file, password), inputs);
                }
            }
            ProvisionBatch batch = validated(inputs, strict);
            for (OtpInput input : inputs) {
                if (input instanceof OtpInput.Export export) {
                    listener.exportRead(export);
                }
            }
            done = true;
            return batch;
        } finally {
            if (!done) {
                inputs.forEach(OtpInput::destroy);
            }
        }
    }

    /**
     * A pipe or device ({@code provision /dev/stdin}, {@code provision <(curl ...)}) can be read
     * only once: it is read whole, then taken as an image or an export by its content.
     */
    private void readStream(Path file, ExportPassword password, List<OtpInput> inputs)
            throws QrException, ImportException, ProvisionInputException {
        byte[] content;
        try {
            content = QrDecoder.readStream(file);
        } catch (IOException e) {
            throw new ImportException("cannot read " + file + ": " + FileReason.reading(e), e);
        }
        if (QrDecoder.isImage(content)) {
            try {
                addImage(file, QrDecoder.decode(content, file.toString()), inputs);
            } finally {
                Arrays.fill(content, (byte) 0);
            }
        } else {
            addExport(file, ExportFiles.read(file, content, password), inputs);
        }
    }

    private static void addExport(Path file, Imported imported, List<OtpInput> inputs) {
        inputs.add(new OtpInput.Export(file.toString(), imported.format(), imported.credentials(), imported.skipped(),
                imported.migrationCodes()));
    }

    private void addImage(Path image, List<QrText> texts, List<OtpInput> inputs) throws ProvisionInputException {
        for (QrText t : texts) {
            OtpInput parsed = parse(t.text(), image);
            inputs.add(parsed);
            tellBatch(Optional.of(image), parsed);
        }
    }

    /** "1 account", "2 accounts", "0 accounts": a count in the words of every message about accounts. */
    public static String accounts(int n) {
        return n + (n == 1 ? " account" : " accounts");
    }

    /** Parses the text of a QR code, naming the image in the message when it is refused. */
    public static OtpInput parse(String text, Path image) throws ProvisionInputException {
        if (!OtpInput.isOtpauth(text)) {
            throw new ProvisionInputException(image + ": QR code does not hold an otpauth URI");
        }
        try {
            return OtpInput.parse(text);
        } catch (InvalidUriException e) {
            throw new ProvisionInputException(image + ": " + e.getMessage(), e);
        }
    }

    private void tellBatch(Optional<Path> image, OtpInput parsed) {
        if (parsed instanceof OtpInput.Migration m) {
            listener.migrationBatch(image, m.batch());
        }
    }

    /**
     * Every account of every input, each name once; refuses an input without any account,
     * and with {@code strict} one with an account that cannot be stored.
     */
    private static ProvisionBatch validated(List<OtpInput> inputs, boolean strict) throws ProvisionInputException {
        List<OtpCredential> credentials = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (OtpInput input : inputs) {
            credentials.addAll(input.credentials());
            for (Skipped s : input.skipped()) {
                skipped.add(s.name() + " (" + s.reason() + ")");
            }
        }
        if (strict && !skipped.isEmpty()) {
            throw new ProvisionInputException("--strict: " + accounts(skipped.size()) + " cannot be stored: " + String.join("; ", skipped) + "; nothing was written");
        }
        if (credentials.isEmpty()) {
            // every account skipped: say why, as the lines skipped beside a usable one are
            throw new ProvisionInputException(skipped.isEmpty() ? "nothing to provision: the input holds no usable account"
                    : "nothing to provision: " + accounts(skipped.size()) + " skipped: " + String.join("; ", skipped));
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (OtpCredential c : credentials) {
            String display = Account.displayName(c.name());
            if (!seen.add(display)) {
                throw new ProvisionInputException("account " + display + " appears twice in the input");
            }
            names.add(display);
        }
        return new ProvisionBatch(inputs, credentials, names);
    }

    /**
     * Opens, unlocks and checks every token before writing to any, so that a name clash or a
     * wrong password on a backup leaves the primary untouched too; then writes and proves
     * every account, token by token, telling the listener of each token's report. When a
     * token fails part-way, the listener is told what every token holds now before the
     * failure is thrown on.
     *
     * @param tokens the token first, then its backups
     * @return each token's report, in order
     * @throws ProvisionInputException a token already holds a name (without {@code overwrite})
     *     or has no room for the input: nothing was written
     */
    public List<TokenReport> provision(ProvisionBatch batch, List<TokenAddress> tokens, Options options)
            throws IOException, ApduException, WrongPasswordException, ProvisionInputException {
        List<OtpCredential> credentials = batch.credentials();
        List<String> names = batch.names();
        Map<TokenAddress, AccountState[]> states = new LinkedHashMap<>();
        List<Token> open = new ArrayList<>();
        List<TokenReport> reports = new ArrayList<>();
        TokenAddress failedOn = null;
        ProvisionStop.Failure failure = null;
        try {
            List<OathSession> sessions = new ArrayList<>();
            List<List<Account>> present = new ArrayList<>();
            for (TokenAddress address : tokens) {
                states.put(address, newStates(credentials.size()));
                Token token = Token.open(address, opener);
                open.add(token);
                // Before the OATH session: selecting the device applet deselects OATH.
                int capacity = capacity(token);
                OathSession oath = token.oath(passwords, keys, remember);
                List<Account> accounts = oath.list(clock.instant());
                preflight(address, capacity, accounts, names, options.overwrite());
                sessions.add(oath);
                present.add(accounts);
            }
            batch.incompleteExports().forEach(listener::incompleteExport);
            listener.writing(List.copyOf(tokens));
            for (int t = 0; t < tokens.size(); t++) {
                failedOn = tokens.get(t);
                AccountState[] state = states.get(failedOn);
                try {
                    writeAndProve(failedOn, sessions.get(t), present.get(t), credentials, names, state, options.touch());
                } catch (Exception e) {
                    failure = new ProvisionStop.Failure(names.get(firstNotProven(state)), e);
                    throw e;
                }
                TokenReport report = new TokenReport(failedOn, names, List.of(state));
                reports.add(report);
                listener.tokenDone(report);
            }
            failedOn = null;
            return reports;
        } finally {
            for (Token token : open) {
                try {
                    token.close();
                } catch (IOException e) {
                    Log.warn("closing {}: {}", token.address(), e.getMessage());
                }
            }
            if (failedOn != null) {
                resolveUnknown(failedOn, names, states.get(failedOn));
                List<TokenReport> now = new ArrayList<>();
                for (TokenAddress address : tokens) {
                    now.add(new TokenReport(address, names, List.of(states.get(address))));
                }
                listener.stopped(new ProvisionStop(failedOn, now, Optional.ofNullable(failure)));
            }
        }
    }

    /** Refuses a name the token holds (unless overwriting) and input that does not fit. */
    private static void preflight(TokenAddress address, int capacity, List<Account> accounts, List<String> names,
                                  boolean overwrite) throws ProvisionInputException {
        int added = 0;
        for (String n : names) {
            if (Account.find(accounts, n) == null) {
                added++;
            } else if (!overwrite) {
                throw new ProvisionInputException(address.label() + " already holds " + n
                        + " (use --overwrite to replace it); nothing was written");
            }
        }
        if (capacity >= 0 && accounts.size() + added > capacity) {
            int room = Math.max(0, capacity - accounts.size());
            throw new ProvisionInputException(address.label() + " has room for " + room
                    + (room == 1 ? " more account" : " more accounts") + " (" + accounts.size() + " of "
                    + capacity + " in use) and the input adds " + added + "; nothing was written");
        }
    }

    private void writeAndProve(TokenAddress address, OathSession oath, List<Account> present,
                               List<OtpCredential> credentials, List<String> names, AccountState[] state,
                               boolean touch) throws IOException, ApduException {
        for (int i = 0; i < credentials.size(); i++) {
            OtpCredential c = credentials.get(i);
            Account old = Account.find(present, names.get(i));
            // A PUT of a name the token holds replaces that account in one transaction
            // (YKOATH); a DELETE first would leave neither account after a power cut between
            // the two commands (the tearing sweep found it). Only a different stored name
            // (another period prefix) needs the old one deleted.
            if (old != null && !Arrays.equals(old.id(), c.name().encode(c.type()))) {
                oath.delete(old.id());
            }
            state[i] = AccountState.UNKNOWN;
            try {
                oath.put(c, touch);
            } catch (ApduException refused) {
                state[i] = AccountState.ABSENT; // the token answered: it did not write the account
                throw refused;
            }
            state[i] = AccountState.WRITTEN;
            Log.info("{}: wrote {}", address, names.get(i));
            if (touch) {
                listener.touchToProve(address, names.get(i));
            }
            prove(oath, c, names.get(i), address);
            state[i] = AccountState.PROVEN;
        }
    }

    /**
     * How many accounts the token holds at most: from its device applet (GET INFO), or for a
     * YubiKey from the firmware its management application reports; -1 when neither answers,
     * so the token itself refuses a PUT too many (6A84).
     */
    private static int capacity(Token token) throws IOException {
        try {
            return token.device(true).info().accountsCapacity();
        } catch (ApduException noDeviceApplet) {
            try {
                ManagementInfo info = token.management().readInfo();
                Log.info("{}: {} firmware {}: {} accounts", token.address(), info.deviceName(), info.firmware(),
                        info.oathCapacity());
                return info.oathCapacity();
            } catch (ApduException noManagement) {
                Log.info("{}: no device or management application ({}): capacity not known before writing",
                        token.address(), noManagement.getMessage());
                return -1;
            }
        }
    }

    /**
     * After a transport failure, accounts whose PUT got no answer may be on the token. Asks
     * the token once more on a new connection (without a password: a locked token stays
     * unknown rather than spend a guess) and settles each as written or absent; what cannot
     * be asked stays unknown, never a wrong "not written".
     */
    private void resolveUnknown(TokenAddress address, List<String> names, AccountState[] state) {
        if (state == null || Arrays.stream(state).noneMatch(s -> s == AccountState.UNKNOWN)) {
            return;
        }
        try (Token again = Token.open(address, opener)) {
            OathSession oath = again.oathSelected();
            if (oath.select().locked()) {
                return;
            }
            List<Account> held = oath.list(clock.instant());
            for (int i = 0; i < names.size(); i++) {
                if (state[i] == AccountState.UNKNOWN) {
                    state[i] = Account.find(held, names.get(i)) != null ? AccountState.WRITTEN : AccountState.ABSENT;
                }
            }
        } catch (IOException | ApduException | RuntimeException e) {
            Log.info("{}: cannot ask the token again: {}", address, e.getMessage());
        }
    }

    /** The token's code must equal the host's for the same time step (TOTP) or counter (HOTP). */
    private void prove(OathSession oath, OtpCredential c, String name, TokenAddress address)
            throws IOException, ApduException {
        byte[] id = c.name().encode(c.type());
        Code onToken;
        String onHost;
        if (c.type() == OathType.TOTP) {
            Instant at = clock.instant();
            onToken = oath.calculate(id, Totp.challenge(at, c.period()));
            onHost = c.secret().use(k -> Totp.code(c.algorithm(), k, at, c.period(), c.digits()));
        } else {
            onToken = oath.calculate(id, new byte[0]);
            onHost = c.secret().use(k -> Hotp.code(c.algorithm(), k, c.counter(), c.digits()));
        }
        if (!onToken.value().equals(onHost)) {
            throw new IOException(address.label() + ": " + name + " was written but its code differs from the host's:"
                    + " the account on the token is wrong");
        }
    }

    /** Accounts are written and proven in order: the first not proven is the one that failed. */
    private static int firstNotProven(AccountState[] state) {
        for (int i = 0; i < state.length; i++) {
            if (state[i] != AccountState.PROVEN) {
                return i;
            }
        }
        return state.length - 1;
    }

    private static AccountState[] newStates(int n) {
        AccountState[] s = new AccountState[n];
        Arrays.fill(s, AccountState.ABSENT);
        return s;
    }
}
