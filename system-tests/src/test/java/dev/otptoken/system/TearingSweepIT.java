package dev.otptoken.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.firmware.oath.OathApplet;
import dev.otptoken.firmware.sim.OtpToken;
import dev.otptoken.hardware.memory.StateFile;
import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.host.cli.Processes.Result;
import dev.otptoken.host.cli.ExitStatus;
import dev.otptoken.host.cli.HostMain;
import dev.otptoken.host.cli.Launchers;
import dev.otptoken.host.cli.Processes;
import dev.otptoken.host.session.CompensationCurve;
import dev.otptoken.host.session.DeviceSession;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.TokenAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tearing sweep the reliability report counts: every state-changing host command, cut
 * after each of its persistent writes in turn, through the two executables.
 *
 * <p>For a row (one host command) the sweep prepares a state file once, then for N = 1, 2, …
 * copies it, starts the token on S with the power cut at its N-th write (firmware-sim's
 * library API, {@code OtpToken.builder().powerCutAfterWrites(N)}: the token {@code bin/otptoken-sim
 * --power-cut-after-writes N} runs, in this JVM), runs the command with {@code bin/otptoken}, and
 * expects the token to lose its power and the host to report a transport failure (exit 4, one
 * line). The first N at which the command completes
 * is W + 1, so W, the number of physical writes, is measured rather than assumed. After each
 * cut the token is restarted on S (no cut) and probed as a user would probe it — the codes of
 * every account against oathtool, the password, the clock — and the result must be one of
 * the row's declared states (before, after, and for commands of several APDUs the states
 * between them), never moving backwards as N grows. The recovered memory is also compared
 * byte for byte: the region the command does not own is untouched, a "before" outcome is
 * the prepared image exactly, and a deterministic "after" outcome is the uncut image exactly.
 *
 * <p>By default every row but {@code calibrate --apply} is swept at every write index; that
 * row alone costs about 12 s per index (warm-up and the shortest measurement come before its
 * first write) and 40 s uncut, so it joins with {@code -Dotptoken.tearing.full=true}. {@code
 * -Dotptoken.tearing.ops=a,b} sweeps only the rows whose names start so; {@code
 * -Dotptoken.tearing.threads=N} sets how many rows run at once (default 3: a row spends much
 * of its time waiting for child JVMs to start).
 */
