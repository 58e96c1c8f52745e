package dev.otptoken.host.cli;

import dev.otptoken.host.session.Account;
import dev.otptoken.host.session.DeviceSession;
import dev.otptoken.host.session.OathSession;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.WrongPasswordException;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.StatusWord;
import dev.otptoken.protocol.text.TerminalText;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: the global options, the streams, the clock, opening the token. */
abstract class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    HostMain root() {
        return (HostMain) spec.root().userObject();
    }

    PrintStream out() {
        return root().env.out();
    }

    PrintStream err() {
        return root().env.err();
    }

    InstantSource clock() {
        return root().env.clock();
    }

    Instant now() {
        return clock().instant();
    }

    boolean json() {
        return root().json;
    }

    Token openToken() throws IOException, UsageException {
        return Token.open(root().address(), root().env.opener(), root().env.random());
    }

    /**
     * The device applet of {@code token}, selected, for a command about its clock: a token
     * without one (a YubiKey: 6A82) is refused in words, not as "application not found".
     */
    static DeviceSession clockDevice(Token token) throws IOException, ApduException, RefusedException {
        try {
            return token.device(true);
        } catch (ApduException e) {
            if (e.statusWord() == StatusWord.FILE_NOT_FOUND) {
                throw new RefusedException("this token has no clock of its own (no otptoken device applet: a YubiKey?)",
                        e);
            }
            throw e;
        }
    }

    /** The access keys {@code --remember} keeps (docs/otptoken-cli.md, "Remembered passwords"). */
    RememberedKeys rememberedKeys() {
        return RememberedKeys.of(root().env.environment(), err());
    }

    /**
     * The OATH session of {@code token}, unlocked if it is locked: with its remembered key, else
     * with a password from {@code option}'s source, whose key is then remembered with
     * {@code --remember}.
     */
    OathSession oath(Token token, PasswordOption option) throws IOException, ApduException, WrongPasswordException {
        return token.oath(passwords(option.stdin), rememberedKeys(), option.remember);
    }

    Passwords passwords(boolean fromStdin) {
        HostMain.Env env = root().env;
        return new Passwords(fromStdin, env.in(), env.console());
    }

    /** Accounts whose name contains {@code query} ignoring case; an exact match alone wins. */
    static List<Account> match(List<Account> accounts, String query) {
        if (query == null) {
            return accounts;
        }
        Account exact = Account.find(accounts, query);
        if (exact != null) {
            return List.of(exact);
        }
        String q = query.toLowerCase(Locale.ROOT);
        return accounts.stream().filter(a -> a.displayName().toLowerCase(Locale.ROOT).contains(q)).toList();
    }

    /**
     * Rows padded into columns two spaces apart, by the columns a terminal gives each cell (a
     * Japanese name takes two a character); every cell shown as {@link TerminalText#escape}
     * makes it safe.
     */
    static void table(PrintStream out, List<List<String>> raw) {
        if (raw.isEmpty()) {
            return;
        }
        List<List<String>> rows = raw.stream().map(r -> r.stream().map(TerminalText::escape).toList()).toList();
        int cols = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] width = new int[cols];
        int[][] cellColumns = new int[rows.size()][];
        for (int row = 0; row < rows.size(); row++) {
            List<String> r = rows.get(row);
            cellColumns[row] = new int[r.size()];
            for (int i = 0; i < r.size(); i++) {
                cellColumns[row][i] = TerminalText.columns(r.get(i));
                width[i] = Math.max(width[i], cellColumns[row][i]);
            }
        }
        for (int row = 0; row < rows.size(); row++) {
            List<String> r = rows.get(row);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                if (i > 0) {
                    sb.append("  ");
                }
                sb.append(r.get(i));
                if (i < r.size() - 1) {
                    sb.append(" ".repeat(width[i] - cellColumns[row][i]));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
