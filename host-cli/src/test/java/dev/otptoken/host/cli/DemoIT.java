package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.cli.Processes.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/otptoken demo}, as the README's first command: three equal codes, a clean exit, nothing left. */
class DemoIT {
    private static final Pattern HOST = Pattern.compile("(?m)^ +host +(\\d{6}) ");
    private static final Pattern TOKEN = Pattern.compile("(?m)^ +token +(\\d{6}) ");
    private static final Pattern DISPLAY = Pattern.compile("(?m)display shows (\\d{6}) \\(valid for (\\d+) s more\\)");
    /** Anything that could be the demo's random secret: a 20-byte key in Base32 or hex, or the URI. */
    private static final Pattern SECRET_LIKE = Pattern.compile("[A-Z2-7]{32}|[0-9a-fA-F]{40}|secret=|otpauth://");

    @TempDir
    Path tmp;

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as(p + " in:\n" + text).isTrue();
        return m.group(1);
    }

    private Result demo(String... extra) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Launchers.host().toString()));
        cmd.addAll(List.of(extra));
        cmd.add("demo");
        // its own temporary directory, to see that the demo removes what it made
        return Processes.run(cmd, Map.of("OTPTOKEN_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp), null);
    }

    @Test
    void demoShowsThreeEqualCodesAndCleansUp() throws Exception {
        Result r = demo();
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        String out = r.out();
        String host = group(HOST, out);
        assertThat(group(TOKEN, out)).isEqualTo(host);
        assertThat(group(DISPLAY, out)).isEqualTo(host);
        assertThat(Integer.parseInt(DISPLAY.matcher(out).results().findFirst().orElseThrow().group(2)))
                .isBetween(1, 30);
        assertThat(out).containsIgnoringCase("token and host agree")
                .containsPattern("serial port /dev/pts/\\d+")
                .contains("1 of 1 accounts in and proven (otptoken-demo:newcomer@example.com)")
                .contains("secret ******** (20 bytes)");
        assertThat(out).doesNotContainPattern(SECRET_LIKE);
        assertThat(r.err()).doesNotContainPattern(SECRET_LIKE);
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("otptoken-demo")).toList())
                    .as("temporary files left behind").isEmpty();
        }
    }

    /** Ctrl-C in the middle: the temporary directory (the image holds the secret) goes too. */
    @Test
    void anInterruptedDemoLeavesNothingBehind() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Launchers.host().toString(), "demo").redirectErrorStream(true);
        pb.environment().put("OTPTOKEN_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
        Process p = pb.start();
        try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("1. Started a simulated token")) {
                // the demo's directory exists from before this line on
            }
            assertThat(line).as("the demo's first step").isNotNull();
            try (Stream<Path> made = Files.list(tmp)) {
                assertThat(made.map(f -> f.getFileName().toString())).anyMatch(n -> n.startsWith("otptoken-demo-"));
            }
            // the launcher execs java: its pid is the JVM's
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor()).isZero();
            out.transferTo(java.io.Writer.nullWriter());
        }
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("otptoken-demo-"));
        }
    }

    @Test
    void atMaximumVerbosityTheDemoTracesButShowsNoSecret() throws Exception {
        Result r = demo("-vv");
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(r.err()).contains("redacted");
        assertThat(r.out() + r.err()).doesNotContainPattern(SECRET_LIKE);
    }

    @Test
    void withoutASimulatorTheDemoSaysSoWithExit4() throws Exception {
        Path jar = Launchers.root().resolve("host-cli/target/otptoken.jar");
        Result r = Processes.run(List.of(Processes.java(), "-Dotptoken.home=" + tmp, "-jar", jar.toString(), "demo"),
                Map.of(), null);
        assertThat(r.status()).isEqualTo(ExitStatus.NO_TOKEN);
        assertThat(r.errLines()).singleElement().asString().startsWith("otptoken: no simulated token");
        assertThat(r.out()).doesNotContain("Started");
    }
}
