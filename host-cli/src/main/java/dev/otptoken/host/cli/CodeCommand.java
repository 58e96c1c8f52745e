package dev.otptoken.host.cli;

import dev.otptoken.host.session.Account;
import dev.otptoken.host.session.AccountCode;
import dev.otptoken.host.session.Code;
import dev.otptoken.host.session.OathSession;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.WrongPasswordException;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.StatusWord;
import dev.otptoken.protocol.device.Device;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.Totp;
import dev.otptoken.protocol.text.TerminalText;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code code [QUERY]}: ykman's rule. TOTP codes come from one CALCULATE ALL (other periods
 * and Steam accounts one CALCULATE each, which has no side effect; a Steam account's is a
 * full-response CALCULATE made into five Steam characters, docs/imports.md, "Steam"); HOTP and touch accounts are computed only
 * when the query selects exactly that account, else listed as {@code [HOTP]} / {@code [touch]}:
 * listing codes never moves a counter or waits for a press (docs/otptoken-cli.md, code).
 */
@Command(name = "code", mixinStandardHelpOptions = true,
        description = {"One line per matching account: NAME  CODE. TOTP uses the host's time unless --token-clock.",
                "HOTP and touch accounts are computed only when QUERY selects exactly one account"
                        + " (an HOTP code advances its counter); otherwise they show as [HOTP] or [touch].",
                "On a terminal a third column says how many seconds each TOTP code stays valid."},
        footer = {"", "Examples:", "  otptoken code            every TOTP code; HOTP and touch accounts named",
                "  otptoken code github     the accounts whose name contains 'github'",
                "  otptoken code -s github  the code alone, for scripts (one account must match)",
                "  otptoken code --json     one JSON document, with each TOTP code's validity",
                "", "Exit status: 0 codes shown; 2 usage error (-s without QUERY); 3 no account matches (or -s matches several),"
                        + " or the remembered keys cannot be read or written;"
                        + " 4 no token; 5 the token refused (touch not given in time); 6 password."})
final class CodeCommand extends TokenCommand implements JsonOutput {
    /** What the CODE column shows for an account that was not computed. */
    static final String HOTP_MARK = "[HOTP]";
    static final String TOUCH_MARK = "[touch]";

    @Parameters(arity = "0..1", paramLabel = "QUERY", description = "part of an account name (case ignored);"
            + " an exact name selects that account alone")
    String query;

    @Option(names = {"-s", "--single"}, description = "print only the code (with --json: the document of that one account); QUERY must select exactly one account")
    boolean single;

    @Option(names = "--token-clock", description = "let the token use its own clock for TOTP")
    boolean tokenClock;

    @Mixin
    PasswordOption password;

    /** One matching account and what is shown for it. */
    private record Row(Account account, Optional<Code> code, Optional<Instant> validUntil) {
    }

    @Override
    public Integer call() throws IOException, UsageException, ApduException, WrongPasswordException, BadInputException,
            RefusedException {
        if (single && query == null) {
            throw new UsageException("--single needs a QUERY that selects one account");
        }
        List<Row> rows = new ArrayList<>();
        Instant at;
        try (Token token = openToken()) {
            if (tokenClock) {
                requireClock(token);
            }
            OathSession oath = oath(token, password);
            at = now();
            List<AccountCode> listed = oath.listWithCodes(at);
            List<Account> matching = match(listed.stream().map(AccountCode::account).toList(), query);
            if (matching.isEmpty() && query != null) {
                throw new BadInputException("no account matches '" + query + "' (see otptoken list)");
            }
            if (single && matching.size() > 1) {
                throw new BadInputException("'" + query + "' matches " + matching.size() + " accounts: "
                        + String.join(", ", matching.stream().map(Account::displayName).toList()));
            }
            boolean selected = query != null && matching.size() == 1;
            for (Account a : matching) {
                rows.add(row(oath, a, codeFromList(listed, a), selected, at));
            }
        }
        print(rows);
        return ExitStatus.OK;
    }

