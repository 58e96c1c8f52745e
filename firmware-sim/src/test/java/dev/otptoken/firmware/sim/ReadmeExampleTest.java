package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.firmware.sim.junit.OtpTokenExtension;
import dev.otptoken.firmware.sim.junit.TokenOptions;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

// The listing of README.md, "The token as a library": the text between the markers is the
// README's code block (ReadmeListingTest checks that), compiled and run here.
// README:begin
@ExtendWith(OtpTokenExtension.class)
class ReadmeExampleTest {
    @Test
    void aTokenPerTest(@TokenOptions(model = "otptoken", driftPpm = 20) OtpToken token) throws Exception {
        Path pty = token.ptyPath();           // /dev/pts/N: a T=1 host talks to the token here
        assertThat(pty).exists();
        token.press();                        // the button
        assertThat(token.displayText()).isEqualTo("off");   // no account yet; "123456 27s" when on
        token.setClock(Instant.parse("2030-01-01T00:00:00Z"));
        token.setTemperature(-10);            // the crystal runs slower in the cold
        token.cutPower();                     // the memory keeps what the last command left
        token.restart();                      // from its state file, on a new pseudo-terminal
        assertThat(token.clock()).isAfter(Instant.parse("2030-01-01T00:00:00Z"));
    }                                         // then the extension stops it, deletes its files
}
// README:end
