package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.session.Token;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Totp;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code otptoken drift} against a simulated token whose clock runs 500 000 times faster than
 * real time, so two months pass in a few seconds. Codes come off the token's display
 * (headless {@code press}), the token's step is located with the RTC reading of the next
 * {@code status} line, and the true time of the observation follows from the simulator's
 * documented clock model (RTC = start + (1 + drift)·(true − start) at 25 °C, no aging, trim 0):
 * the observation is "at the true time when the token's clock was in the middle of that
 * step", which is exact whatever the latency between the press and the status line.
 */
class DriftCommandIT {
    private static final String B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final String URI = "otpauth://totp/Example:alice?secret=" + B32 + "&issuer=Example&digits=8";
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final double DRIFT_PPM = 60.0;
    private static final double TIME_SCALE = 500_000;
    private static final int PERIOD = 30;
    private static final int OBSERVATIONS = 25;
    /** Steps searched below the RTC reading of the status line (press-to-status latency × K). */
    private static final int LOCATE_STEPS = 20_000;
    private static final Pattern DISPLAY = Pattern.compile("display: (\\d{8}) \\d+s");
    private static final Pattern RTC = Pattern.compile("rtc=(\\S+)");

    @TempDir
    Path dir;

    /** A headless token whose output lines this test reads (Processes.Sim keeps only touch lines). */
    private static final class FastSim implements AutoCloseable {
        final Process process;
        final String port;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        FastSim() throws IOException {
            List<String> cmd = List.of(Processes.java(), "-cp", Processes.classPath(),
                    "dev.otptoken.firmware.sim.SimMain", "--pty", "--headless", "--drift-ppm", Double.toString(DRIFT_PPM),
                    "--time-scale", Double.toString(TIME_SCALE), "--start-time", START.toString());
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = r.readLine();
            assertThat(first).as("simulator's first line").isNotNull().startsWith("attached: ");
            port = first.substring("attached: ".length()).trim();
            Thread t = new Thread(() -> {
                try {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                    }
                } catch (IOException closed) {
                    // the simulator stopped
                }
            }, "fast-sim-stdout");
            t.setDaemon(true);
            t.start();
        }

        void send(String command) throws IOException {
            process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            process.getOutputStream().flush();
        }

        String next(Pattern p) throws InterruptedException {
            for (int i = 0; i < 10_000; i++) {
                String l = lines.poll(10, TimeUnit.SECONDS);
                assertThat(l).as("a line matching %s", p).isNotNull();
                if (p.matcher(l).find()) {
                    return l;
                }
            }
            throw new AssertionError("no line matching " + p);
        }

        @Override
        public void close() throws Exception {
            try {
                send("quit");
            } catch (IOException gone) {
                // already stopped
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** One code off the display and the true time at the middle of the step it belongs to. */
    private record Seen(String code, Instant at, long tokenStep) {
    }

    private static Seen press(FastSim sim) throws Exception {
        sim.lines.clear();
        sim.send("press");
        Matcher d = DISPLAY.matcher(sim.next(DISPLAY));
        assertThat(d.find()).isTrue();
        String code = d.group(1);
        sim.send("status");
        Matcher r = RTC.matcher(sim.next(Pattern.compile("^status: ")));
        assertThat(r.find()).isTrue();
        long rtcStep = Math.floorDiv(Instant.parse(r.group(1)).getEpochSecond(), PERIOD);
        for (long s = rtcStep; s > rtcStep - LOCATE_STEPS; s--) {
            if (Totp.code(HashAlgorithm.SHA1, KEY, Instant.ofEpochSecond(s * PERIOD), PERIOD, 8).equals(code)) {
                double tokenMid = s * PERIOD + PERIOD / 2.0;
                double start = START.getEpochSecond();
                double trueSeconds = start + (tokenMid - start) / (1 + DRIFT_PPM * 1e-6);
                long ms = Math.round(trueSeconds * 1000);
                return new Seen(code, Instant.ofEpochMilli(ms), s);
            }
        }
        throw new AssertionError("the displayed code " + code + " is in none of the " + LOCATE_STEPS
                + " steps before the RTC reading");
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int drift(Path file, String... args) {
        out.reset();
        err.reset();
        HostMain.Env env = new HostMain.Env(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
                InstantSource.system(), Map.of(DriftCommand.FILE_VARIABLE, file.toString()), false,
                Token.Opener.system());
        return HostMain.run(args, env);
    }

    @Test
    void monthsOfDisplayedCodesGiveTheRateAndPredictTheNextStep() throws Exception {
        Path file = dir.resolve("alice.drift");
        List<Seen> seen = new ArrayList<>();
        Seen check;
        try (FastSim sim = new FastSim()) {
            Processes.Result p = Processes.host(Map.of(HostMain.PORT_VARIABLE, sim.port), null, "provision", "--uri", URI);
            assertThat(p.status()).as(p.err()).isZero();
            for (int i = 0; i < OBSERVATIONS; i++) {
                seen.add(press(sim));
                Thread.sleep(250);
            }
            Thread.sleep(2_000); // about twelve more days
            check = press(sim);
        }
        double days = (seen.get(seen.size() - 1).at().toEpochMilli() - seen.get(0).at().toEpochMilli()) / 86_400_000.0;
        assertThat(days).as("simulated span").isGreaterThan(30);

        assertThat(drift(file, "drift", "init", "--uri", URI)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        for (Seen s : seen) {
            int status = drift(file, "drift", "observe", "--code", s.code(), "--at", s.at().toString(), "--window", "200");
            assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
            long own = Math.floorDiv(s.at().getEpochSecond(), PERIOD);
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .startsWith(String.format(java.util.Locale.ROOT, "observed: step offset %+d at", s.tokenStep() - own));
        }
        assertThat(drift(file, "--json", "drift", "show")).isZero();
        String show = out.toString(StandardCharsets.UTF_8);
        double low = CalibrateCommandIT.number(show, "rate_low_ppm", 0);
        double high = CalibrateCommandIT.number(show, "rate_high_ppm", 0);
        double rate = CalibrateCommandIT.number(show, "rate_ppm", 0);
        assertThat(DRIFT_PPM).as(show).isBetween(low, high);
        assertThat(Math.abs(rate - DRIFT_PPM)).as(show).isLessThan(5);
        assertThat(show).doesNotContain(B32);

        // the next code, days later, sits where the prediction says
        assertThat(drift(file, "--json", "drift", "predict", "--at", check.at().toString())).isZero();
        String predict = out.toString(StandardCharsets.UTF_8);
        long actual = check.tokenStep() - Math.floorDiv(check.at().getEpochSecond(), PERIOD);
        long predicted = (long) CalibrateCommandIT.number(predict, "step_offset", 0);
        assertThat(Math.abs(predicted - actual)).as(predict).isLessThanOrEqualTo(1);
        assertThat(actual).isBetween((long) CalibrateCommandIT.number(predict, "step_offset_low", 0),
                (long) CalibrateCommandIT.number(predict, "step_offset_high", 0));
        // and a server window of ±1 around the prediction finds it, where ±1 around zero would not
        assertThat(drift(file, "drift", "observe", "--code", check.code(), "--at", check.at().toString(),
                "--window", "1")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(Math.abs(actual)).isGreaterThan(1);
    }
}