class TearingSweepIT {
    /** RFC 4226 Appendix D key. */
    private static final String KEY_A = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    /** RFC 6238 SHA-256 seed (32 bytes). */
    private static final String KEY_B = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
    /** "abcdefghijklmnopqrst". */
    private static final String KEY_C = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U";
    /** Twenty more bytes, so that no two accounts of a state share a key. */
    private static final String KEY_D = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    private static final String PASSWORD = "tear-pw";
    /** The token clock of the prepared states runs this far behind the host. */
    private static final long BEHIND_SECONDS = 1000;
    /** "In sync" after a clock write; "behind" is anything below half of BEHIND_SECONDS. */
    private static final double SYNC_TOLERANCE_SECONDS = 2.0;
    /**
     * A drift the calibration row trims whatever the load does to its 5-second measurement
     * (about −105 steps of 0.9537 ppm; under a load average near 20 a run measured 5 ppm of a
     * 20 ppm crystal, so the exact step is not predictable, only its sign).
     */
    private static final String DRIFT_PPM = "100";
    private static final int TRIM_LOW = Short.MIN_VALUE;
    private static final int TRIM_HIGH = -1;
    /** Bound on the sweep of one command: no host command here writes more often. */
    private static final int MAX_WRITES = 80;
    /**
     * Startup flags for the host's short-lived JVMs (the launcher passes OTPTOKEN_JAVA_OPTS on):
     * C1 only and the serial collector roughly halve a start on the 2-core machine.
     */
    private static final String JAVA_OPTS = System.getProperty("otptoken.tearing.javaOpts",
            "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    private static final String OLD = "old";
    private static final String NEW = "new";

    @TempDir
    Path dir;

    // ---- the model: what a probe must find ----

    /** One account as the test knows it (the keys are public test vectors, not secrets). */
    record Account(String name, boolean hotp, String alg, int digits, int period, String key, long counter) {
        static Account totp(String name, String key) {
            return new Account(name, false, "sha1", 6, 30, key, 0);
        }

        static Account hotp(String name, String key, long counter) {
            return new Account(name, true, "sha1", 6, 30, key, counter);
        }

        String uri() {
            String issuer = name.substring(0, name.indexOf(':'));
            if (hotp) {
                return "otpauth://hotp/" + name + "?secret=" + key + "&issuer=" + issuer + "&counter=" + counter;
            }
            return "otpauth://totp/" + name + "?secret=" + key + "&issuer=" + issuer + "&algorithm="
                    + alg.toUpperCase(Locale.ROOT) + "&digits=" + digits + "&period=" + period;
        }

        /** The code oathtool gives for this account at {@code epochSecond} (HOTP: at its counter). */
        String expected(long epochSecond) throws Exception {
            if (hotp) {
                return Launchers.oathtool("--hotp", "-d", Integer.toString(digits), "-c", Long.toString(counter),
                        "-b", key);
            }
            return Launchers.oathtool("--totp=" + alg, "-d", Integer.toString(digits), "-s", period + "s",
                    "--now", "@" + epochSecond, "-b", key);
        }
    }

    /** The device clock as a probe classifies it. */
    record ClockExpect(int trimLow, int trimHigh, boolean everSet, boolean inSync) {
        static final ClockExpect UNTOUCHED = new ClockExpect(0, 0, false, false);

        boolean matches(ObservedClock c) {
            boolean sync = Math.abs(c.offsetSeconds()) < SYNC_TOLERANCE_SECONDS;
            boolean behind = c.offsetSeconds() < -BEHIND_SECONDS / 2.0;
            return c.trim() >= trimLow && c.trim() <= trimHigh && c.everSet() == everSet
                    && (inSync ? sync : behind);
        }
    }

    /**
     * A declared state of the token: accounts (with HOTP counters), password, clock, and the
     * compensation curve as {@code otptoken clock} shows it (null where it is not at stake).
     */
    record Expected(String label, List<Account> accounts, boolean password, ClockExpect clock, String curve) {
        Expected(String label, List<Account> accounts, boolean password, ClockExpect clock) {
            this(label, accounts, password, clock, null);
        }

        boolean matches(Observed o) throws Exception {
            if (o.password() != password) {
                return false;
            }
            if (clock != null && !clock.matches(o.clock().orElseThrow())) {
                return false;
            }
            if (curve != null && !curve.equals(o.curve().orElseThrow())) {
                return false;
            }
            Map<String, Account> byName = accounts.stream().collect(Collectors.toMap(Account::name, a -> a));
            if (!byName.keySet().equals(o.codes().keySet())) {
                return false;
            }
            for (Account a : accounts) {
                String seen = o.codes().get(a.name());
                if (!a.expected(o.from()).equals(seen) && !a.expected(o.to()).equals(seen)) {
                    return false;
                }
            }
            return true;
        }

        Expected as(String newLabel) {
            return new Expected(newLabel, accounts, password, clock, curve);
        }

        Expected with(Account... more) {
            List<Account> l = new ArrayList<>(accounts);
            l.addAll(List.of(more));
            return new Expected(label, l, password, clock, curve);
        }

        Expected without(String name) {
            return new Expected(label, accounts.stream().filter(a -> !a.name().equals(name)).toList(), password,
                    clock, curve);
        }

        Expected password(boolean on) {
            return new Expected(label, accounts, on, clock, curve);
        }

        Expected clock(ClockExpect c) {
            return new Expected(label, accounts, password, c, curve);
        }

        /** With the curve {@code otptoken clock} must show, without the sensor's reading. */
        Expected curve(String shown) {
            return new Expected(label, accounts, password, clock, shown);
        }
    }

    record ObservedClock(int trim, boolean everSet, double offsetSeconds) {
    }

    /** What one probe of a restarted token saw. */
    record Observed(SortedMap<String, String> codes, long from, long to, boolean password,
                    Optional<ObservedClock> clock, Optional<String> curve) {
        @Override
        public String toString() {
            return "codes " + codes + " between " + from + " and " + to + ", password " + (password ? "on" : "off")
                    + clock.map(c -> ", " + c).orElse("") + curve.map(c -> ", " + c).orElse("");
        }
    }

    /**
     * A host command line and what it reads on standard input; or, for a command no short host
     * command sends, the host's session code ({@code DeviceSession}) in this JVM on the token's
     * pseudo-terminal, named by {@code args}.
     */
    record Cmd(String stdin, List<String> args, SessionOp session) {
        static Cmd of(String... args) {
            return new Cmd(null, List.of(args), null);
        }

        static Cmd withPassword(String... args) {
            return new Cmd(PASSWORD + "\n", List.of(args), null);
        }

        static Cmd session(String name, SessionOp op) {
            return new Cmd(null, List.of(name), op);
        }

        @Override
        public String toString() {
            return session != null ? "DeviceSession." + args.get(0)
                    : "otptoken " + String.join(" ", args).replaceAll("otpauth://\\S+", "otpauth://…");
        }
    }

    /** APDUs sent through the host's {@code DeviceSession}. */
    interface SessionOp {
        void run(DeviceSession device) throws Exception;
    }

    /** Which part of the memory a command may change; the other part must stay byte for byte. */
    enum Region { OATH, DEVICE }

    /**
     * One state-changing command: the token it starts from, its setup, the command, and its
     * declared states in order (first the state before, last the state after).
     */
    record Row(String name, boolean emptyToken, List<String> simArgs, List<Cmd> setup, Cmd op, Region region,
               boolean deterministic, boolean probeClock, List<Expected> states, boolean fullOnly,
               int completedStatus, boolean byImage) {
        Row(String name, boolean emptyToken, List<String> simArgs, List<Cmd> setup, Cmd op, Region region,
            boolean deterministic, boolean probeClock, List<Expected> states, boolean fullOnly) {
            this(name, emptyToken, simArgs, setup, op, region, deterministic, probeClock, states, fullOnly,
                    ExitStatus.OK, false);
        }

        Row(String name, boolean emptyToken, List<String> simArgs, List<Cmd> setup, Cmd op, Region region,
            boolean deterministic, boolean probeClock, List<Expected> states) {
            this(name, emptyToken, simArgs, setup, op, region, deterministic, probeClock, states, false);
        }
    }

    // ---- the table ----

    private static final Account BASE_TOTP = Account.totp("Base:totp", KEY_A);
    /** Provisioning proves an HOTP account by consuming its first counter: 0 becomes 1. */
    private static final Account BASE_HOTP = Account.hotp("Base:hotp", KEY_D, 1);
    private static final Expected BASE = new Expected(OLD, List.of(BASE_TOTP, BASE_HOTP), false, null);

    static List<Row> rows() {
        ClockExpect trimmed = new ClockExpect(TRIM_LOW, TRIM_HIGH, false, false);
        ClockExpect calibrated = new ClockExpect(TRIM_LOW, TRIM_HIGH, true, true);
        ClockExpect synced = new ClockExpect(0, 0, true, true);
        Account first = Account.totp("First:totp", KEY_C);
        Account newHotp = Account.hotp("New:hotp", KEY_C, 5);
        Account second = new Account("Second:totp", false, "sha256", 8, 60, KEY_B, 0);
        Account over = Account.totp("Over:acct", KEY_B);
        Account overNew = Account.totp("Over:acct", KEY_C);
        Account renamed = Account.totp("Base:renamed", KEY_A);
        Expected locked = BASE.password(true);
        ClockExpect curveOld = new ClockExpect(CURVE_OLD_TRIM_LOW, CURVE_OLD_TRIM_HIGH, false, false);
        ClockExpect curveNew = new ClockExpect(CURVE_NEW_TRIM_LOW, CURVE_NEW_TRIM_HIGH, false, false);
        return List.of(
                new Row("calibrate --apply", false, List.of("--drift-ppm", DRIFT_PPM), List.of(),
                        Cmd.of("calibrate", "--duration", "5s", "--apply"), Region.DEVICE, false, true,
                        List.of(BASE.clock(ClockExpect.UNTOUCHED), BASE.clock(trimmed).as("trimmed, clock not set"),
                                BASE.clock(calibrated).as(NEW)), true),
                new Row("provision TOTP (first account)", true, List.of(), List.of(),
                        Cmd.of("provision", "--uri", first.uri()), Region.OATH, true, false,
                        List.of(new Expected(OLD, List.of(), false, null), new Expected(NEW, List.of(first), false,
                                null))),
                new Row("provision HOTP", false, List.of(), List.of(), Cmd.of("provision", "--uri", newHotp.uri()),
                        Region.OATH, true, false,
                        List.of(BASE, BASE.with(newHotp).as("written, not proven"),
                                BASE.with(counter(newHotp, 6)).as(NEW))),
                new Row("provision second account (SHA-256, 8 digits, 60 s)", false, List.of(), List.of(),
                        Cmd.of("provision", "--uri", second.uri()), Region.OATH, true, false,
                        List.of(BASE, BASE.with(second).as(NEW))),
                new Row("provision --overwrite", false, List.of(), List.of(Cmd.of("provision", "--uri", over.uri())),
                        Cmd.of("provision", "--overwrite", "--uri", overNew.uri()), Region.OATH, true, false,
                        List.of(BASE.with(over), BASE.with(overNew).as(NEW))),
                new Row("code (HOTP counter)", false, List.of(), List.of(), Cmd.of("code", BASE_HOTP.name()),
                        Region.OATH, true, false,
                        List.of(BASE, BASE.without(BASE_HOTP.name()).with(counter(BASE_HOTP, 2)).as(NEW))),
                new Row("code (TOTP)", false, List.of(), List.of(), Cmd.of("code", BASE_TOTP.name()),
                        Region.OATH, true, false, List.of(BASE, BASE.as(NEW))),
                new Row("delete", false, List.of(), List.of(), Cmd.of("delete", BASE_TOTP.name()), Region.OATH, true,
                        false, List.of(BASE, BASE.without(BASE_TOTP.name()).as(NEW))),
                new Row("rename", false, List.of(), List.of(), Cmd.of("rename", BASE_TOTP.name(), renamed.name()),
                        Region.OATH, true, false,
                        List.of(BASE, BASE.without(BASE_TOTP.name()).with(renamed).as(NEW))),
                new Row("password set", false, List.of(), List.of(),
                        Cmd.withPassword("password", "set", "--password-stdin"), Region.OATH, false, false,
                        List.of(BASE, locked.as(NEW))),
                new Row("password clear", false, List.of(), List.of(
                        Cmd.withPassword("password", "set", "--password-stdin")),
                        Cmd.withPassword("password", "clear", "--password-stdin"), Region.OATH, true, false,
                        List.of(locked.as(OLD), BASE.as(NEW))),
                // A wrong password changes only the persistent failure count (docs/oath-applet.md):
                // a user sees the same locked token before and after, so the memory image tells
                // the two states apart (the prepared image, or exactly the uncut one).
                new Row("password unlock, wrong password (failure count)", false, List.of(), List.of(
                        Cmd.withPassword("password", "set", "--password-stdin")),
                        new Cmd("not-" + PASSWORD + "\n", List.of("password", "unlock", "--password-stdin"), null),
                        Region.OATH, true, false, List.of(locked.as(OLD), locked.as(NEW)), false,
                        ExitStatus.PASSWORD, true),
                new Row("reset --force", false, List.of(), List.of(), Cmd.of("reset", "--force"), Region.OATH, false,
                        false, List.of(BASE, new Expected(NEW, List.of(), false, null))),
                new Row("clock sync", false, List.of(), List.of(), Cmd.of("clock", "sync"), Region.DEVICE, false,
                        true, List.of(BASE.clock(ClockExpect.UNTOUCHED), BASE.clock(synced).as(NEW))),
                // SET COMPENSATION: the curve, the RTC's anchor and the first trim in one transaction.
                // Only calibrate --temperatures --apply sends it (minutes of runs first), so the host's
                // DeviceSession sends it here. Old and new differ in every field the probe shows, and
                // the trim the restarted token's compensation sets follows the curve it found.
                new Row("SET COMPENSATION (calibrate --temperatures --apply's write)", false, List.of(),
                        List.of(Cmd.session("setCompensation(A)", d -> d.setCompensation(Optional.of(CURVE_A)))),
                        Cmd.session("setCompensation(B)", d -> d.setCompensation(Optional.of(CURVE_B))),
                        Region.DEVICE, false, true,
                        List.of(BASE.clock(curveOld).curve(CURVE_A_SHOWN).as(OLD),
                                BASE.clock(curveNew).curve(CURVE_B_SHOWN).as(NEW))));
    }

    /**
     * The curve the compensation row starts from: +50 ppm, so at 25 °C (the sensor within 1 °C
     * of it) the token trims by about −52.4 steps; aging from 2100 on, so none now.
     */
    private static final CompensationCurve CURVE_A = new CompensationCurve(50, 25, 0.034, 1.0,
            Instant.parse("2100-01-01T00:00:00Z").getEpochSecond() * 1_000_000L, CompensationCurve.AGING_TAU_SECONDS);
    private static final String CURVE_A_SHOWN =
            "compensation on: turnover 25.00 °C, k 0.0340 ppm/°C², offset +50.000 ppm, aging +1.000 ppm";
    private static final int CURVE_OLD_TRIM_LOW = -54;
    private static final int CURVE_OLD_TRIM_HIGH = -51;
    /** The curve the row writes: −30 ppm, 27.5 °C, k 0.038 (+30.1 to +30.5 ppm of trim wanted at 24 to 26 °C). */
    private static final CompensationCurve CURVE_B = new CompensationCurve(-30, 27.5, 0.038, 0, 0,
            CompensationCurve.AGING_TAU_SECONDS);
    private static final String CURVE_B_SHOWN =
            "compensation on: turnover 27.50 °C, k 0.0380 ppm/°C², offset -30.000 ppm, aging +0.000 ppm";
    private static final int CURVE_NEW_TRIM_LOW = 30;
    private static final int CURVE_NEW_TRIM_HIGH = 34;

    private static Account counter(Account a, long c) {
        return new Account(a.name(), a.hotp(), a.alg(), a.digits(), a.period(), a.key(), c);
    }

    // ---- the sweep ----

    /** What the sweep of one row found. */
    record RowResult(Row row, int writes, List<String> outcomes, List<Integer> hostStatuses, int processes,
                     long millis) {
    }

    @Test
    void everyStateChangingCommandIsAllOrNothingAtEveryWrite() throws Exception {
        Processes.requireTool("oathtool");
        Set<String> only = Optional.ofNullable(System.getProperty("otptoken.tearing.ops"))
                .filter(s -> !s.isBlank()).map(s -> Set.of(s.split(","))).orElse(Set.of());
        boolean full = Boolean.getBoolean("otptoken.tearing.full");
        List<Row> rows = rows().stream().filter(r -> only.isEmpty() ? full || !r.fullOnly()
                : only.stream().anyMatch(o -> r.name().startsWith(o))).toList();
        assertThat(rows).isNotEmpty();
        long start = System.nanoTime();
        Path empty = dir.resolve("empty.state");
        Path base = dir.resolve("base.state");
        prepareBases(empty, base);
        int threads = Integer.getInteger("otptoken.tearing.threads", 3);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<RowResult>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                Path rowDir = Files.createDirectory(dir.resolve("row" + i));
                futures.add(pool.submit(() -> sweep(row, row.emptyToken() ? empty : base, rowDir)));
            }
            List<RowResult> results = new ArrayList<>();
            AssertionError failure = null;
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.add(futures.get(i).get());
                } catch (java.util.concurrent.ExecutionException e) {
                    AssertionError a = new AssertionError(rows.get(i).name() + ": " + e.getCause().getMessage(),
                            e.getCause());
                    if (failure == null) {
                        failure = a;
                    } else {
                        failure.addSuppressed(a);
                    }
                }
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            String report = report(results, seconds, threads);
            System.out.println(report);
            Path target = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target");
            Files.createDirectories(target);
            Files.writeString(target.resolve("tearing-sweep.md"), report, StandardCharsets.UTF_8);
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The empty token and the token with one TOTP and one HOTP account, its clock behind. */
    private void prepareBases(Path empty, Path base) throws Exception {
        String start = Instant.now().minusSeconds(BEHIND_SECONDS).truncatedTo(ChronoUnit.SECONDS).toString();
        try (OtpToken sim = startSim(empty, List.of("--serial", "4242", "--start-time", start), null)) {
            quit(sim);
        }
        try (OtpToken sim = startSim(base, List.of("--serial", "4243", "--start-time", start), null)) {
            host(sim, Cmd.of("provision", "--uri", BASE_TOTP.uri()), 0);
            host(sim, Cmd.of("provision", "--uri", counter(BASE_HOTP, 0).uri()), 0);
            quit(sim);
        }
    }

