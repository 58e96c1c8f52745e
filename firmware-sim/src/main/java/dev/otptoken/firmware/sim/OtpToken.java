package dev.otptoken.firmware.sim;

import dev.otptoken.firmware.ui.Readout;
import dev.otptoken.hardware.link.VpcdLink;
import dev.otptoken.hardware.memory.MemoryFailureException;
import dev.otptoken.hardware.memory.PowerLossError;
import dev.otptoken.hardware.memory.StateFileLock;
import dev.otptoken.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The simulated token as a library: the same token {@code otptoken-sim} runs, started in this
 * JVM on a pseudo-terminal (and, if asked, on vpcd), with its button, display, clock,
 * temperature and power in the caller's hands (docs/otptoken-sim.md, "The token as a library").
 *
 * <pre>{@code
 * try (OtpToken token = OtpToken.builder().driftPpm(20).start()) {
 *     Path pty = token.ptyPath();   // talk T=1 to it, like to otptoken-sim
 *     token.press();
 *     token.displayText();          // "off" without accounts, else "123456 27s"
 * }
 * }</pre>
 *
 * <p>Its memory always lives in a state file: the one given to the builder, or one in a
 * temporary directory of its own that {@link #close()} deletes. So {@link #cutPower()} and
 * {@link #restart()} keep what the token holds, as the process's power cut and restart do.
 * Nothing here prints or returns a secret.
 */
public final class OtpToken implements AutoCloseable {
    /**
     * Where the device applet's records start in the otptoken model's memory (the compensation
     * curve, the model record, then the clock and trim record, up to the end): the OATH applet's
     * region lies below it. A device command changes nothing below, an OATH command nothing from here.
     */
    public static final int DEVICE_REGION_START = SimulatedToken.CURVE_BASE;

    private final Builder options;
    private final Path stateFile;
    private final Optional<Path> ownDirectory;
    /** Held from start to close, across restarts: one token per state file, as otptoken-sim. */
    private StateFileLock lock;
    private SimulatedToken token;
    private boolean powered;
    private boolean closed;
    /** Completed when the running token's power is cut by {@link Builder#powerCutAfterWrites} and it has stopped. */
    private CompletableFuture<Void> cutByWrites = new CompletableFuture<>();

    private OtpToken(Builder options, Path stateFile, Optional<Path> ownDirectory) {
        this.options = options;
        this.stateFile = stateFile;
        this.ownDirectory = ownDirectory;
    }

    /** A builder with the defaults of {@code otptoken-sim}: model otptoken, no drift, now, scale 1. */
    public static Builder builder() {
        return new Builder();
    }

    /** The model names {@link Builder#model} takes (those of {@code otptoken-sim --model}). */
    public static List<String> models() {
        List<String> names = new ArrayList<>();
        for (DeviceModel m : DeviceModel.values()) {
            names.add(m.cliName);
        }
        return List.copyOf(names);
    }

    /** How the token is started; {@link #start()} starts one. Not thread-safe. */
    public static final class Builder {
        private String model;
        private Path stateFile;
        private double driftPpm;
        private double temperature = 25;
        private Path temperatureProfile;
        private double turnover = dev.otptoken.hardware.clock.CrystalModel.DEFAULT_TURNOVER_CELSIUS;
        private double temperatureCoefficient = dev.otptoken.hardware.clock.CrystalModel.DEFAULT_K;
        private Double sensorOffset;
        private double agingPpmPerYear;
        private Path link;
        private Instant startTime;
        private double timeScale = 1;
        private Long serial;
        private String vpcd;
        private Long powerCutAfterWrites;
        private InstantSource host = steadyClock();

        private Builder() {
        }

        /** The model, one of {@link OtpToken#models()}; a state file keeps its own. */
        public Builder model(String name) {
            Objects.requireNonNull(name, "name");
            if (DeviceModel.byName(name).isEmpty()) {
                throw new IllegalArgumentException("unknown model '" + name + "' (" + DeviceModel.names() + ")");
            }
            this.model = name;
            return this;
        }

        /** The token's memory: loaded when the file exists, created when not; kept at {@link #close()}. */
        public Builder stateFile(Path file) {
            this.stateFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Crystal error at 25 °C in ppm, between -1000 and 1000 (positive runs fast). */
        public Builder driftPpm(double ppm) {
            this.driftPpm = ppm;
            return this;
        }

        /** Ambient temperature at start in °C, between -60 and 125 (default 25). */
        public Builder temperature(double celsius) {
            this.temperature = celsius;
            return this;
        }

        /**
         * The temperature over simulated time from a file, as {@code --temperature-profile FILE}
         * (docs/otptoken-sim.md, "Temperature": {@code TIME,°C} lines, linear between, {@code repeat}
         * for a cycle); it replaces {@link #temperature}. Read when the token starts.
         */
        public Builder temperatureProfile(Path file) {
            this.temperatureProfile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** The crystal's turnover temperature in °C, the top of its parabola, -40 to 85 (default 25). */
        public Builder turnover(double celsius) {
            this.turnover = celsius;
            return this;
        }

        /** The crystal's parabolic coefficient k in ppm/°C², 0 to 1 (default 0.034). */
        public Builder temperatureCoefficient(double k) {
            this.temperatureCoefficient = k;
            return this;
        }

        /** The temperature sensor's fixed error in °C, -1 to 1 (default: fixed by the serial number). */
        public Builder sensorOffset(double celsius) {
            this.sensorOffset = celsius;
            return this;
        }

        /** The crystal's aging in ppm at one year, -100 to 100 (default 0). */
        public Builder agingPpmPerYear(double ppm) {
            this.agingPpmPerYear = ppm;
            return this;
        }

        /** Also make {@code path} a symbolic link to the pseudo-terminal (removed when the token stops). */
        public Builder link(Path path) {
            this.link = Objects.requireNonNull(path, "path");
            return this;
        }

        /** The RTC reading of a fresh token at start (default: now). */
        public Builder startTime(Instant reading) {
            this.startTime = Objects.requireNonNull(reading, "reading");
            return this;
        }

        /** Simulated time runs {@code k} times faster than real time (default 1). */
        public Builder timeScale(double k) {
            this.timeScale = k;
            return this;
        }

        /** Serial number of a fresh token, 0 to 4294967295 (default: random). */
        public Builder serial(long number) {
            this.serial = number;
            return this;
        }

        /** Also present the token as a contactless card to the vpcd at {@code host:port}. */
        public Builder vpcd(String host, int port) {
            this.vpcd = Objects.requireNonNull(host, "host") + ":" + port;
            VpcdLink.parseAddress(vpcd);
            return this;
        }

        /**
         * Cuts the power at the {@code n}-th persistent write of the memory after the start, as
         * {@code otptoken-sim --power-cut-after-writes N} does (docs/reliability.md): the memory
         * is left as the torn write left it, the token stops and its pseudo-terminal closes
         * ({@link OtpToken#awaitPowerCut}). Only the first power-on counts; a {@link OtpToken#restart()}
         * runs without a cut.
         */
        public Builder powerCutAfterWrites(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("power cut after " + n + " writes: give 1 or more");
            }
            this.powerCutAfterWrites = n;
            return this;
        }

        /**
         * Starts the token and attaches it to a new pseudo-terminal (and vpcd).
         *
         * @throws IllegalArgumentException an option out of range (the message says which)
         * @throws IOException              the pseudo-terminal could not be opened, or the state
         *                                  file is corrupt, of another model or not writable
         */
        public OtpToken start() throws IOException {
            simOptions(null).validate().ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
            Path dir = stateFile == null ? Files.createTempDirectory("otptoken-") : null;
            OtpToken t = new OtpToken(this, stateFile != null ? stateFile : dir.resolve("token.state"),
                    Optional.ofNullable(dir));
            try {
                t.lock = StateFileLock.acquire(t.stateFile);
                t.powerOn(true);
            } catch (StateFileLock.HeldException e) {
                t.deleteOwnFiles();
                throw new IOException(Simulator.inUse(t.stateFile, e), e);
            } catch (IOException | RuntimeException e) {
                t.releaseLock();
                t.deleteOwnFiles();
                throw e;
            }
            return t;
        }

        /** The command line's options for this builder: what otptoken-sim would parse. */
        SimOptions simOptions(Path state) {
            SimOptions o = new SimOptions();
            o.pty = true;
            o.model = model;
            o.state = state;
            o.driftPpm = driftPpm;
            o.temperature = temperature;
            o.temperatureProfile = temperatureProfile;
            o.turnover = turnover;
            o.temperatureCoefficient = temperatureCoefficient;
            o.sensorOffset = sensorOffset;
            o.agingPpmPerYear = agingPpmPerYear;
            o.link = link;
            o.startTime = startTime == null ? "now" : startTime.toString();
            o.timeScale = timeScale;
            o.serial = serial;
            o.vpcd = vpcd;
            o.powerCutAfterWrites = powerCutAfterWrites;
            return o;
        }

        /** The host's steady clock, anchored once to the wall clock, as {@link SimMain#main} uses. */
        private static InstantSource steadyClock() {
            Instant anchor = Instant.now();
            long anchorTicks = System.nanoTime();
            return () -> anchor.plusNanos(System.nanoTime() - anchorTicks);
        }
    }

    /** Builds, attaches and serves a token, as {@link Simulator#run} does without face or stdin. */
    private void powerOn(boolean fresh) throws IOException {
        SimOptions o = options.simOptions(stateFile);
        if (!fresh) {
            // a restarted token is the one in the state file: the fresh-token options no longer apply
            o.serial = null;
            o.powerCutAfterWrites = null;
        }
        CompletableFuture<Void> lost = new CompletableFuture<>();
        SimulatedToken t;
        try {
            // the memory's hook runs on the serving thread: the token is stopped from another
            t = SimulatedToken.create(o, options.host, () -> lost.complete(null), warning -> { });
        } catch (SimulatedToken.BadStateException | MemoryFailureException e) {
            throw new IOException(e.getMessage(), e);
        } catch (PowerLossError e) {
            throw new IOException("the power was cut while the token started", e);
        }
        try {
            t.attach();
        } catch (IOException e) {
            t.stop(false, Simulator.STOP_WAIT_MILLIS);
            throw e;
        }
        t.serve(failure -> { });
        t.startTicker(Simulator.TICK_MILLIS);
        t.startCompensation();
        token = t;
        powered = true;
        cutByWrites = lost.thenRunAsync(() -> stopCut(t));
    }

    /** Stops a token whose power the memory cut, as the simulator does: no save, the pseudo-terminal closed. */
    private synchronized void stopCut(SimulatedToken t) {
        if (token == t && powered) {
            powered = false;
            t.stop(false, Simulator.STOP_WAIT_MILLIS);
        }
    }

    /**
     * Waits until the power cut of {@link Builder#powerCutAfterWrites} has happened and the token
     * has stopped (its state file then holds the torn memory).
     *
     * @return whether it happened within {@code timeout}
     */
    public boolean awaitPowerCut(Duration timeout) throws InterruptedException {
        CompletableFuture<Void> cut;
        synchronized (this) {
            cut = cutByWrites;
        }
        try {
            cut.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("stopping the token after its power cut failed", e.getCause());
        }
    }

    /** The pseudo-terminal a host opens to talk T=1 to the token; a new one after {@link #restart()}. */
    public synchronized Path ptyPath() {
        return Path.of(running().attachedName());
    }

    /** The vpcd address the token connects to, {@code host:port}, when it was asked for. */
    public Optional<String> vpcdAddress() {
        return Optional.ofNullable(options.vpcd);
    }

    /** The model's name, as {@link Builder#model} takes it (a state file's own model when loaded). */
    public synchronized String model() {
        return current().model().cliName;
    }

    /** The token's serial number. */
    public synchronized long serial() {
        return current().serial();
    }

    /** The state file holding the token's memory (a temporary one when none was given). */
    public Path stateFile() {
        return stateFile;
    }

    /**
     * A short press: shows the selected account's code on the otptoken model; on a model
     * without a display it only answers a CALCULATE waiting for a touch.
     */
    public void press() {
        SimulatedToken t = runningSnapshot();
        t.press();
    }

    /** A long press: the next account on the otptoken model; nothing on a model without a display. */
    public void longPress() {
        SimulatedToken t = runningSnapshot();
        t.longPress();
    }

    /** What the display shows; empty while it is off (and always on a model without a display). */
    public Optional<Readout> display() {
        return runningSnapshot().display();
    }

    /** The display as {@code otptoken-sim --headless} reports it: {@code CODE Ns} or {@code off}. */
    public String displayText() {
        return Simulator.displayText(display());
    }

    /** The token's RTC reading now; only the otptoken model has a clock of its own. */
    public Instant clock() {
        SimulatedToken t = runningSnapshot();
        requireClock(t);
        return t.clock();
    }

    /**
     * Sets the token's RTC, as a forced SET TIME over the device applet does (kept in the
     * memory: it survives a restart). Only the otptoken model has a clock of its own.
     */
    public void setClock(Instant reading) {
        Objects.requireNonNull(reading, "reading");
        SimulatedToken t = runningSnapshot();
        requireClock(t);
        t.setClock(reading);
    }

    /**
     * The crystal's temperature from now on, in °C (-60 to 125), as headless {@code temperature C}
     * does: a constant from now (it ends a {@link Builder#temperatureProfile}); the RTC's rate and
     * the sensor follow it.
     */
    public void setTemperature(double celsius) {
        runningSnapshot().setTemperature(celsius);
    }

    /** What the token's temperature sensor reads now, °C (steps of 0.25 °C, its offset included): GET TEMPERATURE's value. */
    public double sensorCelsius() {
        return runningSnapshot().sensorCelsius();
    }

    /** The symbolic link to the pseudo-terminal, when {@link Builder#link} asked for one. */
    public synchronized Optional<Path> linkPath() {
        return running().linkPath();
    }

    /** The RTC's rate error now, in ppm: the crystal's drift at its temperature and aging, and trim. */
    public double ratePpm() {
        return runningSnapshot().ratePpm();
    }

    /**
     * Cuts the power: the token stops without its exit save, its pseudo-terminal closes. A
     * command in progress finishes first; every command's writes were in the state file when
     * it answered, so the memory is what it was after the last answer. {@link #restart()}
     * powers it on again.
     */
    public synchronized void cutPower() {
        SimulatedToken t = running();
        powered = false;
        t.stop(false, Simulator.STOP_WAIT_MILLIS);
    }

    /** Whether the token is running (not after {@link #cutPower()} or {@link #close()}). */
    public synchronized boolean isPowered() {
        return powered && !closed && !token.powerWasCut();
    }

    /**
     * Powers the token on again from its state file, on a new pseudo-terminal: after
     * {@link #cutPower()}, or (a clean stop first) while it runs.
     */
    public synchronized void restart() throws IOException {
        checkOpen();
        if (powered) {
            powered = false;
            token.stop(true, Simulator.STOP_WAIT_MILLIS);
        }
        powerOn(false);
    }

    /** Stops the token (saving its memory) and deletes the temporary state file, if it made one. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (token != null && powered) {
            token.stop(true, Simulator.STOP_WAIT_MILLIS);
        }
        powered = false;
        releaseLock();
        deleteOwnFiles();
    }

    private void releaseLock() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }

    private void deleteOwnFiles() {
        if (ownDirectory.isEmpty()) {
            return;
        }
        try (var files = Files.list(ownDirectory.get())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(ownDirectory.get());
        } catch (IOException e) {
            Log.warn("cannot remove the token's temporary state {}: {}", ownDirectory.get(),
                    e.getMessage());
        }
    }

    /** Model, serial, pseudo-terminal and power: never a key or anything in the memory. */
    @Override
    public synchronized String toString() {
        if (token == null) {
            return "OtpToken[not started]";
        }
        return String.format(Locale.ROOT, "OtpToken[model=%s serial=%d pty=%s powered=%b]",
                token.model().cliName, token.serial(), token.attachedName(), isPowered());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the token was closed");
        }
    }

    private SimulatedToken current() {
        checkOpen();
        return token;
    }

    private SimulatedToken running() {
        checkOpen();
        if (!powered || token.powerWasCut()) {
            throw new IllegalStateException("the token's power is off (restart() powers it on)");
        }
        return token;
    }

    /** The running token, taken under the lock; its own methods then run outside it. */
    private synchronized SimulatedToken runningSnapshot() {
        return running();
    }

    private static void requireClock(SimulatedToken t) {
        if (!t.hasClock()) {
            throw new IllegalStateException("model " + t.model().cliName + " has no clock of its own");
        }
    }
}
