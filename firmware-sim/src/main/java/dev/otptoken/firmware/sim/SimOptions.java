package dev.otptoken.firmware.sim;

import dev.otptoken.files.FileReason;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line of {@code otptoken-sim} (docs/otptoken-sim.md). */
@Command(name = "otptoken-sim", mixinStandardHelpOptions = true, versionProvider = SimVersion.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "A simulated OATH hardware token on a serial line: drifting RTC with trim, "
                + "tear-safe memory, button and display.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:stopped normally (q, quit, SIGINT, SIGTERM)",
            "2:usage error",
            "3:the --state file is corrupt, not a token's memory, of another --model, or cannot be written",
            "4:the serial device or pseudo-terminal could not be opened or failed",
            "75:power cut (--power-cut-after-writes)"})
public final class SimOptions {
    /** The --model value that lists the models instead of starting a token. */
    static final String LIST_MODELS = "list";

    @Option(names = "--pty",
            description = "Create a pseudo-terminal and print 'attached: /dev/pts/N' (the default).")
    boolean pty;

    @Option(names = "--link", paramLabel = "PATH",
            description = "With --pty: also make PATH a symlink to the pseudo-terminal (removed at exit).")
    Path link;

    @Option(names = "--port", paramLabel = "DEVICE",
            description = "Attach to an existing serial device (a socat pair, a cable) instead.")
    String port;

    @Option(names = "--vpcd", paramLabel = "[HOST:]PORT", arity = "0..1", fallbackValue = "127.0.0.1:35963",
            description = "Also present the token as a contactless card to pcscd through vpcd "
                    + "(default 127.0.0.1:35963).")
    String vpcd;

    @Option(names = "--model", paramLabel = "NAME",
            description = "The token to be: otptoken (the default for a new token), yubikey-5-nfc, "
                    + "yubikey-5-nfc-5.7; 'list' prints them. A --state file keeps its model.")
    String model;

    @Option(names = "--state", paramLabel = "FILE",
            description = "The token's non-volatile memory; created when missing, checked when loaded.")
    Path state;

    @Option(names = "--serial", paramLabel = "NUMBER",
            description = "Serial number of a fresh token (0-4294967295; default: random).")
    Long serial;

    @Option(names = "--start-time", paramLabel = "ISO-8601|now", defaultValue = "now",
            description = "RTC reading of a fresh token at start (default: now).")
    String startTime;

    @Option(names = "--drift-ppm", paramLabel = "X", defaultValue = "0",
            description = "Crystal error at 25 °C in ppm (positive runs fast; default: ${DEFAULT-VALUE}).")
    double driftPpm;

    @Option(names = "--temperature", paramLabel = "C", defaultValue = "25",
            description = "Ambient temperature in °C (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--temperature-profile", paramLabel = "FILE",
            description = "Temperature over simulated time: TIME,°C lines (90s, 15m, 6h, 2.5d since the start), "
                    + "linear between; a line 'repeat' makes it a daily or seasonal cycle. Replaces --temperature.")
    Path temperatureProfile;

    @Option(names = "--turnover", paramLabel = "C", defaultValue = "25",
            description = "The crystal's turnover temperature in °C, top of its parabola (default: ${DEFAULT-VALUE}).")
    double turnover = dev.otptoken.hardware.clock.CrystalModel.DEFAULT_TURNOVER_CELSIUS;

    @Option(names = "--temperature-coefficient", paramLabel = "K", defaultValue = "0.034",
            description = "The crystal's parabolic coefficient in ppm/°C² (default: ${DEFAULT-VALUE}).")
    double temperatureCoefficient = dev.otptoken.hardware.clock.CrystalModel.DEFAULT_K;

    @Option(names = "--sensor-offset", paramLabel = "C",
            description = "The temperature sensor's fixed error in °C, -1 to 1 (default: fixed by the serial number).")
    Double sensorOffset;

    @Option(names = "--aging-ppm-per-year", paramLabel = "X", defaultValue = "0",
            description = "Crystal aging in ppm per year (default: ${DEFAULT-VALUE}).")
    double agingPpmPerYear;

    @Option(names = "--time-scale", paramLabel = "K", defaultValue = "1",
            description = "Simulated time runs K times faster than real time (default: ${DEFAULT-VALUE}).")
    double timeScale;

    @Option(names = "--power-cut-after-writes", paramLabel = "N",
            description = "Cut the power after the N-th persistent memory write; exit status 75.")
    Long powerCutAfterWrites;

