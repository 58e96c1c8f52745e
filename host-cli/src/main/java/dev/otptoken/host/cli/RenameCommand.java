package dev.otptoken.host.cli;

import dev.otptoken.host.session.Account;
import dev.otptoken.host.session.OathSession;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.WrongPasswordException;
import dev.otptoken.host.text.TerminalText;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.oath.AccountName;
import dev.otptoken.protocol.oath.InvalidNameException;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "rename", mixinStandardHelpOptions = true,
        description = "Rename an account: NEW is [ISSUER:]ACCOUNT; type and period stay.")
final class RenameCommand extends TokenCommand {
    @Parameters(index = "0", paramLabel = "OLD")
    String oldName;

    @Parameters(index = "1", paramLabel = "NEW")
    String newName;

    @Mixin
    PasswordOption password;

    @Override
    public Integer call() throws IOException, UsageException, ApduException, WrongPasswordException, BadInputException,
            InvalidNameException {
        java.util.Optional<String> control = TerminalText.firstActing(newName);
        if (control.isPresent()) {
            throw new BadInputException("new name " + TerminalText.escape(newName) + " contains the control character "
                    + control.get());
        }
        try (Token token = openToken()) {
            OathSession oath = token.oath(passwords(password.stdin));
            Account a = Account.find(oath.list(now()), oldName);
            if (a == null) {
                throw new BadInputException("no account named '" + oldName + "'");
            }
            int colon = newName.indexOf(':');
            String issuer = colon < 0 ? null : newName.substring(0, colon);
            String account = colon < 0 ? newName : newName.substring(colon + 1);
            AccountName renamed = AccountName.of(a.type(), a.name().period(), issuer, account);
            oath.rename(a.id(), renamed.encode(a.type()));
        }
        err().println("otptoken: renamed " + TerminalText.escape(oldName) + " to " + TerminalText.escape(newName));
        return ExitStatus.OK;
    }
}
