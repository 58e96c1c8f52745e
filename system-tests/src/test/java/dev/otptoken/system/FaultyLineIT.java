package dev.otptoken.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.system.FaultPlan.Direction;
import dev.otptoken.system.TokenModel.Entry;
import dev.otptoken.system.TokenModel.Presence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of host commands through a {@link FaultRelay} at 1% byte corruption, checked
 * against a {@link TokenModel}: every printed code recomputed here, HOTP counters moved
 * exactly once per code, nothing lost, and every failure an exit 4 with one line.
 *
 * <p>"1%": each byte, in either direction, is hit by a fault with probability 0.01 (one
 * uniform draw per byte): 0.6% bit flips, 0.15% drops, 0.1% duplicates, 0.1% delays of
 * 1-400 ms, 0.05% truncations of the rest of the burst ({@link FaultPlan#mixed}).
 *
 * <p>Properties: {@code otptoken.faults.ops} (default 150: about 2.5 minutes), {@code otptoken.faults.seed}
 * (default 0x5eed), {@code otptoken.faults.rate} (default 0.01). Every violation names the
 * seed and the operation's index. Every {@value #VERIFY_EVERY} operations (and at the end)
 * the faulty relay is taken away and the token checked over a clean line (the host directly
 * on the token's pseudo-terminal); then a new relay starts with the next seed.
 */
class FaultyLineIT {
    static final int OPS = Integer.getInteger("otptoken.faults.ops", 150);
    static final long SEED = Long.decode(System.getProperty("otptoken.faults.seed", "0x5eed"));
    static final double RATE = Double.parseDouble(System.getProperty("otptoken.faults.rate", "0.01"));
    static final int VERIFY_EVERY = 100;
    /** Keeps LIST replies (and so the bytes per command) bounded. */
    static final int MAX_ACCOUNTS = 8;
    /** The whole run may take this long per operation, plus a fixed allowance; only a hang trips it. */
    static final Duration PER_OP_ALLOWANCE = Duration.ofSeconds(5);
    /** One command: the host's 60 s exchange bound plus slack. A command this slow is a violation. */
    static final long MAX_COMMAND_MILLIS = 75_000;
    static final Path SUMMARY = Path.of("target", "faulty-line-summary.txt");
    private static final Pattern INFO_ACCOUNTS = Pattern.compile("accounts\\s+(\\d+) of (\\d+)");
    private static final Pattern COLUMNS = Pattern.compile("\\s{2,}");

    enum Op { PROVISION, CODE_ONE, CODE_ALL, LIST, RENAME, DELETE, INFO }

    private static final Map<Op, Integer> WEIGHTS = new EnumMap<>(Map.of(Op.PROVISION, 20, Op.CODE_ONE, 30,
            Op.CODE_ALL, 10, Op.LIST, 10, Op.RENAME, 10, Op.DELETE, 10, Op.INFO, 10));

    @TempDir
    Path dir;

    private final TokenModel model = new TokenModel();
    private final Map<Op, long[]> outcomes = new EnumMap<>(Op.class);
    private final Map<String, Integer> failureMessages = new TreeMap<>();
    private final SplittableRandom random = new SplittableRandom(SEED);
    private int nextId;

    @Test
    void mixedOperationsThroughAFaultyLineKeepTheTokenRight() {
        Duration bound = PER_OP_ALLOWANCE.multipliedBy(OPS).plusMinutes(5);
        assertTimeoutPreemptively(bound, this::runAll, "seed " + seedText());
    }

    private void runAll() throws Exception {
        long started = System.nanoTime();
        Map<Direction, FaultCounts> faults = new EnumMap<>(Direction.class);
        for (Direction d : Direction.values()) {
            faults.put(d, FaultCounts.ZERO);
        }
        long maxFailMillis = 0;
        try (InProcessToken token = new InProcessToken(dir.resolve("token.state"))) {
            int epoch = 0;
            FaultRelay relay = FaultRelay.start(token.device, FaultPlan.mixed(RATE, SEED));
            try {
                for (int i = 0; i < OPS && model.violations.size() < 20; i++) {
                    Host.Result r = step(i, relay.hostDevice());
                    if (r.exit() == 4) {
                        maxFailMillis = Math.max(maxFailMillis, r.millis());
                    }
                    if ((i + 1) % VERIFY_EVERY == 0 || i == OPS - 1) {
                        relay.close();
                        for (Direction d : Direction.values()) {
                            faults.put(d, faults.get(d).plus(relay.counts(d)));
                        }
                        verifyClean("after op #" + i, token.device, false);
                        // A checkpoint: a long run stopped early still leaves honest counts behind.
                        Files.writeString(SUMMARY, summary(faults, i + 1, (System.nanoTime() - started) / 1_000_000_000L,
                                maxFailMillis), StandardCharsets.UTF_8);
                        epoch++;
                        relay = FaultRelay.start(token.device, FaultPlan.mixed(RATE, SEED + epoch));
                    }
                }
            } finally {
                relay.close();
            }
            verifyClean("at the end", token.device, true);
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        long done = outcomes.values().stream().mapToLong(o -> o[0] + o[1]).sum();
        String summary = summary(faults, done, seconds, maxFailMillis) + "  (final, including the clean checks)"
                + System.lineSeparator();
        System.out.println(summary);
        Files.writeString(SUMMARY, summary, StandardCharsets.UTF_8);

        assertThat(model.violations).as("violations (seed %s)", seedText()).isEmpty();
        assertThat(model.wrongCodes).isZero();
        assertThat(model.duplicates).isZero();
        assertThat(model.lost).isZero();
        long failures = outcomes.values().stream().mapToLong(o -> o[1]).sum();
        FaultCounts all = faults.get(Direction.HOST_TO_TOKEN).plus(faults.get(Direction.TOKEN_TO_HOST));
        // The line really was bad, and the commands really ran.
        assertThat(all.flipped()).as("bit flips injected").isPositive();
        assertThat(model.codesChecked).as("codes checked").isPositive();
        assertThat(failures).as("failures").isLessThan(OPS);
    }

    private Host.Result step(int i, Path device) {
        Op op = choose();
        String where = "op #" + i + " " + op + " (seed " + seedText() + ")";
        List<Entry> present = model.present();
        Entry target = present.isEmpty() ? null : present.get(random.nextInt(present.size()));
        Host.Result r;
        switch (op) {
            case PROVISION -> {
                String account = String.format(Locale.ROOT, "a%05d", nextId++);
                String name = Credential.ISSUER + ":" + account;
                Credential c = Credential.random(random, random.nextBoolean() ? OathType.TOTP : OathType.HOTP);
                r = Host.run(device, "provision", "--uri", c.uri(account));
                if (r.exit() == 0) {
                    if (!r.out().equals(List.of(device + ": 1 of 1 accounts in and proven (" + name + ")"))) {
                        model.violation(where + ": unexpected output " + r.out());
                    }
                    model.provisioned(name, c);
                } else if (r.exit() == 4) {
                    model.provisionFailed(name, c);
                }
            }
            case CODE_ONE -> {
                r = Host.run(device, "code", target.name);
                if (r.exit() == 0) {
                    Map<String, String> codes = codes(where, r);
                    if (codes.size() != 1 || !codes.containsKey(target.name)) {
                        model.violation(where + ": expected one code for " + target.name + ", got " + r.out());
                    } else {
                        model.checkCode(where, target, codes.get(target.name), r.before(), r.after());
                    }
                } else if (r.exit() == 4) {
                    model.mayHaveCalculated(List.of(target));
                }
            }
            case CODE_ALL -> {
                // Without a query HOTP accounts are named, not computed: whatever happens on the
                // line, no counter moves, so a failed run leaves every counter where it was.
                r = Host.run(device, "code");
                if (r.exit() == 0) {
                    Map<String, String> codes = codes(where, r);
                    for (Entry e : model.reconcile(where, codes.keySet())) {
                        String code = codes.get(e.name);
                        boolean named = code.equals(HOTP_MARK);
                        if (named != (e.credential.type == OathType.HOTP)) {
                            model.violation(where + ": " + e.name + " (" + e.credential.type + ") shown as " + code);
                        } else if (!named) {
                            model.checkCode(where, e, code, r.before(), r.after());
                        }
                    }
                }
            }
            case LIST -> {
                r = Host.run(device, "list");
                if (r.exit() == 0) {
                    checkList(where, r);
                }
            }
            case RENAME -> {
                String to = String.format(Locale.ROOT, "%s:a%05d", Credential.ISSUER, nextId++);
                r = Host.run(device, "rename", target.name, to);
                if (r.exit() == 0) {
                    model.renamed(target.name, to);
                } else if (r.exit() == 4) {
                    model.renameFailed(target.name, to);
                }
            }
            case DELETE -> {
                r = Host.run(device, "delete", target.name);
                if (r.exit() == 0) {
                    model.deleted(target.name);
                } else if (r.exit() == 4) {
                    model.deleteFailed(target.name);
                }
            }
            case INFO -> {
                r = Host.run(device, "info");
                if (r.exit() == 0) {
                    checkInfo(where, r);
                }
            }
            default -> throw new IllegalStateException("unknown op " + op);
        }
        long[] o = outcomes.computeIfAbsent(op, k -> new long[2]);
        if (r.exit() == 0) {
            o[0]++;
        } else if (r.exit() == 4) {
            o[1]++;
            checkFailureMessage(where, r);
        } else {
            model.violation(where + ": exit " + r.exit() + " (only 0 or 4 allowed): " + r);
        }
        if (r.millis() > MAX_COMMAND_MILLIS) {
            model.violation(where + ": took " + r.millis() + " ms");
        }
        return r;
    }

    private Op choose() {
        int total = WEIGHTS.values().stream().mapToInt(Integer::intValue).sum();
        int pick = random.nextInt(total);
        Op op = Op.INFO;
        for (Map.Entry<Op, Integer> w : WEIGHTS.entrySet()) {
            pick -= w.getValue();
            if (pick < 0) {
                op = w.getKey();
                break;
            }
        }
        boolean none = model.present().isEmpty();
        boolean full = model.accounts.size() >= MAX_ACCOUNTS;
        if (op == Op.PROVISION && full && !none) {
            return Op.DELETE;
        }
        if ((op == Op.CODE_ONE || op == Op.RENAME || op == Op.DELETE) && none) {
            return full ? Op.LIST : Op.PROVISION;
        }
        return op;
    }

    /** Exit 4: exactly one line of failure (provision's progress lines aside), on standard error. */
    private void checkFailureMessage(String where, Host.Result r) {
        List<String> lines = Host.failureLines(r);
        if (lines.size() != 1 || !lines.get(0).startsWith("otptoken: ")) {
            model.violation(where + ": exit 4 without exactly one message line: " + r.err());
            return;
        }
        String kind = lines.get(0).replaceAll("/dev/pts/\\d+", "DEVICE").replaceAll("\\d+", "N");
        failureMessages.merge(kind, 1, Integer::sum);
    }

    /** What {@code code} without a query shows for an HOTP account instead of computing it. */
    private static final String HOTP_MARK = "[HOTP]";

    private Map<String, String> codes(String where, Host.Result r) {
        Map<String, String> codes = new LinkedHashMap<>();
        for (String line : r.out()) {
            String[] cols = COLUMNS.split(line.strip());
            if (cols.length != 2 || !(cols[1].matches("\\d{6,8}") || cols[1].equals(HOTP_MARK))) {
                model.violation(where + ": unreadable code line '" + line + "'");
                continue;
            }
            codes.put(cols[0], cols[1]);
        }
        return codes;
    }

    private void checkList(String where, Host.Result r) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String line : r.out()) {
            String[] cols = COLUMNS.split(line.strip(), 2);
            if (cols.length != 2) {
                model.violation(where + ": unreadable list line '" + line + "'");
                continue;
            }
            columns.put(cols[0], COLUMNS.matcher(cols[1]).replaceAll(" "));
        }
        for (Entry e : model.reconcile(where, columns.keySet())) {
            if (!columns.get(e.name).equals(e.credential.listColumns())) {
                model.violation(where + ": " + e.name + " listed as '" + columns.get(e.name) + "', provisioned as '"
                        + e.credential.listColumns() + "'");
            }
        }
    }

    private void checkInfo(String where, Host.Result r) {
        Matcher m = INFO_ACCOUNTS.matcher(String.join("\n", r.out()));
        if (!m.find()) {
            model.violation(where + ": info without an accounts line: " + r.out());
            return;
        }
        long used = Long.parseLong(m.group(1));
        long sure = model.present().size();
        if (used < sure || used > sure + model.maybeCount()) {
            model.violation(where + ": info says " + used + " accounts, the model " + sure + " (+" + model.maybeCount()
                    + " uncertain)");
        }
    }

    /** Over a clean line: the listing resolves every uncertainty; at the end every account's code is checked too. */
    private void verifyClean(String when, Path tokenDevice, boolean codes) {
        String where = "clean check " + when + " (seed " + seedText() + ")";
        Host.Result r = Host.run(tokenDevice, "list");
        if (r.exit() != 0) {
            model.violation(where + ": list failed on a clean line: " + r);
            return;
        }
        checkList(where, r);
        if (!codes) {
            return;
        }
        for (Entry e : List.copyOf(model.accounts.values())) {
            Host.Result c = Host.run(tokenDevice, "code", e.name);
            Map<String, String> got = codes(where, c);
            if (c.exit() != 0 || !got.containsKey(e.name)) {
                model.violation(where + ": no code for " + e.name + ": " + c);
            } else {
                model.checkCode(where, e, got.get(e.name), c.before(), c.after());
            }
        }
        assertThat(model.accounts.values()).allMatch(e -> e.presence == Presence.YES);
    }

    private String summary(Map<Direction, FaultCounts> faults, long done, long seconds, long maxFailMillis) {
        long ok = outcomes.values().stream().mapToLong(o -> o[0]).sum();
        long failed = outcomes.values().stream().mapToLong(o -> o[1]).sum();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "faulty line: %d of %d ops (seed %s, rate %.4f) in %d s: %d succeeded, %d exit 4,"
                        + " slowest exit-4 %d ms%n", done, OPS, seedText(), RATE, seconds, ok, failed, maxFailMillis));
        for (Map.Entry<Op, long[]> e : outcomes.entrySet()) {
            sb.append(String.format(Locale.ROOT, "  %-9s %6d ok %6d exit 4%n", e.getKey(), e.getValue()[0],
                    e.getValue()[1]));
        }
        for (Direction d : Direction.values()) {
            sb.append("  ").append(d).append(": ").append(faults.get(d)).append(System.lineSeparator());
        }
        sb.append(String.format(Locale.ROOT, "  codes checked %d, wrong codes %d, duplicated side effects %d,"
                        + " lost accounts %d, ghost accounts %d, violations %d%n", model.codesChecked, model.wrongCodes,
                model.duplicates, model.lost, model.ghosts, model.violations.size()));
        failureMessages.forEach((m, n) -> sb.append(String.format(Locale.ROOT, "  %5d x %s%n", n, m)));
        model.violations.stream().limit(20).forEach(v -> sb.append("  VIOLATION ").append(v).append(System.lineSeparator()));
        return sb.toString();
    }

    private static String seedText() {
        return "0x" + Long.toHexString(SEED);
    }

    static {
        try {
            Files.createDirectories(Path.of("target"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