    /**
     * --token-clock needs a token with a clock of its own (the device applet's RTC feature): a
     * YubiKey has none, and given the empty challenge it would answer a code of no time at all.
     */
    private static void requireClock(Token token) throws IOException, ApduException, UsageException {
        boolean clock;
        try {
            clock = (clockDevice(token).info().features() & Device.FEATURE_RTC) != 0;
        } catch (RefusedException e) {
            clock = false;
        } catch (ApduException e) {
            if (e.statusWord() != StatusWord.FILE_NOT_FOUND) {
                throw e;
            }
            clock = false; // an applet that answers SELECT but has no GET INFO
        }
        if (!clock) {
            throw new UsageException("--token-clock: this token has no clock of its own (a YubiKey has none);"
                    + " leave it out to use the host's time");
        }
    }

    /** The code listed with {@code a}, which is one of {@code listed}'s accounts (match filters them). */
    private static Optional<Code> codeFromList(List<AccountCode> listed, Account a) {
        for (AccountCode c : listed) {
            if (c.account() == a) {
                return c.code();
            }
        }
        return Optional.empty();
    }

    private Row row(OathSession oath, Account a, Optional<Code> listed, boolean selected, Instant at)
            throws IOException, ApduException, RefusedException {
        boolean touch = a.touch().orElse(false);
        if (a.type() == OathType.TOTP && !touch) {
            if (tokenClock) {
                return new Row(a, Optional.of(oath.codeFromTokenClock(a)), Optional.empty());
            }
            Code code = listed.isPresent() ? listed.get() : oath.calculate(a, at);
            long step = Totp.timeStep(at, a.period());
            return new Row(a, Optional.of(code), Optional.of(Totp.stepStart(step + 1, a.period())));
        }
        if (!selected) {
            return new Row(a, Optional.empty(), Optional.empty());
        }
        if (touch) {
            err().println("otptoken: touch the token to get the code for " + TerminalText.escape(a.displayName()) + " ...");
        }
        Instant asked = now();
        try {
            Code code = tokenClock && a.type() == OathType.TOTP ? oath.codeFromTokenClock(a)
                    : oath.calculate(a, asked);
            Optional<Instant> until = a.type() == OathType.TOTP && !tokenClock
                    ? Optional.of(Totp.stepStart(Totp.timeStep(asked, a.period()) + 1, a.period()))
                    : Optional.empty();
            return new Row(a, Optional.of(code), until);
        } catch (ApduException e) {
            if (e.statusWord() == StatusWord.CONDITIONS_NOT_SATISFIED) {
                throw new RefusedException("the token was not touched in time: no code for " + a.displayName(), e);
            }
            throw e;
        }
    }

    private void print(List<Row> rows) {
        // with --json, -s still selects exactly one account, and its document is --json code's
        if (single && !json()) {
            Row r = rows.get(0);
            out().println(r.code().map(Code::value).orElseThrow());
            return;
        }
        if (json()) {
            List<Map<String, Object>> json = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.account().displayName());
                m.put("type", r.account().type().name());
                m.put("touch", r.account().touch().orElse(null));
                m.put("code", r.code().map(Code::value).orElse(null));
                r.validUntil().ifPresent(until -> {
                    m.put("valid_from", until.minusSeconds(r.account().period()).toString());
                    m.put("valid_until", until.toString());
                });
                json.add(m);
            }
            out().println(Json.write(Map.of("codes", json)));
            return;
        }
        boolean terminal = root().env.console();
        Instant shownAt = now();
        List<List<String>> table = new ArrayList<>();
        for (Row r : rows) {
            String shown = r.code().map(Code::value)
                    .orElse(r.account().touch().orElse(false) ? TOUCH_MARK : HOTP_MARK);
            List<String> line = new ArrayList<>(List.of(r.account().displayName(), shown));
            if (terminal && r.validUntil().isPresent()) {
                // as Totp.secondsRemaining counts: whole seconds, the fraction of the current one ignored
                long left = Math.max(0, r.validUntil().get().getEpochSecond() - shownAt.getEpochSecond());
                line.add(left + "s");
            }
            table.add(line);
        }
        table(out(), table);
    }
}
