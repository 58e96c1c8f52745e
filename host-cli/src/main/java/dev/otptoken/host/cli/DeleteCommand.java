package dev.otptoken.host.cli;

import dev.otptoken.host.session.Account;
import dev.otptoken.host.session.OathSession;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.WrongPasswordException;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.StatusWord;
import dev.otptoken.protocol.text.TerminalText;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete one account (its exact name).",
        footer = {"", "Example:", "  otptoken delete Example:alice",
                "", "Exit status: 0 deleted; 2 usage error; 3 no account of that name, or the remembered keys cannot be read or written; 4 no token; 5 the token refused; 6 password."})
final class DeleteCommand extends TokenCommand {
    @Parameters(paramLabel = "NAME", description = "the name as 'otptoken list' shows it")
    String name;

    @Mixin
    PasswordOption password;

    @Override
    public Integer call() throws IOException, UsageException, ApduException, WrongPasswordException, BadInputException {
        try (Token token = openToken()) {
            OathSession oath = oath(token, password);
            Account a = Account.find(oath.list(now()), name);
            if (a == null) {
                throw noSuchAccount(name);
            }
            try {
                oath.delete(a.id());
            } catch (ApduException e) {
                // deleted by another client between LIST and DELETE: the same meaning, the same words
                if (e.statusWord() == StatusWord.REFERENCE_DATA_NOT_USABLE) {
                    throw noSuchAccount(name);
                }
                throw e;
            }
        }
        err().println("otptoken: deleted " + TerminalText.escape(name));
        return ExitStatus.OK;
    }

    /** The one message for a name the token does not hold (delete and rename). */
    static BadInputException noSuchAccount(String name) {
        return new BadInputException("no account named '" + name + "' (see otptoken list)");
    }
}
