package dev.otptoken.host.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor against a stand-in simulator: a shell script speaking the headless protocol. */
class SimulatorProcessTest {
    /** Attaches, shows a code for each press (after an unrelated line), and quits on {@code quit}. */
    private static final String TOKEN = """
            echo 'attached: /dev/pts/99'
            while read -r line; do
              case "$line" in
                press) echo 'link: up'; echo 'display: off'; echo 'display: 123456 17s' ;;
                quit) exit 0 ;;
              esac
            done
            """;

    @TempDir
    Path dir;

    private SimulatorProcess start(String script) throws IOException, InterruptedException {
        return SimulatorProcess.start(List.of("sh", "-c", script), dir.resolve("token.log"));
    }

    @Test
    void startsOnTheAttachedLinePressesAndStops() throws Exception {
        SimulatorProcess sim = start(TOKEN);
        try {
            assertThat(sim.port()).isEqualTo("/dev/pts/99");
            assertThat(sim.press()).isEqualTo(new SimulatorProcess.Display("123456", "17s"));
            assertThat(sim.press().code()).isEqualTo("123456");
        } finally {
            sim.stop();
        }
        assertThat(sim.isAlive()).isFalse();
    }

    @Test
    void aSimulatorThatDiesAtStartIsNoTokenWithItsLastLogLine() {
        assertThatThrownBy(() -> start("echo 'otptoken-sim: ERROR: no pseudo-terminal' >&2; exit 4"))
                .isInstanceOf(IOException.class)
                .hasMessage("no token: the simulated token did not start: otptoken-sim: ERROR: no pseudo-terminal");
        assertThatThrownBy(() -> start("echo 'hello'; sleep 30"))
                .isInstanceOf(IOException.class).hasMessage("no token: the simulated token did not start");
    }

    @Test
    void aPressWithoutACodeOnTheDisplayFails() throws Exception {
        SimulatorProcess sim = start("echo 'attached: /dev/pts/98'; read -r line; echo 'display: off'; exit 0");
        try {
            assertThatThrownBy(sim::press).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("the simulated token showed no code within 5 s of the press");
        } finally {
            sim.stop();
        }
    }

    @Test
    void theLauncherIsPreferredThenTheJar() throws IOException {
        assertThatThrownBy(() -> SimulatorProcess.command(dir)).isInstanceOf(IOException.class)
                .hasMessage("no simulated token: neither " + dir.resolve("bin/otptoken-sim") + " nor "
                        + dir.resolve("firmware-sim/target/otptoken-sim.jar") + " exists");
        Path jar = dir.resolve("firmware-sim/target/otptoken-sim.jar");
        Files.createDirectories(jar.getParent());
        Files.createFile(jar);
        assertThat(SimulatorProcess.command(dir)).endsWith("-jar", jar.toString(), "--pty", "--headless");
        Path launcher = dir.resolve("bin/otptoken-sim");
        Files.createDirectories(launcher.getParent());
        Files.createFile(launcher, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertThat(SimulatorProcess.command(dir)).containsExactly(launcher.toString(), "--pty", "--headless");
    }

    @Test
    void theHomePropertyNamesTheRepository() throws IOException {
        String saved = System.getProperty(SimulatorProcess.HOME_PROPERTY);
        try {
            System.setProperty(SimulatorProcess.HOME_PROPERTY, dir.toString());
            assertThat(SimulatorProcess.home()).isEqualTo(dir);
        } finally {
            if (saved == null) {
                System.clearProperty(SimulatorProcess.HOME_PROPERTY);
            } else {
                System.setProperty(SimulatorProcess.HOME_PROPERTY, saved);
            }
        }
    }

    /**
     * The Debian package's layout (packaging/build-deb.sh): {@code otptoken.home} is
     * /opt/otptoken, with jpackage's launchers in bin/ and the jars in lib/app, no target/.
     * demo starts the installed simulator's launcher and names the commands without bin/.
     */
    @Test
    void theInstalledPackageStartsItsOwnSimulatorLauncher() throws IOException {
        Path home = dir.resolve("opt/otptoken");
        for (String launcher : List.of("bin/otptoken", "bin/otptoken-sim")) {
            Path p = home.resolve(launcher);
            Files.createDirectories(p.getParent());
            Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        Files.createDirectories(home.resolve("lib/app"));
        Files.createFile(home.resolve("lib/app/otptoken-sim.jar"));

        assertThat(SimulatorProcess.command(home))
                .containsExactly(home.resolve("bin/otptoken-sim").toString(), "--pty", "--headless");
        assertThat(SimulatorProcess.commandPrefix(home)).isEmpty();
        Files.createFile(dir.resolve("pom.xml"));
        assertThat(SimulatorProcess.commandPrefix(dir)).isEqualTo("bin/");
    }
}
