package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.session.ScriptedTransport;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.TokenAddress;
import dev.otptoken.protocol.apdu.ApduTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code devices}, in-process against scripted tokens in exact hex: every candidate is probed
 * briefly (never with the waiting opener), tokens are described as {@code info} does, and
 * what answers as no token is left out.
 */
class DevicesTest {
    private static final String DEVICE_SELECT = "00 A4 04 00 08 F0 4F 54 50 54 4B 4E 01";
    private static final String MANAGEMENT_SELECT = "00 A4 04 00 08 A0 00 00 05 27 47 11 17";
    private static final String DEVICE_INFO = "01 04 00000001 02 03 000100 03 04 00000000 04 04 00008000"
            + " 05 02 0001 06 02 0020 07 04 0000001F 90 00";
    private static final String PAGE_5_4_3 = "2E 0102033F 03020024 02040165EC15 040101 050305 0403 06020000"
            + " 07010F 080100 0D02033F 0E020024 0A0100 0F0100 9000";

    private final Map<String, ScriptedTransport> tokens = new HashMap<>();
    private final List<String> probed = new ArrayList<>();
    /** What a command (not a probe) finds when it opens a port. */
    private final Map<String, ScriptedTransport> opened = new HashMap<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private ScriptedTransport token(String device) {
        return tokens.computeIfAbsent(device, d -> new ScriptedTransport());
    }

    private int run(Map<String, String> environment, String... args) {
        Token.Opener opener = new Token.Opener() {
            @Override
            public ApduTransport serial(TokenAddress.SerialPort port) {
                if (!opened.containsKey(port.device())) {
                    throw new AssertionError("opened " + port + " as a command does, not as a probe");
                }
                return opened.get(port.device());
            }

            @Override
            public ApduTransport probe(TokenAddress.SerialPort port) throws IOException {
                probed.add(port.device());
                if (!tokens.containsKey(port.device())) {
                    throw new IOException("no token at " + port.device() + ": no answer to S(RESYNCH)");
                }
                return tokens.get(port.device());
            }

            @Override
            public List<String> serialCandidates() {
                return List.of("/dev/ttyACM0", "/dev/ttyUSB0");
            }
        };
        HostMain.Env env = new HostMain.Env(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
                InstantSource.fixed(Instant.ofEpochSecond(59)), environment, false, opener);
        return HostMain.run(args, env);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void scripted() {
        token("/dev/ttyUSB0").expect(DEVICE_SELECT, "90 00").expect("80 01 00 00 00", DEVICE_INFO);
        token("/dev/pts/7").expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT,
                HexFormat.of().formatHex("Virtual mgr - FW version 5.4.3".getBytes(StandardCharsets.US_ASCII))
                        + "9000").expect("00 1D 00 00 00", PAGE_5_4_3);
    }

    @Test
    void listsTheScannedPortsAndTheSimulatorsPortFromTheEnvironmentOneLineEach() {
        scripted();
        assertThat(run(Map.of(HostMain.PORT_VARIABLE, "/dev/pts/7"), "devices")).as(err()).isZero();
        assertThat(out()).isEqualTo(
                "/dev/ttyUSB0  otptoken       serial 1         firmware 0.1.0\n"
                        + "/dev/pts/7    YubiKey 5 NFC  serial 23456789  firmware 5.4.3\n");
        // the silent /dev/ttyACM0 was scanned, not named: no word of it without -v
        assertThat(err()).isEmpty();
        assertThat(probed).containsExactly("/dev/ttyACM0", "/dev/ttyUSB0", "/dev/pts/7");
        tokens.values().forEach(ScriptedTransport::assertDone);
    }

