package dev.otptoken.host.cli;

import dev.otptoken.host.session.Account;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.WrongPasswordException;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.oath.OathType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "One line per account: NAME  TYPE  ALGORITHM  DIGITS  PERIOD, plus touch where set.",
        footer = {"", "Examples:", "  otptoken list", "  otptoken list --json     one JSON document",
            "", "Exit status: 0 listed (no accounts too); 2 usage error; 3 the remembered keys cannot be read or written; 4 no token; 5 the token refused;"
                    + " 6 password required or wrong."})
final class ListCommand extends TokenCommand implements JsonOutput {
    @Mixin
    PasswordOption password;

    @Override
    public Integer call() throws IOException, UsageException, ApduException, WrongPasswordException {
        List<Account> accounts;
        try (Token token = openToken()) {
            accounts = oath(token, password).list(now());
        }
        if (json()) {
            List<Object> list = new ArrayList<>();
            for (Account a : accounts) {
                list.add(toJson(a));
            }
            out().println(Json.write(Map.of("accounts", list)));
            return ExitStatus.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Account a : accounts) {
            List<String> row = new ArrayList<>(List.of(a.displayName(), a.type().name(), a.algorithm().name(),
                    a.digits().isPresent() ? Integer.toString(a.digits().getAsInt()) : "?",
                    a.type() == OathType.TOTP ? Integer.toString(a.period()) : "-"));
            if (a.touch().orElse(false)) {
                row.add("touch");
            }
            rows.add(row);
        }
        table(out(), rows);
        return ExitStatus.OK;
    }

    static Map<String, Object> toJson(Account a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.displayName());
        m.put("issuer", a.name().issuer());
        m.put("account", a.name().account());
        m.put("type", a.type().name());
        m.put("algorithm", a.algorithm().name());
        m.put("digits", a.digits().isPresent() ? a.digits().getAsInt() : null);
        m.put("period", a.type() == OathType.TOTP ? a.period() : null);
        m.put("touch", a.touch().orElse(null));
        return m;
    }
}
