package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.firmware.device.CapacityReport;
import dev.otptoken.firmware.device.DeviceApplet;
import dev.otptoken.firmware.device.DeviceCommands;
import dev.otptoken.firmware.device.ClockCompensation;
import dev.otptoken.firmware.device.CompensationRecord;
import dev.otptoken.firmware.device.DeviceState;
import dev.otptoken.firmware.oath.OathApplet;
import dev.otptoken.firmware.runtime.CardRuntime;
import dev.otptoken.testing.Hex;
import dev.otptoken.firmware.testing.LinearRtc;
import dev.otptoken.firmware.ui.ButtonTouchGate;
import dev.otptoken.firmware.ui.Readout;
import dev.otptoken.firmware.ui.TokenUi;
import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.protocol.device.Device;
import dev.otptoken.protocol.oath.HashAlgorithm;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.Totp;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * The button and display on the real OATH applet and card runtime: codes equal the
 * RFC 6238 reference at the RTC's reading; HOTP presses move the same counter a host
 * CALCULATE uses; a press releases a touch-required CALCULATE.
 */
class OathDisplayTest {
    static final String KEY = "3132333435363738393031323334353637383930";
    static final byte[] KEY_BYTES = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    /** 2030-01-01T00:00:02Z, 2 s into a step. */
    static final long START = 1_893_456_002_000_000L;

    final TransactionalMemory memory = TransactionalMemory.fresh(8192, TransactionalMemory.MIN_JOURNAL_SIZE, null);
    final LinearRtc rtc = new LinearRtc(START);
    final ButtonTouchGate gate = new ButtonTouchGate();
    final ReentrantLock chip = new ReentrantLock();
    final OathApplet oath = new OathApplet(memory, 0, 8192 - DeviceState.SIZE - CompensationRecord.SIZE, rtc, gate::awaitTouch,
            new SecureRandom());
    final OathAccounts accounts = new OathAccounts(oath);
    final DeviceState state = new DeviceState(memory, 8192 - DeviceState.SIZE);
    final CompensationRecord curve = new CompensationRecord(memory, 8192 - DeviceState.SIZE - CompensationRecord.SIZE);
    final CardRuntime runtime = new CardRuntime(memory);
    final List<Optional<Readout>> shown = new ArrayList<>();
    final TokenUi ui = new TokenUi(rtc, accounts, state, gate, chip, shown::add);

    OathDisplayTest() {
        state.format(99, START, START, 0);
        runtime.install(Oath.aid(), oath);
        CapacityReport capacity = accounts;
        runtime.install(Device.aid(), new DeviceApplet(
                new DeviceCommands(state, curve, new ClockCompensation(rtc, () -> 100, curve.curve()), rtc,
                        rtc::trueMicros, capacity, 0x1F)));
    }

    String send(String apdu) {
        chip.lock();
        try {
            return Hex.of(runtime.transmit(Hex.bytes(apdu)));
        } finally {
            chip.unlock();
        }
    }

    void put(String nameHex, int typeAlg, String props) {
        String data = "71" + String.format("%02X", nameHex.length() / 2) + nameHex
                + "7316" + String.format("%02X", typeAlg) + "06" + KEY + props;
        assertThat(send("00010000" + String.format("%02X", data.length() / 2) + data)).isEqualTo("9000");
    }

    @Test
    void theFaceNamesAccountsAsAHostListsThem() {
        assertThat(send("00A4040007A0000005272101")).endsWith("9000");
        put(Hex.of("60/Example:alice".getBytes(StandardCharsets.UTF_8)), 0x21, "");
        put(Hex.of("Acme:bob".getBytes(StandardCharsets.UTF_8)), 0x11, "");
        put(Hex.of("carol".getBytes(StandardCharsets.UTF_8)), 0x21, "");
        assertThat(accounts.accountName(0)).isEqualTo("Example:alice");
        assertThat(accounts.accountName(1)).isEqualTo("Acme:bob");
        assertThat(accounts.accountName(2)).isEqualTo("carol");
    }

    @Test
    void aPressShowsTheRfc6238CodeAtTheRtcReading() {
        assertThat(send("00A4040007A0000005272101")).endsWith("9000");
        put("74657374", 0x21, "");
        rtc.set(START + 3_600_000_000L); // the RTC is an hour ahead of true time
        ui.press();
        Instant reading = Instant.EPOCH.plus(rtc.readMicros(), ChronoUnit.MICROS);
        Readout r = shown.get(0).orElseThrow();
        assertThat(r.code()).isEqualTo(Totp.code(HashAlgorithm.SHA1, KEY_BYTES, reading, 30, 6));
        assertThat(r.secondsLeft()).isEqualTo(28);
        // The same code the host gets with CALCULATE and an empty challenge (token clock).
        String calc = send("00A20001 08 7104 74657374 7400".replace(" ", ""));
        assertThat(Integer.parseInt(calc.substring(6, 14), 16) % 1_000_000)
                .isEqualTo(Integer.parseInt(r.code()));
    }

