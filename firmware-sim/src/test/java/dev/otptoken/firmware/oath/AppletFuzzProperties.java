package dev.otptoken.firmware.oath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.protocol.fuzz.FuzzSupport;
import dev.otptoken.firmware.runtime.CardRuntime;
import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.protocol.apdu.CommandApdu;
import dev.otptoken.protocol.apdu.StatusWord;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.tlv.Tlv;
import dev.otptoken.protocol.tlv.TlvFormatException;
import dev.otptoken.protocol.tlv.TlvReader;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Example;

/**
 * Fuzzes the OATH applet through {@link CardRuntime#transmit} on a {@link TransactionalMemory}:
 * random APDUs and mutations of real YKOATH commands give only documented status words
 * ({@link StatusWord} constants, 61xx, 9000; never 6F00), and after any error status the user
 * area of the memory is byte-for-byte what it was before the command. Three token states: open
 * with accounts of every kind, password-locked (with a correct VALIDATE among the seeds, so the
 * fuzzer also works unlocked), and a memory with every slot taken.
 */
class AppletFuzzProperties {
    private static final long CI_INPUTS = 20_000;
    private static final int BATCH = 5_000;
    /** Commands on one token before it is restored, so that successful changes do not pile up. */
    private static final int RESTORE_EVERY = 200;
    private static final int MAX_RANDOM = 270;
    private static final int MAX_SHORT_LC = 255;
    private static final int SW1_MASK = 0xFF00;
    private static final int MORE_DATA = StatusWord.SW1_MORE_DATA << Byte.SIZE;
    private static final int SLOTS_WHEN_FULL = 3;
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PW_KEY = HEX.parseHex("00112233445566778899aabbccddeeff");
    private static final byte[] CHALLENGE = HEX.parseHex("0102030405060708");
    private static final int SHA1 = 0x01;
    private static final int TOTP = 0x20;
    private static final int HOTP = 0x10;
    private static final Set<Integer> DOCUMENTED = documentedStatusWords();

    private enum State { OPEN, LOCKED, FULL }

    /** One token, rebuilt from a saved physical image. */
    private static final class Token {
        final TransactionalMemory memory;
        final CardRuntime runtime;
        final byte[] userBefore;
        final byte[] userAfter;
        byte[] validate;

        Token(byte[] image, long seed) {
            memory = TransactionalMemory.powerUp(image, null);
            Random touches = new Random(seed);
            // guesses are counted, never waited for: the schedule has its own tests
            OathApplet applet = new OathApplet(memory, new FakeRtc(), t -> touches.nextBoolean(),
                    new OathHarness.SeqRandom(seed), millis -> true);
            runtime = new CardRuntime(memory);
            runtime.install(Oath.aid(), applet);
            userBefore = new byte[memory.size()];
            userAfter = new byte[memory.size()];
            send(SELECT);
        }

        /** Sends one command; after SELECT, prepares the VALIDATE that answers its challenge. */
        byte[] send(byte[] command) {
            byte[] r = runtime.transmit(command);
            if (Arrays.equals(command, SELECT) && sw(r) == StatusWord.OK) {
                validate = validateFor(r);
            }
            return r;
        }
    }

    private static final byte[] SELECT = CommandApdu.select(Oath.aid()).encode();

    @Example
    void anyCommandGivesADocumentedStatusAndErrorsLeaveMemoryUnchanged() {
        byte[][] images = {openImage(), lockedImage(), fullImage()};
        List<byte[]> corpus = corpus();
        Token[] token = new Token[1];
        Map<Integer, Long> seen = new TreeMap<>();
        FuzzSupport.run("applet", FuzzSupport.inputs("applet", CI_INPUTS), BATCH, (random, i) -> {
            if (i % RESTORE_EVERY == 0) {
                token[0] = new Token(images[(int) (i / RESTORE_EVERY % images.length)], random.nextLong());
            }
            Token t = token[0];
            byte[] command = command(random, corpus, t);
            t.memory.read(0, t.userBefore, 0, t.userBefore.length);
            byte[] r = t.send(command);
            int sw = sw(r);
            seen.merge(sw, 1L, Long::sum);
            assertThat(DOCUMENTED.contains(sw) || (sw & SW1_MASK) == MORE_DATA)
                    .as("status %04X for %s", sw, HEX.formatHex(command)).isTrue();
            if (sw != StatusWord.OK && (sw & SW1_MASK) != MORE_DATA) {
                assertThat(r).as("data with error %04X", sw).hasSize(2);
                t.memory.read(0, t.userAfter, 0, t.userAfter.length);
                if (sw == StatusWord.REFERENCE_DATA_NOT_USABLE && command.length > 1
                        && (command[1] & 0xFF) == Oath.INS_VALIDATE
                        && t.userAfter[AccountStore.H_FAILURES] != t.userBefore[AccountStore.H_FAILURES]) {
                    // a wrong password is the one refusal that must change memory: it is counted
                    assertThat(t.userAfter[AccountStore.H_FAILURES] & 0xFF)
                            .isEqualTo(Math.min((t.userBefore[AccountStore.H_FAILURES] & 0xFF) + 1,
                                    ValidateThrottle.MAX_COUNT));
                    t.userAfter[AccountStore.H_FAILURES] = t.userBefore[AccountStore.H_FAILURES];
                }
                assertThat(Arrays.equals(t.userBefore, t.userAfter))
                        .as("memory changed by %s answered %04X", HEX.formatHex(command), sw).isTrue();
            }
            assertThat(t.memory.inTransaction()).isFalse();
            if (random.nextInt(64) == 0) {
                t.runtime.warmReset();
            }
        });
        // How deep the inputs got: a run that only ever sees 6A82 or 6D00 tests little.
        StringBuilder hist = new StringBuilder("applet status words:");
        seen.forEach((k, v) -> hist.append(String.format(Locale.ROOT, " %04X=%d", k, v)));
        System.out.println(hist);
        assertThat(seen).containsKeys(StatusWord.OK, StatusWord.SECURITY_STATUS_NOT_SATISFIED, StatusWord.WRONG_DATA);
    }

