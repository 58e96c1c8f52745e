package dev.otptoken.firmware.oath;

import dev.otptoken.firmware.runtime.CardRuntime;
import dev.otptoken.hardware.clock.VirtualTimeSource;
import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.protocol.oath.Oath;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** One token for tests: memory, clock, button and runtime with the OATH applet installed. */
final class OathHarness {
    static final HexFormat HEX = HexFormat.of().withUpperCase();
    static final String SELECT = "00A4040007A0000005272101";

    /** Replaced by a power-up from its own image on each {@link #powerCycle()}. */
    TransactionalMemory memory;
    final FakeRtc rtc = new FakeRtc();
    boolean touchAnswer = true;
    int touches;
    /** The token's true time: guess waits advance it instead of sleeping. */
    final VirtualTimeSource time = new VirtualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));
    /** Every guess wait asked for, in milliseconds, in order. */
    final List<Long> waits = new ArrayList<>();
    /** The failure count in memory at the moment of each wait (it must already be counted). */
    final List<Integer> countsDuringWaits = new ArrayList<>();
    OathApplet applet;
    CardRuntime runtime;
    private final long seed;

    OathHarness(TransactionalMemory memory, long seed) {
        this.memory = memory;
        this.seed = seed;
        boot();
    }

    OathHarness() {
        this(TransactionalMemory.fresh(), 1);
    }

    /**
     * A power cut and the next power-up: the memory is powered up from its physical image (its
     * journal recovery rolls back an unfinished transaction) and the runtime and applet boot on it.
     */
    void powerCycle() {
        memory = TransactionalMemory.powerUp(memory.physicalImage(), null);
        boot();
    }

    /** A fresh runtime and applet instance on the same memory (a power cycle). */
    void boot() {
        applet = new OathApplet(memory, rtc, t -> {
            touches++;
            return touchAnswer;
        }, new SeqRandom(seed), millis -> {
            waits.add(millis);
            countsDuringWaits.add(applet.failedValidations());
            time.advance(Duration.ofMillis(millis));
            return true;
        });
        runtime = new CardRuntime(memory);
        runtime.install(Oath.aid(), applet);
    }

    String tx(String hex) {
        return HEX.formatHex(runtime.transmit(HEX.parseHex(hex.replace(" ", ""))));
    }

    String select() {
        return tx(SELECT);
    }

    static String apdu(int ins, int p1, int p2, String data) {
        String d = data.replace(" ", "");
        return String.format(Locale.ROOT, "00%02X%02X%02X%02X", ins, p1, p2, d.length() / 2) + d;
    }

    static String tlv(int tag, String valueHex) {
        String v = valueHex.replace(" ", "");
        return String.format(Locale.ROOT, "%02X%02X", tag, v.length() / 2) + v;
    }

    static String text(String s) {
        return HEX.formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String put(String name, int typeAlg, int digits, byte[] key, String extra) {
        return apdu(Oath.INS_PUT, 0, 0, tlv(Oath.TAG_NAME, text(name))
                + tlv(Oath.TAG_KEY, String.format(Locale.ROOT, "%02X%02X", typeAlg, digits) + HEX.formatHex(key))
                + extra);
    }

    static String calc(String name, String challengeHex, int p2) {
        return apdu(Oath.INS_CALCULATE, 0, p2, tlv(Oath.TAG_NAME, text(name)) + tlv(Oath.TAG_CHALLENGE, challengeHex));
    }

    /** Deterministic "random" so that salts are reproducible across runs. */
    static final class SeqRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private long state;

        SeqRandom(long seed) {
            this.state = seed;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                state = state * 6364136223846793005L + 1442695040888963407L;
                bytes[i] = (byte) (state >>> 56);
            }
        }
    }
}
