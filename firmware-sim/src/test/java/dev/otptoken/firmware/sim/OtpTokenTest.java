package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.otptoken.firmware.sim.junit.OtpTokenExtension;
import dev.otptoken.firmware.sim.junit.TokenOptions;
import dev.otptoken.hardware.link.TtyLink;
import dev.otptoken.protocol.t1.T1HostChannel;
import dev.otptoken.testing.Hex;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token as a library ({@link OtpToken}) and its JUnit extension: a token per test on a
 * pseudo-terminal, a T=1 host on it, the button, the display, the clock, the temperature
 * and the power.
 */
@ExtendWith(OtpTokenExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OtpTokenTest {
    /** The otptoken model's SELECT reply up to the salt: version 5.7.0, then an 8-byte salt tag. */
    static final String OTPTOKEN_SELECT_PREFIX = "790305070071" + "08";
    /** 1234567890: RFC 6238's vector, SHA-1 code 89005924, 6 digits 005924, at a period's start. */
    static final Instant RFC_TIME = Instant.ofEpochSecond(1_234_567_890L);
    /** The state files of the extension's tokens: all gone once their tests ended. */
    private static final List<Path> STARTED = new ArrayList<>();

    /** A T=1 host on the token's pseudo-terminal. */
    static final class Host implements AutoCloseable {
        private final TtyLink link;
        private final T1HostChannel channel;

        Host(Path pty) throws IOException {
            link = TtyLink.open(pty);
            channel = new T1HostChannel(link, TokenHarness.PATIENT);
            channel.open();
        }

        String send(String apdu) throws IOException {
            return Hex.of(channel.transceive(Hex.bytes(apdu)));
        }

        @Override
        public void close() throws IOException {
            link.close();
        }
    }

    @Test
    @Order(1)
    void selectOverThePtyThenButtonDisplayClockAndTemperature(
            @TokenOptions(driftPpm = 20, startTime = "2030-01-01T00:00:00Z") OtpToken token) throws Exception {
        STARTED.add(token.stateFile());
        assertThat(token.model()).isEqualTo("otptoken");
        assertThat(token.ratePpm()).isCloseTo(20.0, within(1e-9));
        assertThat(token.clock()).isBetween(Instant.parse("2030-01-01T00:00:00Z"),
                Instant.parse("2030-01-01T00:01:00Z"));
        try (Host host = new Host(token.ptyPath())) {
            String select = host.send(TokenHarness.OATH_SELECT);
            assertThat(select).startsWith(OTPTOKEN_SELECT_PREFIX).endsWith("9000").hasSize(30 + 4);

            token.press();
            assertThat(token.displayText()).as("no account to show").isEqualTo("off");
            assertThat(token.display()).isEmpty();

            assertThat(host.send(SimTearingTest.PUT_TEST)).isEqualTo("9000");
        }
        token.setClock(RFC_TIME);
        assertThat(Duration.between(RFC_TIME, token.clock())).isBetween(Duration.ZERO, Duration.ofSeconds(5));
        token.press();
        assertThat(token.display()).hasValueSatisfying(r -> {
            assertThat(r.code()).isEqualTo("005924");
            assertThat(r.secondsLeft()).isBetween(25, 30);
        });
        assertThat(token.displayText()).matches("005924 (2[5-9]|30)s");
        token.longPress();
        assertThat(token.display()).as("one TOTP account: a long press comes back to it and shows it")
                .hasValueSatisfying(r -> assertThat(r.code()).isEqualTo("005924"));

        // -40 °C is 65 °C below the crystal's turnover: 0.034 ppm/°C² × 65² slower
        token.setTemperature(-40);
        assertThat(token.ratePpm()).isCloseTo(20 - 0.034 * 65 * 65, within(1e-9));
        assertThatThrownBy(() -> token.setTemperature(200)).isInstanceOf(IllegalArgumentException.class);
        assertThat(token.toString()).contains("model=otptoken", "serial=" + token.serial())
                .doesNotContainIgnoringCase(SimTearingTest.KEY);
    }

    @Test
    @Order(2)
    void aPowerCutAndARestartKeepTheAccount(OtpToken token) throws Exception {
        STARTED.add(token.stateFile());
        long serial = token.serial();
        try (Host host = new Host(token.ptyPath())) {
            host.send(TokenHarness.OATH_SELECT);
            assertThat(host.send(SimTearingTest.PUT_TEST)).isEqualTo("9000");
        }
        token.cutPower();
        assertThat(token.isPowered()).isFalse();
        assertThatThrownBy(token::press).isInstanceOf(IllegalStateException.class).hasMessageContaining("power");

        token.restart();
        assertThat(token.isPowered()).isTrue();
        assertThat(token.serial()).isEqualTo(serial);
        try (Host host = new Host(token.ptyPath())) {
            assertThat(host.send(TokenHarness.OATH_SELECT)).startsWith(OTPTOKEN_SELECT_PREFIX);
            assertThat(host.send(SimTearingTest.LIST)).isEqualTo("7205217465737490" + "00");
        }
        // a restart while running stops cleanly first
        token.setClock(RFC_TIME);
        token.restart();
        assertThat(Duration.between(RFC_TIME, token.clock())).as("the clock setting is in the memory")
                .isBetween(Duration.ZERO, Duration.ofSeconds(10));
    }

    @Test
    void aPowerCutAtTheFirstWriteStopsTheTokenAndTheRestartFindsTheMemoryAsBefore(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("cut.state");
        OtpToken.builder().stateFile(state).start().close();
        try (OtpToken token = OtpToken.builder().stateFile(state).powerCutAfterWrites(1).start()) {
            assertThat(token.awaitPowerCut(Duration.ofMillis(200))).as("no write yet, no cut").isFalse();
            try (Host host = new Host(token.ptyPath())) {
                host.send(TokenHarness.OATH_SELECT);
                assertThatThrownBy(() -> host.send(SimTearingTest.PUT_TEST)).as("the token dies in the PUT")
                        .isInstanceOf(IOException.class);
            }
            assertThat(token.awaitPowerCut(Duration.ofSeconds(10))).isTrue();
            assertThat(token.isPowered()).isFalse();
            token.restart();
            try (Host host = new Host(token.ptyPath())) {
                host.send(TokenHarness.OATH_SELECT);
                assertThat(host.send(SimTearingTest.LIST)).as("the torn PUT was rolled back").isEqualTo("9000");
                assertThat(host.send(SimTearingTest.PUT_TEST)).as("a restart runs without a cut").isEqualTo("9000");
            }
        }
        assertThatThrownBy(() -> OtpToken.builder().powerCutAfterWrites(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Order(3)
    @TokenOptions(model = "yubikey-5-nfc", timeScale = 10)
    void aModelWithoutDisplayOrClock(OtpToken token) throws Exception {
        STARTED.add(token.stateFile());
        assertThat(token.model()).isEqualTo("yubikey-5-nfc");
        try (Host host = new Host(token.ptyPath())) {
            assertThat(host.send(TokenHarness.OATH_SELECT)).startsWith("7903050403" + "7108").endsWith("9000");
        }
        token.press();
        token.longPress();
        assertThat(token.displayText()).isEqualTo("off");
        assertThatThrownBy(token::clock).isInstanceOf(IllegalStateException.class).hasMessageContaining("no clock");
        assertThatThrownBy(() -> token.setClock(RFC_TIME)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Order(4)
    void theExtensionDeletedTheTokensOfTheTestsBefore() {
        assertThat(STARTED).hasSize(3).allSatisfy(p -> {
            assertThat(p).doesNotExist();
            assertThat(p.getParent()).doesNotExist();
        });
    }

    @Test
    void aGivenStateFileIsKeptAndReloaded(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("my.state");
        long serial;
        try (OtpToken token = OtpToken.builder().stateFile(state).serial(12_345_678L).start()) {
            serial = token.serial();
            assertThat(token.stateFile()).isEqualTo(state);
        }
        assertThat(serial).isEqualTo(12_345_678L);
        assertThat(state).exists();
        try (OtpToken again = OtpToken.builder().stateFile(state).start()) {
            assertThat(again.serial()).isEqualTo(serial);
        }
        assertThatThrownBy(() -> OtpToken.builder().stateFile(state).model("yubikey-5-nfc").start())
                .isInstanceOf(IOException.class).hasMessageContaining("holds model otptoken");
    }

    /** One token per state file, as otptoken-sim: a second start on it is refused while the first runs, across its restarts. */
    @Test
    void aSecondTokenOnTheSameStateFileIsRefusedWhileTheFirstIsOpen(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("my.state");
        try (OtpToken first = OtpToken.builder().stateFile(state).start()) {
            first.restart();
            assertThatThrownBy(() -> OtpToken.builder().stateFile(state).start()).isInstanceOf(IOException.class)
                    .hasMessage("state file " + state + " is in use by another token (process "
                            + ProcessHandle.current().pid() + "): one token per state file");
        }
        try (OtpToken again = OtpToken.builder().stateFile(state).start()) {
            assertThat(again.stateFile()).isEqualTo(state);
        }
    }

    @Test
    void theBuilderRefusesWhatTheCommandLineRefuses() {
        assertThat(OtpToken.models()).containsExactly("otptoken", "yubikey-5-nfc", "yubikey-5-nfc-5.7");
        assertThatThrownBy(() -> OtpToken.builder().model("nokia")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("yubikey-5-nfc");
        assertThatThrownBy(() -> OtpToken.builder().driftPpm(5000).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--drift-ppm");
        assertThatThrownBy(() -> OtpToken.builder().timeScale(0).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--time-scale");
        assertThatThrownBy(() -> OtpToken.builder().temperature(-100).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--temperature");
    }

    @Test
    void theCrystalSensorAndTemperatureOptionsOfTheCommandLine(@TempDir Path dir) throws Exception {
        Path profile = dir.resolve("profile.csv");
        Files.writeString(profile, "# a cold room\n0,10\n10d,10\n");
        Path link = dir.resolve("token-pty");
        try (OtpToken token = OtpToken.builder().driftPpm(20).temperatureProfile(profile).turnover(27)
                .temperatureCoefficient(0.038).sensorOffset(0.5).link(link).start()) {
            // 10 °C from the file, 17 °C below this crystal's turnover, k 0.038; the sensor reads 0.5 °C high
            assertThat(token.ratePpm()).isCloseTo(20 - 0.038 * 17 * 17, within(1e-6));
            assertThat(token.sensorCelsius()).isEqualTo(10.5);
            assertThat(token.linkPath()).contains(link);
            assertThat(Files.readSymbolicLink(link)).isEqualTo(token.ptyPath());
            // as headless 'temperature 31': a constant from now, the end of the profile
            token.setTemperature(31);
            assertThat(token.ratePpm()).isCloseTo(20 - 0.038 * 4 * 4, within(1e-6));
            assertThat(token.sensorCelsius()).isEqualTo(31.5);
        }
        assertThat(link).as("removed when the token stopped").doesNotExist();
        try (OtpToken aging = OtpToken.builder().driftPpm(20).agingPpmPerYear(3).timeScale(1e6).start()) {
            Thread.sleep(50);
            assertThat(aging.ratePpm()).as("a crystal aging +3 ppm in its first year, hours later")
                    .isGreaterThan(20.0001).isLessThan(23);
        }
    }

    @Test
    void theBuilderRefusesTheTemperatureOptionsTheCommandLineRefuses(@TempDir Path dir) throws Exception {
        Path profile = dir.resolve("profile.csv");
        Files.writeString(profile, "0,10\n1h,5\n30m,7\n");
        assertThatThrownBy(() -> OtpToken.builder().temperatureProfile(profile).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(profile.toString());
        Files.writeString(profile, "0,10\n");
        assertThatThrownBy(() -> OtpToken.builder().temperatureProfile(profile).temperature(30).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be combined");
        assertThatThrownBy(() -> OtpToken.builder().turnover(90).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--turnover");
        assertThatThrownBy(() -> OtpToken.builder().temperatureCoefficient(-0.1).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--temperature-coefficient");
        assertThatThrownBy(() -> OtpToken.builder().sensorOffset(1.5).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--sensor-offset");
        assertThatThrownBy(() -> OtpToken.builder().agingPpmPerYear(500).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--aging-ppm-per-year");
    }

    @Test
    void vpcdSeesTheCard() throws Exception {
        try (ServerSocket vpcd = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             OtpToken token = OtpToken.builder().temperature(0).vpcd("127.0.0.1", vpcd.getLocalPort()).start()) {
            assertThat(token.vpcdAddress()).contains("127.0.0.1:" + vpcd.getLocalPort());
            assertThat(token.ratePpm()).isCloseTo(-0.034 * 25 * 25, within(1e-9));
            try (Socket s = vpcd.accept()) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                DataInputStream in = new DataInputStream(s.getInputStream());
                SimVpcdTest.frame(out, "04");
                assertThat(SimVpcdTest.reply(in)).isEqualTo("3B80800101");
                SimVpcdTest.frame(out, "01");
                SimVpcdTest.frame(out, TokenHarness.OATH_SELECT);
                assertThat(SimVpcdTest.reply(in)).startsWith(OTPTOKEN_SELECT_PREFIX).endsWith("9000");
            }
        }
    }
}