    @Test
    void asJson() {
        scripted();
        assertThat(run(Map.of(), "--port", "/dev/pts/7", "--json", "devices")).as(err()).isZero();
        assertThat(out().trim()).isEqualTo("{\"devices\":["
                + "{\"address\":\"/dev/ttyUSB0\",\"kind\":\"serial\",\"model\":\"otptoken\",\"serial\":1,"
                + "\"firmware\":\"0.1.0\"},"
                + "{\"address\":\"/dev/pts/7\",\"kind\":\"serial\",\"model\":\"YubiKey 5 NFC\",\"serial\":23456789,"
                + "\"firmware\":\"5.4.3\"}]}");
    }

    @Test
    void aNamedPortThatIsNoTokenIsSaidInOneLineAndAPortAnsweringNeitherApplicationIsLeftOut() {
        token("/dev/ttyUSB0").expect(DEVICE_SELECT, "6A 82").expect(MANAGEMENT_SELECT, "6A 82");
        assertThat(run(Map.of(HostMain.PORT_VARIABLE, "/dev/pts/9"), "devices")).as(err()).isZero();
        assertThat(out()).isEmpty();
        assertThat(err().lines()).containsExactly(
                "otptoken: /dev/pts/9: not listed: no token at /dev/pts/9: no answer to S(RESYNCH)",
                "otptoken: no token found");
        tokens.values().forEach(ScriptedTransport::assertDone);
    }

    private static final String OATH_SELECT = "00 A4 04 00 07 A0 00 00 05 27 21 01";
    private static final String OATH_SELECTED = "79 03 05 07 00 71 08 0102030405060708 90 00";

    @Test
    void aCommandWithoutPortOrReaderUsesTheOnlyTokenPresent() {
        token("/dev/ttyUSB0").expect(DEVICE_SELECT, "90 00").expect("80 01 00 00 00", DEVICE_INFO);
        ScriptedTransport command = new ScriptedTransport();
        command.expect(OATH_SELECT, OATH_SELECTED).expect("00 A1 00 00 00", "90 00");
        opened.put("/dev/ttyUSB0", command);
        assertThat(run(Map.of(), "list")).as(err()).isZero();
        assertThat(probed).containsExactly("/dev/ttyACM0", "/dev/ttyUSB0");
        assertThat(err()).isEmpty();
        tokens.values().forEach(ScriptedTransport::assertDone);
        command.assertDone();
    }

    @Test
    void severalTokensPresentAreAUsageErrorNamingThemAndNoneIsOpened() {
        token("/dev/ttyUSB0").expect(DEVICE_SELECT, "90 00").expect("80 01 00 00 00", DEVICE_INFO);
        token("/dev/ttyACM0").expect(DEVICE_SELECT, "90 00").expect("80 01 00 00 00", DEVICE_INFO);
        assertThat(run(Map.of(), "list")).isEqualTo(ExitStatus.USAGE);
        assertThat(err().lines()).containsExactly(
                "otptoken: 2 tokens found (/dev/ttyACM0, /dev/ttyUSB0): name one with --port DEVICE or --reader NAME");
        assertThat(out()).isEmpty();
    }

    @Test
    void noTokenPresentIsExit4InOneLineThatSaysWhereItLooked() {
        assertThat(run(Map.of(), "list")).isEqualTo(ExitStatus.NO_TOKEN);
        assertThat(err().lines()).containsExactly("otptoken: no token: none answers on /dev/ttyUSB*, /dev/ttyACM* or a"
                + " PC/SC reader (name one with --port DEVICE or --reader NAME, or set OTPTOKEN_PORT)");
        assertThat(probed).containsExactly("/dev/ttyACM0", "/dev/ttyUSB0");
    }

    @Test
    void theEnvironmentsPortIsUsedWithoutScanning() {
        ScriptedTransport command = new ScriptedTransport();
        command.expect(OATH_SELECT, OATH_SELECTED).expect("00 A1 00 00 00", "90 00");
        opened.put("/dev/pts/4", command);
        assertThat(run(Map.of(HostMain.PORT_VARIABLE, "/dev/pts/4"), "list")).as(err()).isZero();
        assertThat(probed).isEmpty();
        command.assertDone();
    }
}
