package dev.otptoken.host.cli;

import dev.otptoken.host.session.Account;
import dev.otptoken.host.session.Code;
import dev.otptoken.host.session.OathSession;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.WrongPasswordException;
import dev.otptoken.host.text.TerminalText;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.Totp;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "code", mixinStandardHelpOptions = true,
        description = "One line per matching account: NAME  CODE. TOTP uses the host's time unless --token-clock;"
                + " HOTP advances the counter.")
final class CodeCommand extends TokenCommand {
    @Parameters(arity = "0..1", paramLabel = "QUERY", description = "part of an account name (case ignored)")
    String query;

    @Option(names = "--token-clock", description = "let the token use its own clock for TOTP")
    boolean tokenClock;

    @Mixin
    PasswordOption password;

    @Override
    public Integer call() throws IOException, UsageException, ApduException, WrongPasswordException, BadInputException {
        List<Map<String, Object>> json = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        try (Token token = openToken()) {
            OathSession oath = token.oath(passwords(password.stdin));
            List<Account> matching = match(oath.list(now()), query);
            if (matching.isEmpty() && query != null) {
                throw new BadInputException("no account matches '" + query + "'");
            }
            for (Account a : matching) {
                if (a.touch().orElse(false)) {
                    err().println("otptoken: touch the token to get the code for " + TerminalText.escape(a.displayName()) + " ...");
                }
                Instant at = now();
                Code code = tokenClock && a.type() == OathType.TOTP ? oath.codeFromTokenClock(a.id()) : oath.calculate(a, at);
                rows.add(List.of(a.displayName(), code.value()));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", a.displayName());
                m.put("type", a.type().name());
                m.put("code", code.value());
                if (a.type() == OathType.TOTP && !tokenClock) {
                    long step = Totp.timeStep(at, a.period());
                    m.put("valid_from", Totp.stepStart(step, a.period()).toString());
                    m.put("valid_until", Totp.stepStart(step + 1, a.period()).toString());
                }
                json.add(m);
            }
        }
        if (json()) {
            out().println(Json.write(Map.of("codes", json)));
        } else {
            table(out(), rows);
        }
        return ExitStatus.OK;
    }
}
