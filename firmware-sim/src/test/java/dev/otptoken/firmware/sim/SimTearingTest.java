package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.testing.Hex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power cuts through the executable: every persistent operation is cut after its 1st,
 * 2nd, ... write until it completes; each time the token restarted on the same state
 * shows exactly the old or the new state and still works.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SimTearingTest {
    static final String KEY = "3132333435363738393031323334353637383930";
    static final String PUT_TEST = "00010000 1E 7104 74657374 7316 2106" + KEY;
    static final String PUT_HOTP = "00010000 1E 7104 686F7470 7316 1106" + KEY;
    static final String PUT_NEW = "00010000 1D 7103 6E6577 7316 2106" + KEY;
    static final String LIST = "00A10000";
    static final String CALC_HOTP = "00A20001 08 7104 686F7470 7400";
    /** HOTP of KEY, truncated (RFC 4226 Appendix D), for counters 0, 1, 2. */
    static final String[] HOTP = {"7605064C93CF18", "76050641397EEA",
        "760506082FEF30"};
    static final int MAX_CUTS = 200;

    @TempDir
    Path dir;

    interface Op {
        void run(TokenHarness t) throws Exception;
    }

    interface Check {
        /** Returns "old" or "new", failing if the state is neither. */
        String state(TokenHarness t) throws Exception;
    }

    /** The state every operation starts from: a TOTP and an HOTP account, nothing else. */
    Path base() throws Exception {
        Path base = dir.resolve("base.state");
        try (TokenHarness t = TokenHarness.inProcess(base, "--serial", "4242")) {
            t.connect();
            t.ok(TokenHarness.OATH_SELECT);
            t.ok(PUT_TEST);
            t.ok(PUT_HOTP);
            assertThat(t.quit()).isZero();
        }
        return base;
    }

    /** Cuts {@code op} after N = 1, 2, ... writes until it completes without a cut. */
    void tear(String selectAid, Op op, Check check, boolean viaProcess) throws Exception {
        Path base = base();
        Path state = dir.resolve("torn.state");
        boolean sawOld = false;
        boolean sawNew = false;
        for (int n = 1; n <= MAX_CUTS; n++) {
            Files.copy(base, state, StandardCopyOption.REPLACE_EXISTING);
            int status;
            try (TokenHarness t = viaProcess
                    ? TokenHarness.process(state, "--power-cut-after-writes", Integer.toString(n))
                    : TokenHarness.inProcess(state, "--power-cut-after-writes", Integer.toString(n))) {
                // A cut token never answers: the host's exchange fails with an IOException, and
                // that alone is tolerated, and only if the token really stopped for the cut. A
                // wrong answer (an AssertionError of op or ok) fails the test as what it is.
                java.io.IOException lost = null;
                if (t.attached()) {
                    try {
                        t.connect();
                        t.ok(selectAid);
                        op.run(t);
                    } catch (java.io.IOException e) {
                        lost = e;
                    }
                }
                if (t.attached() && lost == null) {
                    status = t.quit();
                    assertThat(status).as("N=%d: the operation completed, the token stops normally", n).isZero();
                } else {
                    String why = lost == null ? "the token never attached" : "the exchange failed: " + lost;
                    try {
                        status = t.exitStatus();
                    } catch (java.util.concurrent.TimeoutException e) {
                        throw new AssertionError("N=" + n + ": " + why + ", yet the token is still running", e);
                    }
                    assertThat(status).as("N=%d: %s, so the power must have been cut", n, why)
                            .isEqualTo(SimMain.EXIT_POWER_CUT);
                }
            }
            try (TokenHarness t = TokenHarness.inProcess(state)) {
                assertThat(t.attached()).as("restart after N=%d", n).isTrue();
                t.connect();
                t.ok(selectAid);
                String s = check.state(t);
                assertThat(s).as("N=%d", n).isIn("old", "new");
                sawOld |= s.equals("old");
                sawNew |= s.equals("new");
                if (status == 0) {
                    assertThat(s).as("a completed operation is durable").isEqualTo("new");
                }
                stillWorks(t);
                assertThat(t.quit()).isZero();
            }
            if (status == 0) {
                assertThat(sawOld).as("some cut left the old state").isTrue();
                assertThat(sawNew).isTrue();
                return;
            }
        }
        throw new AssertionError("the operation never completed in " + MAX_CUTS + " cuts");
    }

    static void stillWorks(TokenHarness t) throws Exception {
        t.ok(TokenHarness.OATH_SELECT);
        String r = t.send("00010000 1E 7104 776F726B 7316 2106" + KEY);
        if (r.equals("6982")) {
            return; // a password is set: the token refuses politely, which is working
        }
        assertThat(r).isEqualTo("9000");
        assertThat(t.ok(LIST)).contains("776F726B");
    }

    static String list(TokenHarness t) throws Exception {
        return t.ok(LIST);
    }

    static String oldOrNew(boolean isOld, boolean isNew) {
        assertThat(isOld ^ isNew).as("exactly old or new").isTrue();
        return isOld ? "old" : "new";
    }

    static Check listCheck(Predicate<String> old, Predicate<String> neu) {
        return t -> {
            String l = list(t);
            return oldOrNew(old.test(l), neu.test(l));
        };
    }

    @Test
    void put() throws Exception {
        tear(TokenHarness.OATH_SELECT, t -> t.ok(PUT_NEW),
                listCheck(l -> !l.contains("6E6577") && l.contains("74657374"),
                        l -> l.contains("6E6577") && l.contains("74657374")), false);
    }

    @Test
    void putThroughTheRealProcess() throws Exception {
        Path base = base();
        Path state = dir.resolve("p.state");
        for (int n = 1; n <= 3; n++) {
            Files.copy(base, state, StandardCopyOption.REPLACE_EXISTING);
            try (TokenHarness t = TokenHarness.process(state, "--power-cut-after-writes", Integer.toString(n))) {
                t.connect();
                t.ok(TokenHarness.OATH_SELECT);
                try {
                    t.send(PUT_NEW);
                } catch (java.io.IOException e) {
                    // the token died mid-command
                }
                assertThat(t.exitStatus()).as("N=%d", n).isEqualTo(SimMain.EXIT_POWER_CUT);
            }
            try (TokenHarness t = TokenHarness.inProcess(state)) {
                t.connect();
                t.ok(TokenHarness.OATH_SELECT);
                String l = list(t);
                assertThat(l).contains("74657374").contains("686F7470");
                stillWorks(t);
                assertThat(t.quit()).isZero();
            }
        }
    }

    @Test
    void delete() throws Exception {
        tear(TokenHarness.OATH_SELECT, t -> t.ok("00020000 06 7104 74657374"),
                listCheck(l -> l.contains("74657374"), l -> !l.contains("74657374") && l.contains("686F7470")),
                false);
    }

    @Test
    void rename() throws Exception {
        tear(TokenHarness.OATH_SELECT, t -> t.ok("00050000 0F 7104 74657374 7107 72656E616D6564"),
                listCheck(l -> l.contains("74657374") && !l.contains("72656E616D6564"),
                        l -> !l.contains("74657374") && l.contains("72656E616D6564")), false);
    }

    @Test
    void setCode() throws Exception {
        // key 16 bytes of 0x01; challenge 0x02*8; response = HMAC-SHA1(key, challenge)
        String key = "01".repeat(16);
        String challenge = "02".repeat(8);
        String response = Hex.of(hmacSha1(Hex.bytes(key), Hex.bytes(challenge)));
        String data = "7311 01" + key + "7408" + challenge + "7514" + response;
        tear(TokenHarness.OATH_SELECT, t -> t.ok("00030000 " + String.format("%02X", Hex.bytes(data).length) + data),
                t -> {
                    String select = t.ok(TokenHarness.OATH_SELECT);
                    boolean locked = select.contains("7408") || t.send(LIST).equals("6982");
                    return oldOrNew(!locked, locked);
                }, false);
    }

    @Test
    void reset() throws Exception {
        tear(TokenHarness.OATH_SELECT, t -> t.ok("0004DEAD"),
                listCheck(l -> l.contains("74657374") && l.contains("686F7470"), String::isEmpty), false);
    }

    @Test
    void hotpCalculation() throws Exception {
        tear(TokenHarness.OATH_SELECT, t -> assertThat(t.ok(CALC_HOTP)).isEqualTo(HOTP[0]),
                t -> {
                    String next = t.ok(CALC_HOTP);
                    return oldOrNew(next.equals(HOTP[0]), next.equals(HOTP[1]));
                }, false);
    }

    @Test
    void setClock() throws Exception {
        // 2100-01-01T00:00:00Z = 4102444800 s
        String micros = String.format("%016X", 4_102_444_800_000_000L);
        tear(TokenHarness.DEVICE_SELECT, t -> t.ok("80110000 0A 1008" + micros),
                t -> {
                    String clock = t.ok("80100000");
                    return oldOrNew(clock.endsWith("1408" + "0".repeat(16)), clock.endsWith("1408" + micros));
                }, false);
    }

    @Test
    void setTrim() throws Exception {
        tear(TokenHarness.DEVICE_SELECT, t -> t.ok("80120000 04 1102 FF9C"),
                t -> {
                    String clock = t.ok("80100000");
                    return oldOrNew(clock.contains("11020000"), clock.contains("1102FF9C"));
                }, false);
    }

    /** The curve (+10 ppm at 25 °C, k 0.034, no aging) and its first trim, −10, land together or not at all. */
    @Test
    void setCompensation() throws Exception {
        String curve = "3004 00002710 3102 09C4 3204 000084D0 3304 00000000 3408 0000000000000000 3504 00278D00";
        tear(TokenHarness.DEVICE_SELECT, t -> t.ok("80140000 26 " + curve),
                t -> {
                    String clock = t.ok("80100000");
                    String comp = t.ok("80130000");
                    return oldOrNew(comp.isEmpty() && clock.contains("11020000"),
                            comp.startsWith("300400002710") && clock.contains("1102FFF6"));
                }, false);
    }

    static byte[] hmacSha1(byte[] key, byte[] msg) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA1"));
        return mac.doFinal(msg);
    }
}
