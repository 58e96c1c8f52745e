package dev.otptoken.host.cli;

import dev.otptoken.host.session.OathSession;
import dev.otptoken.host.session.PasswordRequiredException;
import dev.otptoken.host.session.PasswordSource;
import dev.otptoken.host.session.Selection;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.WrongPasswordException;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.oath.SecretBytes;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The YKOATH access code. The T=1 session start (RESYNCH) clears the unlock state, so every
 * command unlocks for itself; {@code unlock} only checks a password.
 */
@Command(name = "password", mixinStandardHelpOptions = true, description = "Set, clear or check the token password; forget a remembered access key.",
        footer = {"", "Examples:", "  otptoken password set                           asks on the terminal",
            "  otptoken password unlock --password-stdin < pw  checks the password in pw",
            "  otptoken password clear",
            "  otptoken password forget --all                  forgets every remembered key",
            "", "Exit status: 2 without a subcommand; each subcommand's --help says the rest."},
        subcommands = {PasswordCommand.Set.class, PasswordCommand.Clear.class, PasswordCommand.Unlock.class,
            PasswordCommand.Forget.class})
final class PasswordCommand extends TokenCommand {
    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: set, clear, unlock or forget");
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Set or change the password. With --password-stdin: the current password first"
                    + " (only when one is set), then the new one, one line each.",
            footer = {"", "Examples:", "  otptoken password set           asks on the terminal (the current one first)",
                "  otptoken password set --password-stdin < pws",
                "      pws: the current password (if one is set), then the new one",
                "", "Exit status: 0 set; 2 usage error (an empty password); 3 the remembered keys cannot be read or written; 4 no token; 5 the token refused;"
                        + " 6 the current password required or wrong, or no new one could be asked for."})
    static final class Set extends TokenCommand {
        @Mixin
        PasswordOption password;

        @Override
        public Integer call() throws IOException, UsageException, ApduException, WrongPasswordException, BadInputException {
            Passwords source = passwords(password.stdin);
            RememberedKeys keys = rememberedKeys();
            boolean remembered;
            // From standard input both lines are read before the current one is tried: a missing
            // or empty new line must stop the command before the token counts a guess.
            char[][] early = new char[1][];
            PasswordSource current = !password.stdin ? source : prompt -> {
                char[] given = source.read(prompt);
                try {
                    early[0] = source.read("new password: ");
                } catch (IOException | RuntimeException e) {
                    SecretBytes.wipe(given);
                    throw e;
                }
                return given;
            };
            try (Token token = openToken()) {
                // the current password's key is not remembered here: the new one's is, below
                OathSession oath;
                try {
                    oath = token.oath(current, keys, false);
                } catch (IOException | ApduException | WrongPasswordException | RuntimeException e) {
                    SecretBytes.wipe(early[0]);
                    throw e;
                }
                char[] fresh = early[0] != null ? early[0] : source.readNew("new password: ");
                if (fresh == null) {
                    throw new PasswordRequiredException();
                }
                byte[] key = null;
                try {
                    // never empty: Passwords refuses an empty one as a usage error ('password clear' removes it)
                    key = oath.accessKey(fresh);
                    oath.setAccessKey(key);
                    String id = oath.deviceId();
                    // a key remembered for the old password would now be refused: replace it
                    remembered = password.remember || keys.forget(id);
                    if (remembered) {
                        keys.remember(id, key);
                    }
                } finally {
                    SecretBytes.wipe(fresh);
                    SecretBytes.wipe(key);
                }
            }
            err().println("otptoken: password set" + (remembered ? " (and remembered)" : ""));
            return ExitStatus.OK;
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true, description = "Remove the password (asks for it).",
            footer = {"", "Examples:", "  otptoken password clear", "  otptoken password clear --password-stdin < pw",
                "", "Exit status: 0 cleared (or there was none); 2 usage error (an empty password); 3 the remembered keys cannot be read or written; 4 no token; 5 the token refused;"
                        + " 6 password required or wrong."})
    static final class Clear extends TokenCommand {
        @Mixin
        PasswordOption password;

        @Override
        public Integer call() throws IOException, UsageException, ApduException, WrongPasswordException {
            RememberedKeys keys = rememberedKeys();
            boolean forgotten;
            try (Token token = openToken()) {
                OathSession probe = token.oathSelected();
                if (!probe.select().locked()) {
                    // nothing to clear on the token: no password is asked for; a key remembered from
                    // before its password was removed elsewhere goes, as clear always forgets it
                    boolean stale = keys.forget(probe.deviceId());
                    err().println("otptoken: the token has no password; nothing was changed on it"
                            + (stale ? " (its remembered key is forgotten)" : ""));
                    return ExitStatus.OK;
                }
                OathSession oath = token.oath(passwords(password.stdin), keys, false);
                oath.clearPassword();
                forgotten = keys.forget(oath.deviceId());
            }
            err().println("otptoken: password cleared" + (forgotten ? " (and its remembered key forgotten)" : ""));
            return ExitStatus.OK;
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true,
            description = "Check a password: exit 0 when it unlocks the token, 6 when wrong.",
            footer = {"", "Examples:", "  otptoken password unlock", "  otptoken password unlock --password-stdin < pw",
                "", "Exit status: 0 the password unlocks the token (or it has none); 2 usage error (an empty"
                        + " password); 3 the remembered keys cannot be read or written; 4 no token; 5 the token refused; 6 password wrong, or none"
                        + " could be asked for."})
    static final class Unlock extends TokenCommand {
        @Mixin
        PasswordOption password;

        @Override
        public Integer call() throws IOException, UsageException, ApduException, WrongPasswordException {
            try (Token token = openToken()) {
                OathSession probe = token.oathSelected();
                Selection s = probe.select();
                if (!s.locked()) {
                    err().println("otptoken: the token has no password");
                    return ExitStatus.OK;
                }
                token.oath(passwords(password.stdin), rememberedKeys(), password.remember);
            }
            err().println("otptoken: password accepted" + (password.remember ? " (and remembered)" : ""));
            return ExitStatus.OK;
        }
    }

    @Command(name = "forget", mixinStandardHelpOptions = true,
            description = "Forget the remembered key (--remember) of the token, or with --all of every token."
                    + " The token's password stays as it is.",
            footer = {"", "Examples:", "  otptoken password forget", "  otptoken password forget --all",
                "", "Exit status: 0 forgotten (or nothing was remembered); 2 usage; 3 the remembered keys cannot be read or written;"
                        + " 4 no token (without --all)."})
    static final class Forget extends TokenCommand {
        @Option(names = "--all", description = "forget the keys of every token (the token is not opened)")
        boolean all;

        @Override
        public Integer call() throws IOException, UsageException, ApduException {
            RememberedKeys keys = rememberedKeys();
            if (all) {
                int n = keys.forgetAll();
                err().println(n < 0 ? "otptoken: deleted the file of remembered keys (it was damaged)"
                        : "otptoken: forgot the remembered keys of " + n + (n == 1 ? " token" : " tokens"));
                return ExitStatus.OK;
            }
            String id;
            try (Token token = openToken()) {
                OathSession oath = token.oathSelected();
                oath.select();
                id = oath.deviceId();
            }
            err().println(keys.forget(id) ? "otptoken: the token's remembered key is forgotten"
                    : "otptoken: no key was remembered for the token");
            return ExitStatus.OK;
        }
    }
}
