package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.otpauth.InvalidUriException;
import dev.otptoken.host.provision.ProvisionInputException;
import dev.otptoken.host.qr.QrException;
import dev.otptoken.host.session.PasswordRequiredException;
import dev.otptoken.host.session.WrongPasswordException;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.oath.InvalidNameException;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class FailuresTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(new CommandLine.ParameterException(new CommandLine(new HostMain(null)), "bad"), 2),
                Arguments.of(new UsageException("use --force"), 2),
                Arguments.of(new BadInputException("no such account"), 3),
                Arguments.of(new ProvisionInputException("/dev/pts/4 already holds Example:alice"), 3),
                Arguments.of(new InvalidUriException("not an otpauth URI"), 3),
                Arguments.of(new QrException("no QR code in x.png"), 3),
                Arguments.of(new InvalidNameException("too long"), 3),
                Arguments.of(dev.otptoken.host.files.HostFileException.reading(java.nio.file.Path.of("/d/x"),
                        new java.nio.file.AccessDeniedException("/d/x")), 3),
                Arguments.of(noHome(), 3),
                Arguments.of(new IOException("no token at /dev/pts/9: port not found"), 4),
                Arguments.of(new ApduException(0x6A84), 5),
                Arguments.of(new PasswordRequiredException(), 6),
                Arguments.of(new WrongPasswordException("wrong password"), 6),
                Arguments.of(new IllegalStateException("bug"), ExitStatus.INTERNAL));
    }

    /** What a user missing from the password database gets (user.home "?") for a file under ~/.local/state. */
    private static dev.otptoken.xdg.NoHomeDirectoryException noHome() {
        try {
            dev.otptoken.xdg.XdgBaseDirectory.STATE.in(java.util.Map.of(), "?");
        } catch (dev.otptoken.xdg.NoHomeDirectoryException e) {
            return e;
        }
        throw new AssertionError("a home directory of '?'");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void eachExceptionClassHasItsStatusAndOneLine(Exception e, int status) {
        assertThat(Failures.exitStatus(e)).isEqualTo(status);
        assertThat(Failures.message(e)).startsWith("otptoken: ").doesNotContain("\n");
    }

    @org.junit.jupiter.api.Test
    void refusalsNameTheStatusWord() {
        assertThat(Failures.message(new ApduException(0x6A84))).contains("6A84 (not enough memory)");
    }

    @org.junit.jupiter.api.Test
    void aMemoryFailureSaysSoInWords() {
        assertThat(Failures.exitStatus(new ApduException(0x6581))).isEqualTo(ExitStatus.TOKEN_REFUSED);
        assertThat(Failures.message(new ApduException(0x6581)))
                .isEqualTo("otptoken: the token's memory failed to write (6581): its last change was undone");
    }

    @org.junit.jupiter.api.Test
    void multiLineMessagesAreFolded() {
        assertThat(Failures.message(new IOException("a\nb"))).isEqualTo("otptoken: a b");
    }
}
