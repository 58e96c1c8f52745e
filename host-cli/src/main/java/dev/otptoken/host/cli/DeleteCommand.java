package dev.otptoken.host.cli;

import dev.otptoken.host.session.Account;
import dev.otptoken.host.session.OathSession;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.WrongPasswordException;
import dev.otptoken.host.text.TerminalText;
import dev.otptoken.protocol.apdu.ApduException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete one account (its exact name).")
final class DeleteCommand extends TokenCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Mixin
    PasswordOption password;

    @Override
    public Integer call() throws IOException, UsageException, ApduException, WrongPasswordException {
        try (Token token = openToken()) {
            OathSession oath = token.oath(passwords(password.stdin));
            Account a = Account.find(oath.list(now()), name);
            // An unknown name goes to the token as typed: it answers 6984, named in the message.
            oath.delete(a != null ? a.id() : name.getBytes(StandardCharsets.UTF_8));
        }
        err().println("otptoken: deleted " + TerminalText.escape(name));
        return ExitStatus.OK;
    }
}
