package dev.otptoken.host.cli;

import dev.otptoken.host.files.HostFileException;
import dev.otptoken.host.imports.ImportException;
import dev.otptoken.host.otpauth.InvalidUriException;
import dev.otptoken.host.provision.ProvisionInputException;
import dev.otptoken.host.qr.QrException;
import dev.otptoken.host.session.PasswordRequiredException;
import dev.otptoken.host.session.WrongPasswordException;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.StatusWord;
import dev.otptoken.protocol.oath.InvalidNameException;
import dev.otptoken.protocol.text.TerminalText;
import dev.otptoken.xdg.NoHomeDirectoryException;
import java.io.IOException;
import picocli.CommandLine;

/** The only place exceptions become exit statuses and one-line messages. */
final class Failures {
    private Failures() {
    }

    static int exitStatus(Throwable e) {
        if (e instanceof CommandLine.ParameterException || e instanceof UsageException
                || e instanceof UnusablePasswordException) {
            return ExitStatus.USAGE;
        }
        if (e instanceof PasswordRequiredException || e instanceof WrongPasswordException) {
            return ExitStatus.PASSWORD;
        }
        if (e instanceof BadInputException || e instanceof ProvisionInputException || e instanceof InvalidUriException
                || e instanceof HostFileException || e instanceof NoHomeDirectoryException || e instanceof ImportException
                || e instanceof QrException || e instanceof InvalidNameException) {
            return ExitStatus.BAD_INPUT;
        }
        if (e instanceof ApduException || e instanceof RefusedException) {
            return ExitStatus.TOKEN_REFUSED;
        }
        if (e instanceof IOException) {
            return ExitStatus.NO_TOKEN;
        }
        return ExitStatus.INTERNAL;
    }

    /** One line, no secret: exception messages in this project never carry secret bytes. */
    static String message(Throwable e) {
        return "otptoken: " + reason(e);
    }

    /**
     * A usage error as one line: an unknown command or option with the names close to it
     * ({@code unknown command 'cod' (did you mean 'code'?)}), else picocli's own words.
     */
    static String usageMessage(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            String reason = Suggestions.unmatched(u);
            if (reason != null) {
                return "otptoken: " + TerminalText.escape(reason.replaceAll("[\\r\\n]+", " "));
            }
        }
        return message(e);
    }

    /** {@link #message} without the program's name: what went wrong, for a summary line. */
    static String reason(Throwable e) {
        String text;
        if (e instanceof PasswordRequiredException) {
            text = "password required: the token is locked (give --password-stdin, or run on a terminal to be asked)";
        } else if (e instanceof ApduException a && a.statusWord() == StatusWord.MEMORY_FAILURE) {
            // not a refusal of what was asked: the token could not keep it, and undid it
            text = "the token's memory failed to write (6581): its last change was undone";
        } else if (e instanceof ApduException a) {
            text = "the token refused: " + StatusWord.describe(a.statusWord());
        } else if (exitStatus(e) == ExitStatus.INTERNAL) {
            text = "internal error: " + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } else {
            text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return TerminalText.escape(text.replaceAll("[\\r\\n]+", " "));
    }
}