    private RowResult sweep(Row row, Path base, Path rowDir) throws Exception {
        long start = System.nanoTime();
        int processes = 0;
        Path prepared = rowDir.resolve("prepared.state");
        Files.copy(base, prepared);
        if (!row.setup().isEmpty()) {
            try (OtpToken sim = startSim(prepared, row.simArgs(), null)) {
                for (Cmd c : row.setup()) {
                    host(sim, c, 0);
                    processes++;
                }
                quit(sim);
            }
        }
        byte[] before = userArea(prepared);
        Path state = rowDir.resolve("token.state");
        List<String> outcomes = new ArrayList<>();
        List<byte[]> recovered = new ArrayList<>();
        List<Integer> hostStatuses = new ArrayList<>();
        int lastRank = 0;
        for (int n = 1; n <= MAX_WRITES + 1; n++) {
            Files.copy(prepared, state, StandardCopyOption.REPLACE_EXISTING);
            Result r;
            try (OtpToken sim = startSim(state, row.simArgs(), n)) {
                r = run(sim, row.op());
                processes += row.op().session() == null ? 1 : 0;
                if (r.status() == row.completedStatus()) {
                    // The command completed before its n-th write: it makes n − 1 of them.
                    quit(sim);
                } else if (row.op().session() != null) {
                    assertThat(sim.awaitPowerCut(Duration.ofSeconds(15))).as("%s N=%d: the token lost its power",
                            row.name(), n).isTrue();
                    assertThat(r.status()).as("%s N=%d: the session's failure (%s)", row.name(), n, r.err())
                            .isEqualTo(ExitStatus.NO_TOKEN);
                } else {
                    assertThat(sim.awaitPowerCut(Duration.ofSeconds(15))).as("%s N=%d: the token lost its power",
                            row.name(), n).isTrue();
                    assertThat(r.status()).as("%s N=%d: host exit status (%s)", row.name(), n, r.err()).isEqualTo(4);
                    assertThat(r.err()).as("%s N=%d: no stack trace", row.name(), n).doesNotContain("\tat ");
                    assertThat(Host.failureLines(r.errLines())).as("%s N=%d: one-line message in %s", row.name(), n, r.err())
                            .singleElement().asString().startsWith("otptoken: ");
                }
            }
            hostStatuses.add(r.status());
            byte[] image = userArea(state);
            if (r.status() != row.completedStatus()) {
                recovered.add(image);
            }
            List<String> matching;
            boolean probeCurve = row.states().stream().anyMatch(e -> e.curve() != null);
            try (OtpToken sim = startSim(state, row.simArgs(), null)) {
                Observed o = probe(sim, row.probeClock(), probeCurve);
                matching = classify(row, o, n);
                quit(sim);
            }
            if (r.status() == row.completedStatus()) {
                assertThat(matching).as("%s: the completed command's state", row.name()).contains(NEW);
                if (row.byImage()) {
                    assertThat(image).as("%s: the completed command changed the memory", row.name())
                            .isNotEqualTo(before);
                }
                checkBytes(row, before, image, outcomes, recovered);
                return new RowResult(row, n - 1, outcomes, hostStatuses, processes,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            String label = row.byImage() ? (Arrays.equals(image, before) ? OLD : NEW) : matching.get(0);
            assertThat(matching).as("%s N=%d: the probe agrees with the image", row.name(), n).contains(label);
            if (row.op().args().contains("provision") && matching.equals(List.of(NEW))) {
                // The account is on the token: the host may say unknown or written, never "nothing written".
                assertThat(r.err()).as("%s N=%d: the host's report when the token holds the new account", row.name(), n)
                        .containsAnyOf("unknown (the token did not answer)", "written, NOT proven", "1 of 1 accounts in");
            }
            processes += 1 + (row.probeClock() ? 1 : 0) + (probeCurve ? 1 : 0);
            int rank = rank(row, label);
            assertThat(rank).as("%s N=%d: %s after %s: a later cut never shows an earlier state", row.name(), n,
                    label, outcomes).isGreaterThanOrEqualTo(lastRank);
            lastRank = rank;
            outcomes.add(label);
        }
        throw new AssertionError(row.name() + ": still cut after " + MAX_WRITES + " writes");
    }

    /**
     * The byte-level half of "nothing else changed", on the images as recovered before any
     * probe touched them. Rows whose "after" holds time or a fresh random salt (clock, trim,
     * password key derivation on the host, reset) are not compared with the uncut image.
     */
    private static void checkBytes(Row row, byte[] before, byte[] after, List<String> outcomes,
                                   List<byte[]> recovered) {
        int split = OtpToken.DEVICE_REGION_START;
        int from = row.region() == Region.OATH ? split : 0;
        int to = row.region() == Region.OATH ? before.length : split;
        for (int i = 0; i < recovered.size(); i++) {
            byte[] img = recovered.get(i);
            int n = i + 1;
            assertThat(Arrays.equals(img, from, to, before, from, to))
                    .as("%s N=%d: the %s region outside the command is untouched", row.name(), n,
                            row.region() == Region.OATH ? "device" : "OATH").isTrue();
            if (outcomes.get(i).equals(OLD)) {
                // A command that proves the password first (VALIDATE) counts the attempt before
                // the check and clears the count after it: a cut in between leaves the state as
                // it was with one more attempt counted (docs/oath-applet.md), by design.
                byte[] uncounted = img.clone();
                int at = OathApplet.FAILED_VALIDATIONS_OFFSET;
                if (!row.byImage() && uncounted[at] == (byte) (before[at] + 1)) {
                    uncounted[at] = before[at];
                }
                assertThat(uncounted).as("%s N=%d: \"old\" is the prepared image exactly (but for a counted"
                        + " password attempt)", row.name(), n).isEqualTo(before);
            } else if (outcomes.get(i).equals(NEW) && row.deterministic()) {
                assertThat(img).as("%s N=%d: \"new\" is the uncut image exactly", row.name(), n).isEqualTo(after);
            }
        }
        assertThat(Arrays.equals(after, from, to, before, from, to))
                .as("%s: the completed command leaves the other region untouched", row.name()).isTrue();
    }

    /** The declared states the observation matches, in the row's order (at least one). */
    private static List<String> classify(Row row, Observed o, int n) throws Exception {
        List<String> matching = new ArrayList<>();
        for (Expected e : row.states()) {
            if (e.matches(o)) {
                matching.add(e.label());
            }
        }
        assertThat(matching).as("%s N=%d: the restarted token shows a declared state: %s", row.name(), n, o)
                .isNotEmpty();
        return matching;
    }

    private static int rank(Row row, String label) {
        for (int i = 0; i < row.states().size(); i++) {
            if (row.states().get(i).label().equals(label)) {
                return i;
            }
        }
        throw new IllegalArgumentException(label);
    }

    /**
     * Restarted token, as a user sees it: {@code code} (every TOTP account), then {@code code
     * NAME} for each HOTP account it names without computing (the counter advances, so this is
     * also the "next session works and writes" check), with the password when it asks for one,
     * and {@code clock --json} where the clock is at stake. It is never repeated (that would
     * consume HOTP counters): a TOTP code may be of the step at the start or at the end of it.
     */
    private static Observed probe(OtpToken sim, boolean clock, boolean curve) throws Exception {
        long t0 = Instant.now().getEpochSecond();
        Result r = Launchers.otptoken(env(sim), null, "code");
        boolean password = false;
        if (r.status() == ExitStatus.PASSWORD) {
            password = true;
            r = Launchers.otptoken(env(sim), PASSWORD + "\n", "code", "--password-stdin");
        }
        assertThat(r.status()).as("code after restart: %s", r.err()).isZero();
        SortedMap<String, String> codes = new TreeMap<>();
        for (String line : r.outLines()) {
            String[] f = line.trim().split("\\s+");
            assertThat(f).as("code line %s", line).hasSize(2);
            if (f[1].equals("[HOTP]")) {
                Result one = password ? Launchers.otptoken(env(sim), PASSWORD + "\n", "code", "-s", f[0], "--password-stdin")
                        : Launchers.otptoken(env(sim), null, "code", "-s", f[0]);
                assertThat(one.status()).as("code %s after restart: %s", f[0], one.err()).isZero();
                f[1] = one.out().trim();
            }
            codes.put(f[0], f[1]);
        }
        long t1 = Instant.now().getEpochSecond();
        Optional<ObservedClock> c = Optional.empty();
        if (clock) {
            Result j = Launchers.otptoken(env(sim), null, "--json", "clock");
            assertThat(j.status()).as("clock after restart: %s", j.err()).isZero();
            c = Optional.of(parseClock(j.out()));
        }
        Optional<String> shown = Optional.empty();
        if (curve) {
            // the text form names the curve in force (the JSON keeps its fields as they were)
            Result t = Launchers.otptoken(env(sim), null, "clock");
            assertThat(t.status()).as("clock after restart: %s", t.err()).isZero();
            shown = Optional.of(t.outLines().stream().filter(l -> l.startsWith("compensation on: ")).findFirst()
                    .map(l -> l.substring(0, l.indexOf("; sensor"))).orElse("compensation off"));
        }
        return new Observed(codes, t0, t1, password, c, shown);
    }

    private static final Pattern TRIM = Pattern.compile("\"trim\":(-?\\d+)");
    private static final Pattern OFFSET = Pattern.compile("\"offset_seconds\":(-?[0-9.Ee+-]+)");
    private static final Pattern LAST_SET = Pattern.compile("\"last_set\":(null|\")");

    static ObservedClock parseClock(String json) {
        Matcher trim = TRIM.matcher(json);
        Matcher offset = OFFSET.matcher(json);
        Matcher set = LAST_SET.matcher(json);
        assertThat(trim.find() && offset.find() && set.find()).as("clock JSON %s", json).isTrue();
        return new ObservedClock(Integer.parseInt(trim.group(1)), !set.group(1).equals("null"),
                Double.parseDouble(offset.group(1)));
    }

    /** The memory's user area as the next power-up sees it (journal recovery applied). */
    static byte[] userArea(Path stateFile) throws Exception {
        TransactionalMemory m = TransactionalMemory.powerUp(StateFile.read(stateFile), null);
        byte[] user = new byte[m.size()];
        m.read(0, user, 0, user.length);
        return user;
    }

    // ---- the token and the host ----

    /**
     * The token on {@code state}, in this JVM, with the options of a row given as the
     * simulator's command line takes them ({@code --serial}, {@code --start-time}, {@code
     * --drift-ppm}), the power cut at write {@code cutAfter} when not null.
     */
    private static OtpToken startSim(Path state, List<String> options, Integer cutAfter) throws Exception {
        OtpToken.Builder b = OtpToken.builder().stateFile(state);
        for (int i = 0; i < options.size(); i += 2) {
            String value = options.get(i + 1);
            switch (options.get(i)) {
                case "--serial" -> b.serial(Long.parseLong(value));
                case "--start-time" -> b.startTime(Instant.parse(value));
                case "--drift-ppm" -> b.driftPpm(Double.parseDouble(value));
                default -> throw new IllegalArgumentException("no builder option for " + options.get(i));
            }
        }
        if (cutAfter != null) {
            b.powerCutAfterWrites(cutAfter);
        }
        return b.start();
    }

    private static Map<String, String> env(OtpToken sim) {
        Map<String, String> env = new HashMap<>();
        env.put(HostMain.PORT_VARIABLE, sim.ptyPath().toString());
        env.put("OTPTOKEN_JAVA_OPTS", JAVA_OPTS);
        return env;
    }

    private static Result host(OtpToken sim, Cmd c, int status) throws Exception {
        Result r = run(sim, c);
        assertThat(r.status()).as("%s: %s", c, r.err()).isEqualTo(status);
        return r;
    }

    /**
     * Runs {@code c}: {@code bin/otptoken}, or the host's session in this JVM on the token's
     * pseudo-terminal (status 0 when it completed, 4 when the line failed, 5 when the token refused).
     */
    private static Result run(OtpToken sim, Cmd c) throws Exception {
        if (c.session() == null) {
            return Launchers.otptoken(env(sim), c.stdin(), c.args().toArray(String[]::new));
        }
        try (Token token = Token.open(new TokenAddress.SerialPort(sim.ptyPath().toString()), Token.Opener.system())) {
            c.session().run(token.device(true));
            return new Result(ExitStatus.OK, "", "");
        } catch (java.io.IOException e) {
            return new Result(ExitStatus.NO_TOKEN, "", String.valueOf(e.getMessage()));
        } catch (dev.otptoken.protocol.apdu.ApduException e) {
            return new Result(ExitStatus.TOKEN_REFUSED, "", String.valueOf(e.getMessage()));
        }
    }

    /** Stops the token cleanly, which saves its memory to the state file. */
    private static void quit(OtpToken sim) {
        assertThat(sim.isPowered()).as("the token still runs when the test stops it").isTrue();
        sim.close();
    }

    // ---- the report ----

    static String report(List<RowResult> results, long seconds, int threads) {
        StringBuilder sb = new StringBuilder();
        int indices = results.stream().mapToInt(RowResult::writes).sum();
        int runs = results.stream().mapToInt(r -> r.writes() + 1).sum();
        int processes = results.stream().mapToInt(RowResult::processes).sum();
        Map<String, Integer> totals = new TreeMap<>();
        results.forEach(r -> r.outcomes().forEach(o -> totals.merge(o, 1, Integer::sum)));
        sb.append("| Command | Writes W | Runs | State after the cut at write N | Host exit | Time |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (RowResult r : results) {
            sb.append("| ").append(r.row().name()).append(" (`").append(r.row().op()).append("`) | ")
                    .append(r.writes()).append(" | ").append(r.writes() + 1).append(" | ")
                    .append(r.writes() == 0 ? "no persistent write" : ranges(r.outcomes())).append(" | ")
                    .append(statuses(r.hostStatuses())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f s", r.millis() / 1000.0)).append(" |\n");
        }
        sb.append('\n').append(String.format(Locale.ROOT,
                "%d commands, %d write indices cut, %d runs of the command (each cut plus one uncut), %d host"
                        + " processes started (at least: one more per password and HOTP probe), %d s with %d rows at a time. Outcomes of the cuts: %s.%n",
                results.size(), indices, runs, processes, seconds, threads,
                totals.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(
                        Collectors.joining(", "))));
        return sb.toString();
    }

    /** "1–6 old, 7 new" from the per-index outcomes. */
    static String ranges(List<String> outcomes) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < outcomes.size()) {
            int j = i;
            while (j + 1 < outcomes.size() && outcomes.get(j + 1).equals(outcomes.get(i))) {
                j++;
            }
            parts.add((i == j ? Integer.toString(i + 1) : (i + 1) + "–" + (j + 1)) + " " + outcomes.get(i));
            i = j + 1;
        }
        return String.join(", ", parts);
    }

    private static String statuses(List<Integer> statuses) {
        Map<Integer, Long> m = statuses.stream().collect(Collectors.groupingBy(s -> s, TreeMap::new,
                Collectors.counting()));
        return m.entrySet().stream().map(e -> e.getValue() + "× " + e.getKey()).collect(Collectors.joining(", "));
    }
}
