package dev.otptoken.host.cli;

import dev.otptoken.host.session.Account;
import dev.otptoken.host.session.OathSession;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.WrongPasswordException;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.StatusWord;
import dev.otptoken.protocol.oath.AccountName;
import dev.otptoken.protocol.oath.InvalidNameException;
import dev.otptoken.protocol.text.TerminalText;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "rename", mixinStandardHelpOptions = true,
        description = "Rename an account: NEW is [ISSUER:]ACCOUNT; type and period stay. A name another account"
                + " has is refused.",
        footer = {"", "Example:", "  otptoken rename Example:alice Example:alice@work",
                "", "Exit status: 0 renamed; 2 usage error; 3 no account OLD, NEW taken or not a valid name, or the"
                        + " remembered keys cannot be read or written; 4 no token;"
                        + " 5 the token refused; 6 password."})
final class RenameCommand extends TokenCommand {
    @Parameters(index = "0", paramLabel = "OLD", description = "the name as 'otptoken list' shows it")
    String oldName;

    @Parameters(index = "1", paramLabel = "NEW", description = "[ISSUER:]ACCOUNT")
    String newName;

    @Mixin
    PasswordOption password;

    @Override
    public Integer call() throws IOException, UsageException, ApduException, WrongPasswordException, BadInputException,
            InvalidNameException {
        Optional<String> control = TerminalText.firstActing(newName);
        if (control.isPresent()) {
            throw new BadInputException("new name " + TerminalText.escape(newName) + " contains the control character "
                    + control.get());
        }
        try (Token token = openToken()) {
            OathSession oath = oath(token, password);
            List<Account> accounts = oath.list(now());
            Account a = Account.find(accounts, oldName);
            if (a == null) {
                throw DeleteCommand.noSuchAccount(oldName);
            }
            int colon = newName.indexOf(':');
            String issuer = colon < 0 ? null : newName.substring(0, colon);
            String account = colon < 0 ? newName : newName.substring(colon + 1);
            AccountName renamed = AccountName.of(a.type(), a.name().period(), issuer, account);
            byte[] newId = renamed.encode(a.type());
            if (Arrays.equals(a.id(), newId)) {
                // its own name already: nothing to write, and not a clash with another account
                err().println("otptoken: " + TerminalText.escape(a.displayName()) + " already has that name; nothing"
                        + " was changed");
                return ExitStatus.OK;
            }
            // The token's names are unique (it refuses with 6A80); say it in words, before asking.
            if (accounts.stream().anyMatch(other -> other != a && (Arrays.equals(other.id(), newId)
                    || other.displayName().equals(renamed.display())))) {
                throw taken(renamed);
            }
            try {
                oath.rename(a.id(), newId);
            } catch (ApduException e) {
                if (e.statusWord() == StatusWord.REFERENCE_DATA_NOT_USABLE) {
                    throw DeleteCommand.noSuchAccount(oldName);
                }
                throw e;
            }
        }
        err().println("otptoken: renamed " + TerminalText.escape(oldName) + " to " + TerminalText.escape(newName));
        return ExitStatus.OK;
    }

    private static BadInputException taken(AccountName name) {
        return new BadInputException("an account named '" + name.display() + "' already exists: rename or delete it"
                + " first");
    }
}