    private static byte[] command(Random random, List<byte[]> corpus, Token t) {
        return switch (random.nextInt(8)) {
            case 0 -> FuzzSupport.randomBytes(random, MAX_RANDOM);
            case 1 -> wellFramed(random);
            case 2 -> SELECT;
            case 3 -> t.validate != null ? FuzzSupport.mutate(random, t.validate, corpus) : SELECT;
            case 4 -> corpus.get(random.nextInt(corpus.size()));
            default -> FuzzSupport.mutate(random, corpus);
        };
    }

    /** CLA 00, a random INS (mostly YKOATH ones), P1, P2 and a body whose Lc is right. */
    private static byte[] wellFramed(Random random) {
        int[] ins = {Oath.INS_PUT, Oath.INS_DELETE, Oath.INS_SET_CODE, Oath.INS_RESET, Oath.INS_RENAME,
            Oath.INS_LIST, Oath.INS_CALCULATE, Oath.INS_VALIDATE, Oath.INS_CALCULATE_ALL, Oath.INS_SEND_REMAINING};
        int in = random.nextInt(4) == 0 ? random.nextInt(256) : ins[random.nextInt(ins.length)];
        byte[] data = FuzzSupport.randomBytes(random, MAX_SHORT_LC);
        return CommandApdu.of(Oath.CLA, in, random.nextInt(256), random.nextInt(256), data).encode();
    }

    /** Real YKOATH commands, as ykman and yubikit send them. */
    private static List<byte[]> corpus() {
        List<byte[]> c = new ArrayList<>();
        c.add(SELECT);
        c.add(cmd(Oath.INS_LIST, 0, 0, new byte[0]));
        c.add(cmd(Oath.INS_CALCULATE_ALL, 0, Oath.P2_TRUNCATED, tlv(Oath.TAG_CHALLENGE, CHALLENGE)));
        c.add(cmd(Oath.INS_CALCULATE_ALL, 0, Oath.P2_FULL, tlv(Oath.TAG_CHALLENGE, CHALLENGE)));
        for (String name : List.of("totp", "hotp", "touch", "sha512", "missing")) {
            c.add(cmd(Oath.INS_CALCULATE, 0, Oath.P2_TRUNCATED, cat(tlv(Oath.TAG_NAME, utf8(name)),
                    tlv(Oath.TAG_CHALLENGE, CHALLENGE))));
            c.add(cmd(Oath.INS_DELETE, 0, 0, tlv(Oath.TAG_NAME, utf8(name))));
        }
        c.add(cmd(Oath.INS_CALCULATE, 0, Oath.P2_FULL, cat(tlv(Oath.TAG_NAME, utf8("hotp")),
                tlv(Oath.TAG_CHALLENGE, new byte[0]))));
        c.add(put("new", TOTP | SHA1, 6, KEY, new byte[0]));
        c.add(put("totp", TOTP | SHA1, 8, KEY, new byte[] {(byte) Oath.TAG_PROPERTY, Oath.PROP_REQUIRE_TOUCH}));
        c.add(put("h2", HOTP | SHA1, 6, KEY, tlv(Oath.TAG_IMF, new byte[] {0, 0, 0, 9})));
        c.add(put("x".repeat(Oath.MAX_NAME_LENGTH), TOTP | 0x03, 8, new byte[Oath.MAX_NAME_LENGTH], new byte[0]));
        c.add(cmd(Oath.INS_RENAME, 0, 0, cat(tlv(Oath.TAG_NAME, utf8("totp")), tlv(Oath.TAG_NAME, utf8("renamed")))));
        c.add(setCode());
        c.add(cmd(Oath.INS_SET_CODE, 0, 0, tlv(Oath.TAG_KEY, new byte[0])));
        c.add(cmd(Oath.INS_VALIDATE, 0, 0, cat(tlv(Oath.TAG_RESPONSE, new byte[20]), tlv(Oath.TAG_CHALLENGE, CHALLENGE))));
        c.add(cmd(Oath.INS_RESET, Oath.P1_RESET, Oath.P2_RESET, new byte[0]));
        c.add(HEX.parseHex("00a5000000"));
        c.add(HEX.parseHex("00a4040008a000000527210102"));
        return c;
    }

