package dev.otptoken.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.t1.T1Timing;
import dev.otptoken.system.FaultPlan.Direction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls the host's device out in the middle of every kind of command, at every byte (or a
 * bounded, seeded selection of bytes) in each direction: the host must exit 4 with one line
 * within a bound derived from {@link T1Timing#DEFAULT}, and over a fresh relay the token must
 * show either the command's whole effect or none of it, nothing else changed, and the next
 * session must work.
 *
 * <p>The token holds two base accounts, a TOTP and an HOTP one, with known secrets. After
 * each cut the base is checked (LIST columns and each account's code: the HOTP counter must
 * have moved by at most the one calculation the cut command could have made) and restored.
 *
 * <p>Cut points: with {@code -Dotptoken.unplug.cuts=all}, every byte index {@code k} from 0
 * to the command's byte count in that direction minus one ("forward k bytes, then unplug as
 * byte k+1 arrives"); by default bytes 0..{@value #HEAD} - 1 (the first block: S(RESYNCH) is five bytes) plus
 * {@value #SAMPLES} indices drawn by a {@link SplittableRandom} seeded with
 * {@code otptoken.unplug.seed} from the rest.
 */
class UnplugSweepIT {
    static final long SEED = Long.decode(System.getProperty("otptoken.unplug.seed", "0x0b5e55ed"));
    static final boolean ALL = "all".equals(System.getProperty("otptoken.unplug.cuts", "sample"));
    static final int HEAD = 5;
    static final int SAMPLES = 3;
    /**
     * How long the host may take to give up once its device is gone: a session start that
     * sends every S(RESYNCH) it is allowed, plus one exchange retransmitted to its bound, each
     * waiting a full BWT, plus 5 s for the JVM and the port. Not a speed test: generous on purpose.
     */
    static final long EXIT_BOUND_MILLIS = T1Timing.DEFAULT.bwt().toMillis()
            * (T1Timing.DEFAULT.maxResynchs() + T1Timing.DEFAULT.maxRetransmissions() + 1) + 5_000;
    static final String PASSWORD = "correct horse";
    static final String TOTP_NAME = "Svc:base-totp";
    static final String HOTP_NAME = "Svc:base-hotp";
    static final String NEW_NAME = "Svc:new";
    static final String MOVED_NAME = "Svc:moved";
    private static final Pattern COLUMNS = Pattern.compile("\\s{2,}");

    enum Kind {
        PROVISION_TOTP, PROVISION_HOTP, CODE, LIST, DELETE, RENAME, INFO, PASSWORD_SET, PASSWORD_UNLOCK,
        PASSWORD_CLEAR, RESET
    }

    @TempDir
    Path dir;

    private final SplittableRandom random = new SplittableRandom(SEED);
    private final Credential totp = Credential.random(random, OathType.TOTP);
    private final Credential hotp = Credential.random(random, OathType.HOTP);
    private final Credential fresh = Credential.random(random, OathType.TOTP);
    private final Credential freshHotp = Credential.random(random, OathType.HOTP);
    private InProcessToken token;
    /** The counter the base HOTP account's next calculation uses. */
    private long hotpNext;
    private boolean locked;
    private long slowestExit;
    private final Map<String, Integer> messages = new java.util.TreeMap<>();

    @Test
    void unpluggingInTheMiddleOfEveryCommandLeavesTheTokenConsistent() {
        assertTimeoutPreemptively(Duration.ofHours(ALL ? 12 : 1), this::sweep, "seed " + seedText());
    }

    private void sweep() throws Exception {
        Map<Kind, String> report = new EnumMap<>(Kind.class);
        long started = System.nanoTime();
        try (InProcessToken t = new InProcessToken(dir.resolve("token.state"))) {
            token = t;
            provisionBase();
            for (Kind kind : Kind.values()) {
                prepare(kind);
                Map<Direction, Long> bytes = new EnumMap<>(Direction.class);
                try (FaultRelay relay = FaultRelay.start(token.device, FaultPlan.CLEAN)) {
                    Host.Result r = runOp(kind, relay.hostDevice());
                    assertThat(r.exit()).as("%s on a clean line: %s", kind, r).isZero();
                    for (Direction d : Direction.values()) {
                        bytes.put(d, relay.counts(d).bytes());
                    }
                }
                checkAndRestore(kind, "clean run of " + kind);
                StringBuilder line = new StringBuilder();
                for (Direction d : Direction.values()) {
                    List<Long> cuts = cutPoints(bytes.get(d));
                    for (long k : cuts) {
                        cut(kind, d, k);
                    }
                    line.append(String.format(Locale.ROOT, "%s %d bytes, %d cuts; ", d, bytes.get(d), cuts.size()));
                }
                report.put(kind, line.toString());
                unprepare(kind);
                writeSummary(report, started, " (so far)");
            }
        }
        writeSummary(report, started, "");
    }

    /** Rewritten after every kind, so that a long sweep stopped early leaves its counts behind. */
    private void writeSummary(Map<Kind, String> report, long started, String note) throws java.io.IOException {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "unplug sweep (%s, seed %s) in %d s, slowest exit %d ms (bound %d ms)%s%n", ALL ? "every byte" : "sample",
                seedText(), (System.nanoTime() - started) / 1_000_000_000L, slowestExit, EXIT_BOUND_MILLIS, note));
        report.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-15s %s%n", k, v)));
        messages.forEach((m, n) -> sb.append(String.format(Locale.ROOT, "  %5d x %s%n", n, m)));
        System.out.println(sb);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "unplug-sweep-summary.txt"), sb.toString(), StandardCharsets.UTF_8);
    }

    private List<Long> cutPoints(long total) {
        TreeSet<Long> cuts = new TreeSet<>();
        if (ALL) {
            for (long k = 0; k < total; k++) {
                cuts.add(k);
            }
            return new ArrayList<>(cuts);
        }
        for (long k = 0; k < Math.min(HEAD, total); k++) {
            cuts.add(k);
        }
        for (int i = 0; i < SAMPLES && total > HEAD; i++) {
            cuts.add(HEAD + random.nextLong(total - HEAD));
        }
        return new ArrayList<>(cuts);
    }

    private void cut(Kind kind, Direction d, long k) throws Exception {
        String where = kind + " unplugged after " + k + " bytes " + d + " (seed " + seedText() + ")";
        Host.Result r;
        try (FaultRelay relay = FaultRelay.start(token.device, FaultPlan.unplugAfter(d, k))) {
            r = runOp(kind, relay.hostDevice());
            assertThat(relay.unplugged()).as("%s: the relay unplugged", where).isTrue();
        }
        assertThat(r.exit()).as("%s: %s", where, r).isEqualTo(4);
        List<String> message = Host.failureLines(r);
        assertThat(message).as("%s: one line", where).hasSize(1);
        assertThat(message.get(0)).as(where).startsWith("otptoken: ");
        messages.merge(message.get(0).replaceAll("/dev/pts/\\d+", "DEVICE"), 1, Integer::sum);
        assertThat(r.millis()).as("%s: time to exit", where).isLessThanOrEqualTo(EXIT_BOUND_MILLIS);
        slowestExit = Math.max(slowestExit, r.millis());
        checkAndRestore(kind, where);
    }

    private Host.Result runOp(Kind kind, Path device) {
        return switch (kind) {
            case PROVISION_TOTP -> Host.run(device, "provision", "--uri", fresh.uri("new"));
            case PROVISION_HOTP -> Host.run(device, "provision", "--uri", freshHotp.uri("new"));
            case CODE -> Host.run(device, "code", HOTP_NAME);
            case LIST -> Host.run(device, "list");
            case DELETE -> Host.run(device, "delete", TOTP_NAME);
            case RENAME -> Host.run(device, "rename", TOTP_NAME, MOVED_NAME);
            case INFO -> Host.run(device, "info");
            case PASSWORD_SET -> Host.withInput(device, PASSWORD + "\n", "password", "set", "--password-stdin");
            case PASSWORD_UNLOCK -> Host.withInput(device, PASSWORD + "\n", "password", "unlock", "--password-stdin");
            case PASSWORD_CLEAR -> Host.withInput(device, PASSWORD + "\n", "password", "clear", "--password-stdin");
            case RESET -> Host.run(device, "reset", "--force");
        };
    }

    /** A command over a fresh, clean relay: the next session. It must work. */
    private Host.Result clean(String where, String stdin, String... args) throws Exception {
        try (FaultRelay relay = FaultRelay.start(token.device, FaultPlan.CLEAN)) {
            Host.Result r = Host.withInput(relay.hostDevice(), stdin, args);
            assertThat(r.exit()).as("%s: next session %s: %s", where, List.of(args), r).isZero();
            return r;
        }
    }

    private void provisionBase() throws Exception {
        clean("base", "", "provision", "--uri", totp.uri("base-totp"));
        clean("base", "", "provision", "--uri", hotp.uri("base-hotp"));
        hotpNext = hotp.initialCounter + 1;
    }

    private void prepare(Kind kind) throws Exception {
        if (kind == Kind.PASSWORD_UNLOCK || kind == Kind.PASSWORD_CLEAR) {
            clean("prepare " + kind, PASSWORD + "\n", "password", "set", "--password-stdin");
            locked = true;
        }
    }

    private void unprepare(Kind kind) throws Exception {
        if (locked) {
            clean("after " + kind, PASSWORD + "\n", "password", "clear", "--password-stdin");
            locked = false;
        }
    }

    /** Lists over a clean line: name to "TYPE ALG DIGITS PERIOD". */
    private Map<String, String> listing(String where) throws Exception {
        Host.Result r = locked ? clean(where, PASSWORD + "\n", "list", "--password-stdin") : clean(where, "", "list");
        Map<String, String> columns = new LinkedHashMap<>();
        for (String line : r.out()) {
            String[] cols = COLUMNS.split(line.strip(), 2);
            columns.put(cols[0], cols.length > 1 ? COLUMNS.matcher(cols[1]).replaceAll(" ") : "");
        }
        return columns;
    }

    private String code(String where, String name) throws Exception {
        Host.Result r = locked ? clean(where, PASSWORD + "\n", "code", name, "--password-stdin")
                : clean(where, "", "code", name);
        assertThat(r.out()).as("%s: code %s", where, name).hasSize(1);
        String[] cols = COLUMNS.split(r.out().get(0).strip());
        assertThat(cols[0]).as(where).isEqualTo(name);
        return cols[1];
    }

    private boolean totpMatches(Credential c, String code, java.time.Instant before, java.time.Instant after) {
        for (long s = c.firstStep(before); s <= c.lastStep(after); s++) {
            if (c.totp(s).equals(code)) {
                return true;
            }
        }
        return false;
    }

    private void checkTotp(String where, Credential c, String name) throws Exception {
        java.time.Instant before = java.time.Instant.now();
        String got = code(where, name);
        java.time.Instant after = java.time.Instant.now();
        assertThat(totpMatches(c, got, before, after)).as("%s: TOTP code of %s", where, name).isTrue();
    }

    /** The base HOTP account's code: counter {@code hotpNext}, or one more when {@code mayHaveMoved}. */
    private void checkHotp(String where, boolean mayHaveMoved) throws Exception {
        String got = code(where, HOTP_NAME);
        if (got.equals(hotp.hotp(hotpNext))) {
            hotpNext++;
        } else if (mayHaveMoved && got.equals(hotp.hotp(hotpNext + 1))) {
            hotpNext += 2;
        } else {
            throw new AssertionError(where + ": HOTP code " + got + " is not counter " + hotpNext
                    + (mayHaveMoved ? " or " + (hotpNext + 1) : "") + " (moved twice, or went back?)");
        }
    }

    private Map<String, String> base() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TOTP_NAME, totp.listColumns());
        m.put(HOTP_NAME, hotp.listColumns());
        return m;
    }

    private Map<String, String> with(Map<String, String> m, String name, String columns) {
        Map<String, String> copy = new LinkedHashMap<>(m);
        if (columns == null) {
            copy.remove(name);
        } else {
            copy.put(name, columns);
        }
        return copy;
    }

    /** All or nothing, nothing else changed; then back to the base state. */
    private void checkAndRestore(Kind kind, String where) throws Exception {
        switch (kind) {
            case PROVISION_TOTP, PROVISION_HOTP -> {
                Credential c = kind == Kind.PROVISION_TOTP ? fresh : freshHotp;
                Map<String, String> l = listing(where);
                assertThat(l).as(where).isIn(base(), with(base(), NEW_NAME, c.listColumns()));
                if (l.containsKey(NEW_NAME)) {
                    if (c.type == OathType.TOTP) {
                        checkTotp(where, c, NEW_NAME);
                    } else {
                        // The proof may or may not have run before the cut: counter c or c+1, never more.
                        assertThat(code(where, NEW_NAME)).as(where)
                                .isIn(c.hotp(c.initialCounter), c.hotp(c.initialCounter + 1));
                    }
                    clean(where, "", "delete", NEW_NAME);
                }
                checkHotp(where, false);
            }
            case CODE -> {
                assertThat(listing(where)).as(where).isEqualTo(base());
                checkHotp(where, true);
            }
            case LIST, INFO, PASSWORD_UNLOCK -> {
                if (kind == Kind.PASSWORD_UNLOCK) {
                    assertLocked(where, true);
                }
                assertThat(listing(where)).as(where).isEqualTo(base());
                checkHotp(where, false);
            }
            case DELETE -> {
                Map<String, String> l = listing(where);
                assertThat(l).as(where).isIn(base(), with(base(), TOTP_NAME, null));
                if (!l.containsKey(TOTP_NAME)) {
                    clean(where, locked ? PASSWORD + "\n" : "", "provision", "--uri", totp.uri("base-totp"));
                }
                checkTotp(where, totp, TOTP_NAME);
                checkHotp(where, false);
            }
            case RENAME -> {
                Map<String, String> l = listing(where);
                Map<String, String> moved = with(with(base(), TOTP_NAME, null), MOVED_NAME, totp.listColumns());
                assertThat(l.entrySet()).as(where).isIn(base().entrySet(), moved.entrySet());
                if (l.containsKey(MOVED_NAME)) {
                    checkTotp(where, totp, MOVED_NAME);
                    clean(where, "", "rename", MOVED_NAME, TOTP_NAME);
                }
                checkTotp(where, totp, TOTP_NAME);
                checkHotp(where, false);
            }
            case PASSWORD_SET, PASSWORD_CLEAR -> {
                boolean nowLocked = probeLocked(where);
                assertThat(listing(where)).as(where).isEqualTo(base());
                checkHotp(where, false);
                if (kind == Kind.PASSWORD_SET && nowLocked) {
                    clean(where, PASSWORD + "\n", "password", "clear", "--password-stdin");
                    locked = false;
                } else if (kind == Kind.PASSWORD_CLEAR && !nowLocked) {
                    clean(where, PASSWORD + "\n", "password", "set", "--password-stdin");
                    locked = true;
                }
            }
            case RESET -> {
                assertLocked(where, false);
                Map<String, String> l = listing(where);
                assertThat(l).as(where).isIn(base(), Map.of());
                if (l.isEmpty()) {
                    provisionBase();
                } else {
                    checkTotp(where, totp, TOTP_NAME);
                    checkHotp(where, false);
                }
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    /** Whether the token asks for a password, over a clean line: exit 0 open, 6 locked, nothing else. */
    private boolean probeLocked(String where) throws Exception {
        try (FaultRelay relay = FaultRelay.start(token.device, FaultPlan.CLEAN)) {
            Host.Result r = Host.run(relay.hostDevice(), "list");
            assertThat(r.exit()).as("%s: list without a password: %s", where, r).isIn(0, 6);
            locked = r.exit() == 6;
            return locked;
        }
    }

    private void assertLocked(String where, boolean expected) throws Exception {
        assertThat(probeLocked(where)).as("%s: locked", where).isEqualTo(expected);
    }

    private static String seedText() {
        return "0x" + Long.toHexString(SEED);
    }
}