    @Option(names = "--headless",
            description = "No face: read press, long-press, status, quit from standard input; "
                    + "report 'display: CODE Ns' / 'display: off' on standard output.")
    boolean headless;

    @Option(names = "--control", paramLabel = "SOCKET",
            description = "Also take the headless commands (status, temperature C, press, ...) on a Unix socket at "
                    + "SOCKET, created at start (it must not exist) and removed at exit.")
    Path control;

    @Option(names = {"-v", "--verbose"},
            description = "More log on standard error (-v info, -vv debug).")
    boolean[] verbose = new boolean[0];

    /** Whether {@code --model list} was asked for. */
    boolean listModels() {
        return LIST_MODELS.equalsIgnoreCase(model);
    }

    /** The model asked for with --model; empty when none was. Call after {@link #validate()}. */
    Optional<DeviceModel> requestedModel() {
        return model == null ? Optional.empty() : DeviceModel.byName(model);
    }

    /** The --link path, if any. */
    Optional<Path> link() {
        return Optional.ofNullable(link);
    }

    /** The --port device, if any. */
    Optional<String> port() {
        return Optional.ofNullable(port);
    }

    /** The --start-time instant; empty for {@code now}. Call after {@link #validate()}. */
    Optional<Instant> startInstant() {
        return parseStartTime(startTime);
    }

    /** Checks what picocli cannot; returns a usage message or empty. */
    Optional<String> validate() {
        if (model != null && !listModels() && DeviceModel.byName(model).isEmpty()) {
            return Optional.of("--model: unknown model '" + model + "' (" + DeviceModel.names()
                    + "; list shows them)");
        }
        for (Object[] named : new Object[][] {{"--state", state}, {"--link", link}, {"--port", port},
                {"--temperature-profile", temperatureProfile}, {"--control", control}}) {
            if (named[1] != null && named[1].toString().isEmpty()) {
                return Optional.of(named[0] + ": " + FileReason.EMPTY_PATH);
            }
        }
        if (port != null && (pty || link != null)) {
            return Optional.of("--port cannot be combined with --pty or --link");
        }
        try {
            parseStartTime(startTime);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (vpcd != null) {
            try {
                dev.otptoken.hardware.link.VpcdLink.parseAddress(vpcd);
            } catch (IllegalArgumentException e) {
                return Optional.of(e.getMessage());
            }
        }
        if (serial != null && (serial < 0 || serial > 0xFFFF_FFFFL)) {
            return Optional.of("--serial must be between 0 and 4294967295");
        }
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            return Optional.of("--time-scale must be a positive number");
        }
        if (powerCutAfterWrites != null && powerCutAfterWrites < 1) {
            return Optional.of("--power-cut-after-writes must be at least 1");
        }
        if (!Double.isFinite(driftPpm) || Math.abs(driftPpm) > 1000) {
            return Optional.of("--drift-ppm must be between -1000 and 1000");
        }
        if (!Double.isFinite(temperature) || temperature < -60 || temperature > 125) {
            return Optional.of("--temperature must be between -60 and 125");
        }
        if (temperatureProfile != null && temperature != 25) {
            return Optional.of("--temperature and --temperature-profile cannot be combined");
        }
        if (temperatureProfile != null) {
            try {
                TemperatureProfileFile.read(temperatureProfile, 0);
            } catch (TemperatureProfileFile.BadProfileException e) {
                return Optional.of(e.getMessage());
            }
        }
        if (!Double.isFinite(turnover) || turnover < -40 || turnover > 85) {
            return Optional.of("--turnover must be between -40 and 85");
        }
        if (!Double.isFinite(temperatureCoefficient) || temperatureCoefficient < 0 || temperatureCoefficient > 1) {
            return Optional.of("--temperature-coefficient must be between 0 and 1");
        }
        if (sensorOffset != null && !(Math.abs(sensorOffset) <= dev.otptoken.hardware.clock.TemperatureSensor.MAX_OFFSET_CELSIUS)) {
            return Optional.of("--sensor-offset must be between -1 and 1");
        }
        if (!Double.isFinite(agingPpmPerYear) || Math.abs(agingPpmPerYear) > 100) {
            return Optional.of("--aging-ppm-per-year must be between -100 and 100");
        }
        return Optional.empty();
    }

    /** {@code now} (empty) or an ISO-8601 instant or offset date-time. */
    static Optional<Instant> parseStartTime(String value) {
        if ("now".equalsIgnoreCase(value)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(OffsetDateTime.parse(value).toInstant());
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException(
                        "--start-time: expected an ISO-8601 time such as 2030-01-01T00:00:00Z, or now");
            }
        }
    }
}
