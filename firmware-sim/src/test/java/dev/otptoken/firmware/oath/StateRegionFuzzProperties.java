package dev.otptoken.firmware.oath;

import static dev.otptoken.firmware.oath.OathHarness.HEX;
import static dev.otptoken.firmware.oath.OathHarness.calc;
import static dev.otptoken.firmware.oath.OathHarness.put;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.firmware.device.DeviceState;
import dev.otptoken.firmware.runtime.CardRuntime;
import dev.otptoken.firmware.runtime.CorruptRegionException;
import dev.otptoken.firmware.testing.HmacSha1;
import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.protocol.fuzz.FuzzSupport;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OathType;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.Example;

/**
 * Fuzzes the applet regions of a state file behind its checksum: a token memory with accounts of
 * every kind and a password is mutated inside the OATH region and the device record (flipped
 * bits, interesting bytes, random runs at record offsets), and loaded as {@code otptoken-sim}
 * loads a state file. The rule (docs/reliability.md, "Fuzzing"): the regions are either refused
 * with a {@link CorruptRegionException} that says why, or accepted — and then every command and
 * every button action on the token answers without an exception: documented status words over
 * the wire, codes on the display. A record the checks let through must never crash the token
 * later (the crash on the first press that the region checks were written for).
 */
class StateRegionFuzzProperties {
    private static final long CI_INPUTS = 20_000;
    private static final int BATCH = 2_000;
    private static final int MEMORY_SIZE = 32 * 1024;
    private static final int DEVICE_BASE = MEMORY_SIZE - DeviceState.SIZE;
    private static final int SLOT_SPAN = 256;
    private static final int MAX_MUTATIONS = 6;
    private static final int MAX_RUN = 12;
    private static final int INTERNAL_ERROR = 0x6F00;
    private static final byte[] INTERESTING = {0x00, (byte) 0xFF, 0x7F, (byte) 0x80, 0x01, 0x40, 0x41,
        (byte) 0xC8, 0x06, 0x08, 0x0E, 0x21, 0x13, 0x20, 0x10, 0x02};
    private static final byte[] KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY64 = new byte[64];
    private static final String LIST = "00A10000";
    private static final String CALCULATE_ALL = "00A400010A74080000000000000001";

    @Example
    void mutatedAppletRegionsAreRefusedOrServed() {
        byte[] open = baseToken(false).physicalImage();
        byte[] locked = baseToken(true).physicalImage();
        int userStart = open.length - MEMORY_SIZE;
        long n = FuzzSupport.inputs("state-regions", CI_INPUTS);
        long[] outcomes = new long[2];
        FuzzSupport.run("state-regions", n, BATCH, (random, index) -> {
            byte[] image = (random.nextBoolean() ? open : locked).clone();
            mutate(random, image, userStart);
            outcomes[fuzzOne(image, random.nextLong()) ? 1 : 0]++;
        });
        System.out.printf("state-regions: %d refused, %d accepted and served%n", outcomes[0], outcomes[1]);
        assertThat(outcomes[0]).as("refused inputs").isGreaterThan(n / 20);
        assertThat(outcomes[1]).as("accepted inputs").isGreaterThan(n / 20);
    }

    /** Accounts of every kind (TOTP/HOTP, SHA-1/256/512, 6-8 digits, touch, period prefix) and a password. */
    private static TransactionalMemory baseToken(boolean password) {
        OathHarness t = new OathHarness(TransactionalMemory.fresh(MEMORY_SIZE, TransactionalMemory.DEFAULT_JOURNAL_SIZE,
                null), 7);
        assertThat(t.select()).endsWith("9000");
        assertThat(t.tx(put("Example:alice", 0x21, 6, KEY, ""))).isEqualTo("9000");
        assertThat(t.tx(put("60/Acme:bob", 0x22, 8, KEY, "7802"))).isEqualTo("9000");
        assertThat(t.tx(put("hotp", 0x11, 7, KEY, "7A0400000005"))).isEqualTo("9000");
        assertThat(t.tx(put("long", 0x23, 8, KEY64, ""))).isEqualTo("9000");
        if (!password) {
            return t.memory;
        }
        assertThat(t.tx("0003000033" + "7311" + "21" + "00112233445566778899AABBCCDDEEFF" + "74080102030405060708"
                + "7514" + HmacSha1.hex("00112233445566778899AABBCCDDEEFF", "0102030405060708"))).isEqualTo("9000");
        return t.memory;
    }

    private static void mutate(Random random, byte[] image, int userStart) {
        int mutations = 1 + random.nextInt(MAX_MUTATIONS);
        for (int m = 0; m < mutations; m++) {
            // the OATH region's header and first slots, or the device record
            int offset = random.nextInt(4) == 0
                    ? DEVICE_BASE + random.nextInt(DeviceState.SIZE)
                    : random.nextInt(SLOT_SPAN * 6);
            int at = userStart + offset;
            switch (random.nextInt(3)) {
                case 0 -> image[at] ^= (byte) (1 << random.nextInt(Byte.SIZE));
                case 1 -> image[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                default -> {
                    int len = 1 + random.nextInt(MAX_RUN);
                    for (int i = 0; i < len && at + i < image.length; i++) {
                        image[at + i] = (byte) random.nextInt();
                    }
                }
            }
        }
    }

    /** True when the regions were accepted (and the token then served every command), false when refused. */
    private static boolean fuzzOne(byte[] image, long seed) throws Exception {
        TransactionalMemory memory = TransactionalMemory.powerUp(image, null);
        try {
            DeviceState.inspect(memory, DEVICE_BASE);
            AccountStore.inspectRegion(memory, 0, DEVICE_BASE);
        } catch (CorruptRegionException refused) {
            assertThat(refused.getMessage()).as("a refusal says why").isNotBlank();
            return false;
        }
        FakeRtc rtc = new FakeRtc();
        OathApplet applet = new OathApplet(memory, 0, DEVICE_BASE, rtc, t -> true, new OathHarness.SeqRandom(seed),
                millis -> true);
        CardRuntime runtime = new CardRuntime(memory);
        runtime.install(Oath.aid(), applet);
        for (String command : new String[] {OathHarness.SELECT, LIST, CALCULATE_ALL, calc("Example:alice", "0000000000000001", 1),
            calc("hotp", "", 1), put("new", 0x21, 6, KEY, ""), "0002000005" + "71036E6577"}) {
            byte[] response = runtime.transmit(HEX.parseHex(command));
            assertThat(response.length).as("a status word for %s", command).isGreaterThanOrEqualTo(2);
            int sw = (response[response.length - 2] & 0xFF) << Byte.SIZE | (response[response.length - 1] & 0xFF);
            assertThat(sw).as("no internal error for %s", command).isNotEqualTo(INTERNAL_ERROR);
        }
        // the button's path reads the records directly
        for (int i = 0; i < applet.accountsUsed(); i++) {
            int digits = applet.display().accountDigits(i);
            applet.display().accountPeriod(i);
            applet.display().accountRequiresTouch(i);
            int code = applet.display().accountType(i) == OathType.TOTP ? applet.display().totp(i, 1) : applet.display().nextHotp(i);
            assertThat(code).as("a code of %d digits", digits).isBetween(0, 99_999_999);
        }
        return true;
    }
}