    /**
     * A Steam account (TOTP, issuer exactly Steam, with or without a period prefix) shows the
     * five characters of Steam's alphabet made from the full HMAC, the same as a host gets from
     * a full-response CALCULATE; an HOTP account or another issuer still shows digits.
     */
    @Test
    void aSteamAccountShowsFiveSteamCharacters() throws Exception {
        send("00A4040007A0000005272101");
        put(Hex.of("Steam:alice".getBytes(StandardCharsets.UTF_8)), 0x21, "");
        put(Hex.of("60/Steam:bob".getBytes(StandardCharsets.UTF_8)), 0x21, "");
        put(Hex.of("Steam:hotp".getBytes(StandardCharsets.UTF_8)), 0x11, "");
        put(Hex.of("Steamy:carol".getBytes(StandardCharsets.UTF_8)), 0x21, "");
        long seconds = START / 1_000_000L;
        assertThat(accounts.totpCode(0, seconds / 30)).isEqualTo(steamReference(KEY_BYTES, seconds / 30));
        assertThat(accounts.totpCode(1, seconds / 60)).isEqualTo(steamReference(KEY_BYTES, seconds / 60));
        assertThat(accounts.totpCode(3, seconds / 30)).isEqualTo(Totp.code(HashAlgorithm.SHA1, KEY_BYTES,
                Instant.ofEpochSecond(seconds), 30, 6));

        ui.press();
        Readout r = shown.get(shown.size() - 1).orElseThrow();
        assertThat(r.code()).isEqualTo(steamReference(KEY_BYTES, seconds / 30)).matches("[23456789BCDFGHJKMNPQRTVWXY]{5}");
        // a host's full-response CALCULATE with the token's clock: the same characters from its HMAC
        String full = send("00A20000 0F 710B 537465616D3A616C696365 7400".replace(" ", ""));
        assertThat(full).startsWith("751506").endsWith("9000");
        byte[] hmac = Hex.bytes(full.substring(6, 46));
        assertThat(steamOf(hmac)).isEqualTo(r.code());

        state.selectAccount(2);
        ui.press();
        assertThat(shown.get(shown.size() - 1).orElseThrow().code()).isEqualTo("755224"); // RFC 4226 counter 0
    }

    /** Steam's code computed apart from the production classes: JDK HMAC-SHA1, base 26, low digit first. */
    static String steamReference(byte[] key, long step) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA1"));
        return steamOf(mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array()));
    }

    static String steamOf(byte[] hmac) {
        int offset = hmac[hmac.length - 1] & 0x0F;
        long value = java.nio.ByteBuffer.wrap(hmac, offset, 4).getInt() & 0x7FFFFFFFL;
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            code.append("23456789BCDFGHJKMNPQRTVWXY".charAt((int) (value % 26)));
            value /= 26;
        }
        return code.toString();
    }

    @Test
    void hotpPressesAndHostCalculationsShareTheCounter() {
        send("00A4040007A0000005272101");
        put("686F7470", 0x11, "");
        ui.press();
        assertThat(shown.get(0).orElseThrow().code()).isEqualTo("755224"); // RFC 4226 counter 0
        assertThat(send("00A20001087104686F74707400")).isEqualTo("76050641397EEA9000"); // counter 1
        ui.press();
        assertThat(shown.get(1).orElseThrow().code()).isEqualTo("359152"); // counter 2
    }

    @Test
    void deviceAppletThroughTheRuntime() {
        assertThat(send("00A4040008F04F5450544B4E01")).isEqualTo("9000");
        assertThat(send("80010000")).isEqualTo("010400000063" + "0203050700"
                + String.format("0304%08X", oath.bytesUsed()) + String.format("0404%08X", oath.bytesTotal())
                + "05020000" + String.format("0602%04X", oath.capacityAccounts()) + "07040000001F9000");
        assertThat(send("80210000 03 200101".replace(" ", ""))).isEqualTo("6A80");
        assertThat(send("80300000")).isEqualTo("6D00");
    }

    @Test
    void aPressReleasesATouchRequiredCalculation() throws Exception {
        send("00A4040007A0000005272101");
        put("746F756368", 0x21, "7802");
        String[] result = new String[1];
        Thread host = new Thread(() -> result[0] = send("00A2000109710574 6F756368 7400".replace(" ", "")));
        host.start();
        while (!gate.isWaiting()) {
            Thread.onSpinWait();
        }
        ui.press();
        host.join();
        assertThat(result[0]).startsWith("760506").endsWith("9000");
        assertThat(shown).isEmpty();
    }

    @Test
    void aTouchRequiredCalculationTimesOutWithoutAPress() {
        oath.setTouchTimeoutMillis(20);
        send("00A4040007A0000005272101");
        put("746F756368", 0x21, "7802");
        assertThat(send("00A200010971 05746F756368 7400".replace(" ", ""))).isEqualTo("6985");
    }
}
