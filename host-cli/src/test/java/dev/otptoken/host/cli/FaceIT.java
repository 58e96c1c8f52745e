package dev.otptoken.host.cli;

import static dev.otptoken.host.cli.Launchers.oathtool;
import static dev.otptoken.host.cli.Launchers.otptoken;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.cli.Processes.Result;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The simulator's face as a user sees it: {@code bin/otptoken-sim} on a real terminal (util-linux
 * {@code script} gives it one), with {@code TERM=dumb}. The port a host needs and the selected
 * account's name are on the face itself, not only in a line that scrolls away, and a dumb
 * terminal gets no escape sequence at all.
 */
class FaceIT {
    private static final String B32 = "JBSWY3DPEHPK3PXP";
    private static final Pattern PORT = Pattern.compile("port (/dev/pts/\\d+)");
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Everything the terminal received, as text. */
    private static final class Screen {
        private final StringBuilder text = new StringBuilder();

        Screen(InputStream in) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[4096];
                try {
                    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                        synchronized (text) {
                            text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                            text.notifyAll();
                        }
                    }
                } catch (IOException closed) {
                    // the terminal closed
                }
            }, "face-reader");
            t.setDaemon(true);
            t.start();
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }

        /** Waits until {@code p} matches what arrived after {@code from}; the match. */
        Matcher await(Pattern p, int from) throws InterruptedException {
            long end = System.nanoTime() + WAIT.toNanos();
            synchronized (text) {
                while (true) {
                    Matcher m = p.matcher(text);
                    if (m.find(from)) {
                        return m;
                    }
                    long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                    assertThat(left).as("waited for %s on the face; it showed:%n%s", p, text).isPositive();
                    text.wait(left);
                }
            }
        }
    }

    @Test
    void aDumbTerminalShowsThePortAndTheAccountWithoutEscapeSequences() throws Exception {
        Processes.requireTool("script");
        ProcessBuilder pb = new ProcessBuilder("script", "-qfec", Launchers.sim() + " --pty", "/dev/null")
                .redirectErrorStream(true);
        pb.environment().put("TERM", "dumb");
        pb.environment().remove("NO_COLOR");
        Process face = pb.start();
        try {
            Screen screen = new Screen(face.getInputStream());
            String port = screen.await(PORT, 0).group(1);
            Result p = otptoken(Map.of(HostMain.PORT_VARIABLE, port), null, "provision", "--uri",
                    "otpauth://totp/Example:alice?secret=" + B32 + "&issuer=Example");
            assertThat(p.status()).as(p.err()).isZero();

            int before = screen.text().length();
            OutputStream keys = face.getOutputStream();
            keys.write(' ');
            keys.flush();
            long step = Instant.now().getEpochSecond() / 30;
            Matcher header = screen.await(Pattern.compile("account 1/1  Example:alice  port " + Pattern.quote(port)),
                    before);
            String code = screen.await(Pattern.compile("\\n {2}(\\d{6})  \\["), header.end()).group(1);
            List<String> expected = List.of(totp(step), totp(step + 1));
            assertThat(expected).as("the face's code is the account's, by oathtool").contains(code);
            assertThat(screen.text()).as("TERM=dumb: never an escape sequence").doesNotContain("\u001b");

            keys.write('q');
            keys.flush();
            assertThat(face.waitFor(20, TimeUnit.SECONDS)).as("q quits").isTrue();
        } finally {
            face.destroyForcibly();
        }
    }

    private static String totp(long step) throws Exception {
        return oathtool("--totp", "--now", "@" + step * 30, "-b", B32);
    }
}