    private static byte[] openImage() {
        Token t = new Token(TransactionalMemory.fresh().physicalImage(), 1);
        for (byte[] p : List.of(put("totp", TOTP | SHA1, 6, KEY, new byte[0]),
                put("hotp", HOTP | SHA1, 6, KEY, new byte[] {(byte) Oath.TAG_PROPERTY, Oath.PROP_ONLY_INCREASING}),
                put("touch", TOTP | 0x02, 8, KEY, new byte[] {(byte) Oath.TAG_PROPERTY, Oath.PROP_REQUIRE_TOUCH}),
                put("sha512", TOTP | 0x03, 8, new byte[Oath.MAX_NAME_LENGTH], new byte[0]))) {
            assertThat(sw(t.send(p))).isEqualTo(StatusWord.OK);
        }
        return t.memory.physicalImage();
    }

    private static byte[] lockedImage() {
        Token t = new Token(openImage(), 1);
        assertThat(sw(t.send(setCode()))).isEqualTo(StatusWord.OK);
        byte[] image = t.memory.physicalImage();
        Token locked = new Token(image, 1);
        assertThat(sw(locked.send(corpus().get(1)))).isEqualTo(StatusWord.SECURITY_STATUS_NOT_SATISFIED);
        assertThat(sw(locked.send(SELECT))).isEqualTo(StatusWord.OK);
        assertThat(sw(locked.send(locked.validate))).isEqualTo(StatusWord.OK);
        return image;
    }

    private static byte[] fullImage() {
        int size = AccountStore.HEADER_SIZE + SLOTS_WHEN_FULL * AccountStore.RECORD_SIZE;
        Token t = new Token(
                TransactionalMemory.fresh(size, TransactionalMemory.MIN_JOURNAL_SIZE, null).physicalImage(), 1);
        for (int n = 0; n < SLOTS_WHEN_FULL; n++) {
            assertThat(sw(t.send(put("totp" + n, TOTP | SHA1, 6, KEY, new byte[0])))).isEqualTo(StatusWord.OK);
        }
        assertThat(sw(t.send(put("one more", TOTP | SHA1, 6, KEY, new byte[0]))))
                .isEqualTo(StatusWord.NOT_ENOUGH_MEMORY);
        return t.memory.physicalImage();
    }

    /** SET CODE with the host's proof that it knows the key (HMAC of our challenge). */
    private static byte[] setCode() {
        byte[] key = cat(new byte[] {(byte) (TOTP | SHA1)}, PW_KEY);
        return cmd(Oath.INS_SET_CODE, 0, 0, cat(tlv(Oath.TAG_KEY, key), tlv(Oath.TAG_CHALLENGE, CHALLENGE),
                tlv(Oath.TAG_RESPONSE, hmacSha1(PW_KEY, CHALLENGE))));
    }

    /** The VALIDATE that unlocks after this SELECT response, or null if it has no challenge. */
    private static byte[] validateFor(byte[] selectResponse) {
        try {
            for (Tlv tlv : TlvReader.parseAll(Arrays.copyOf(selectResponse, selectResponse.length - 2))) {
                if (tlv.tag() == Oath.TAG_CHALLENGE) {
                    return cmd(Oath.INS_VALIDATE, 0, 0, cat(tlv(Oath.TAG_RESPONSE, hmacSha1(PW_KEY, tlv.value())),
                            tlv(Oath.TAG_CHALLENGE, CHALLENGE)));
                }
            }
            return null;
        } catch (TlvFormatException e) {
            throw new AssertionError("SELECT answered malformed TLVs", e);
        }
    }

    private static byte[] hmacSha1(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<Integer> documentedStatusWords() {
        Set<Integer> sws = new HashSet<>();
        for (Field f : StatusWord.class.getFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == int.class
                    && !f.getName().startsWith("SW1_")) {
                try {
                    sws.add(f.getInt(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        // An internal error is a bug, never an answer.
        sws.remove(StatusWord.UNKNOWN);
        return Set.copyOf(sws);
    }

    private static int sw(byte[] r) {
        return (r[r.length - 2] & 0xFF) << Byte.SIZE | r[r.length - 1] & 0xFF;
    }

    private static byte[] put(String name, int typeAlg, int digits, byte[] key, byte[] extra) {
        return cmd(Oath.INS_PUT, 0, 0, cat(tlv(Oath.TAG_NAME, utf8(name)),
                tlv(Oath.TAG_KEY, cat(new byte[] {(byte) typeAlg, (byte) digits}, key)), extra));
    }

    private static byte[] cmd(int ins, int p1, int p2, byte[] data) {
        return CommandApdu.of(Oath.CLA, ins, p1, p2, data).encode();
    }

    private static byte[] tlv(int tag, byte[] value) {
        return new Tlv(tag, value).encode();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
