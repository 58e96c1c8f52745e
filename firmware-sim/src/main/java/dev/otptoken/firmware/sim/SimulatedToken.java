package dev.otptoken.firmware.sim;

import dev.otptoken.firmware.device.ClockCompensation;
import dev.otptoken.firmware.device.CompensationRecord;
import dev.otptoken.firmware.device.DeviceApplet;
import dev.otptoken.firmware.device.DeviceCommands;
import dev.otptoken.firmware.device.DeviceState;
import dev.otptoken.firmware.management.ManagementApplet;
import dev.otptoken.firmware.oath.AccountStore;
import dev.otptoken.firmware.oath.OathApplet;
import dev.otptoken.firmware.runtime.CardRuntime;
import dev.otptoken.firmware.runtime.CorruptRegionException;
import dev.otptoken.firmware.ui.AccountSummary;
import dev.otptoken.firmware.ui.ButtonTouchGate;
import dev.otptoken.firmware.ui.Readout;
import dev.otptoken.firmware.ui.TokenUi;
import dev.otptoken.hardware.clock.CrystalModel;
import dev.otptoken.hardware.clock.DriftingRtc;
import dev.otptoken.hardware.clock.ScaledSystemTimeSource;
import dev.otptoken.hardware.clock.TemperatureSensor;
import dev.otptoken.hardware.clock.TimeSource;
import dev.otptoken.hardware.clock.TrimRegister;
import dev.otptoken.hardware.clock.VirtualTimeSource;
import dev.otptoken.hardware.io.SevenSegment;
import dev.otptoken.hardware.link.ContactlessCard;
import dev.otptoken.hardware.link.PseudoTerminal;
import dev.otptoken.hardware.link.SerialPortLink;
import dev.otptoken.hardware.link.VpcdLink;
import dev.otptoken.hardware.memory.CorruptImageException;
import dev.otptoken.hardware.memory.MemoryFailureException;
import dev.otptoken.hardware.memory.PowerLossError;
import dev.otptoken.hardware.memory.StateFile;
import dev.otptoken.hardware.memory.StateFileException;
import dev.otptoken.hardware.memory.TransactionalMemory;
import dev.otptoken.log.Log;
import dev.otptoken.protocol.device.Device;
import dev.otptoken.protocol.management.Management;
import dev.otptoken.protocol.oath.Oath;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.t1.ByteLink;
import dev.otptoken.protocol.t1.T1CardChannel;
import dev.otptoken.protocol.t1.T1Timing;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The assembled token: memory (with its state file), RTC, card runtime with the OATH and
 * device applets, button/display, and the serial line. Everything the chip does runs
 * under {@link #chip}, one thing at a time.
 */
final class SimulatedToken {
    /** The memory's capacity: 32 KiB, like a small secure element's EEPROM. */
    static final int MEMORY_SIZE = 32 * 1024;
    /** The device applet's record sits at the top of the memory. */
    static final int DEVICE_BASE = MEMORY_SIZE - DeviceState.SIZE;
    /** The model record sits just below it. */
    static final int MODEL_BASE = DEVICE_BASE - ModelRecord.SIZE;
    /**
     * The compensation curve below that, in what the 152 account slots leave free; the OATH
     * applet's region of the otptoken model ends there (a memory from before the curve reads
     * all zero here: no curve).
     */
    static final int CURVE_BASE = MODEL_BASE - CompensationRecord.SIZE;
    /** Host time between two looks at the compensation's alarm, ms. */
    static final long COMPENSATION_POLL_MILLIS = 20;
    /** The largest memory image a state file of this token holds: what it writes itself. */
    static final int MAX_IMAGE_SIZE = TransactionalMemory.HEADER_SIZE + TransactionalMemory.DEFAULT_JOURNAL_SIZE
            + MEMORY_SIZE;
    static final int FEATURES = Device.FEATURE_RTC | Device.FEATURE_TRIM | Device.FEATURE_DISPLAY
            | Device.FEATURE_BUTTON | Device.FEATURE_TOUCH;
    static final int BAUD = 115_200;
    /** How long a touch-required CALCULATE waits for the button. */
    static final long TOUCH_TIMEOUT_MILLIS = 15_000;
    private static final long MICROS_PER_MILLI = 1_000;
    private static final long NANOS_PER_MICRO = 1_000;

    /**
     * The --state file is corrupt or foreign, or cannot be written: the message names the file
     * and the problem.
     */
    static final class BadStateException extends Exception {
        private static final long serialVersionUID = 1L;

        BadStateException(String message) {
            super(message);
        }
    }

    final ReentrantLock chip = new ReentrantLock();
    /**
     * Held by the interface running an APDU, taken before {@link #chip}: while a VALIDATE
     * waits off the chip (see {@link #pauseOffChip}) the other interface queues here, not
     * while holding the chip, so the waiting command can always take the chip back.
     */
    private final ReentrantLock apduLock = new ReentrantLock();
    /** Slice of a password-guess wait, in host time: short enough to end close to the deadline. */
    private static final long PAUSE_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Extra host time a guess wait may take before the backstop ends it (a frozen host clock). */
    private static final long PAUSE_BACKSTOP_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final SimOptions options;
    private final Runnable onPowerLost;
    private volatile Consumer<Optional<Readout>> displayListener = r -> { };
    private volatile Consumer<Boolean> touchListener = w -> { };
    private volatile GuessWaitListener guessWaitListener = GuessWaitListener.NONE;
    private final ButtonTouchGate touchGate;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "otptoken-sim-display");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean powerCut;
    private volatile boolean stopping;
    /**
     * Whether the memory's images go to the state file: not before the loaded memory was
     * checked (a state refused at start is left untouched, even if recovery ran in RAM).
     */
    private volatile boolean saving;

    private SimulatedToken(SimOptions options, Runnable onPowerLost) {
        this.options = options;
        this.onPowerLost = onPowerLost;
        this.touchGate = new ButtonTouchGate(() -> touchListener.accept(touchGate().isWaiting()));
    }

    private ButtonTouchGate touchGate() {
        return touchGate;
    }

    static SimulatedToken create(SimOptions options, InstantSource host, Runnable onPowerLost,
                        Consumer<String> warn) throws BadStateException, IOException {
        SimulatedToken t = new SimulatedToken(options, onPowerLost);
        t.assemble(host, warn);
        return t;
    }

    void onDisplay(Consumer<Optional<Readout>> listener) {
        displayListener = listener;
    }

    void onTouchWait(Consumer<Boolean> listener) {
        touchListener = listener;
    }

    /** Told when a password guess starts and ends its wait (docs/oath-applet.md, "Brute-force limit"). */
    interface GuessWaitListener {
        GuessWaitListener NONE = new GuessWaitListener() {
            @Override
            public void started(long millis) {
            }

            @Override
            public void ended() {
            }
        };

        /** The wait has begun and the chip is free: {@code millis} of the token's true time. */
        void started(long millis);

        /** The wait is over (or cut short) and the guess holds the chip again. */
        void ended();
    }

    void onGuessWait(GuessWaitListener listener) {
        guessWaitListener = listener;
    }

    /** Called by the memory at the moment of a power cut: save the torn image, stop. */
    void powerLost() {
        synchronized (this) {
            if (powerCut) {
                return;
            }
            powerCut = true;
        }
        saveTornImage();
        onPowerLost.run();
    }

    String status() {
        if (ui == null) {
            return String.format(Locale.ROOT, "serial=%d accounts=%d model=%s", deviceState.serial(),
                    accounts.accountsUsed(), model.cliName);
        }
        Optional<Readout> r = ui.current();
        return String.format(Locale.ROOT, "serial=%d accounts=%d selected=%d rtc=%s trim=%d display=%s",
                deviceState.serial(), accounts.accountsUsed(), deviceState.selectedAccount(),
                Instant.EPOCH.plusNanos(rtc.readMicros() * MICROS_PER_MILLI), rtc.trim(),
                Simulator.displayText(r).replace(' ', '/'));
    }

    /** A short press: shows a code on a token with a display; on one without, it only gives a waiting touch. */
    void press() {
        if (ui == null) {
            touchGate.release();
            return;
        }
        button(ui::press);
    }

    /** A long press: the next account on a token with a display; nothing on one without. */
    void longPress() {
        if (ui == null) {
            return;
        }
        button(ui::longPress);
    }

    /**
     * A button action; a power cut in it (an HOTP counter, the selection) kills the chip. A
     * write that could not be saved was undone by the memory: the press shows nothing new.
     */
    private void button(Runnable action) {
        if (powerCut) {
            return;
        }
        try {
            action.run();
        } catch (PowerLossError e) {
            powerLost();
        } catch (MemoryFailureException e) {
            Log.error("button: {}; the press was undone", e.getMessage());
        }
    }

    /** Starts the display's ticker (a token without a display has none). */
    void startTicker(long millis) {
        if (ui == null) {
            return;
        }
        ticker.scheduleAtFixedRate(() -> {
            try {
                if (!powerCut) {
                    ui.tick();
                }
            } catch (PowerLossError e) {
                powerLost();
            } catch (RuntimeException e) {
                Log.error(e, "display update failed");
            }
        }, 0, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the RTC's wakeup alarm for the compensation: every {@link #COMPENSATION_POLL_MILLIS}
     * of host time (and before every APDU) the chip looks whether the token's clock passed the
     * next update, and runs each update that came due as at the instant it was due
     * ({@link CompensationAlarm}): at a large --time-scale 20 ms of host time hold many updates.
     */
    void startCompensation() {
        if (!model.hasClockAndDisplay) {
            return;
        }
        ticker.scheduleAtFixedRate(() -> {
            if (powerCut || compensation.nextUpdateMicros() == Long.MAX_VALUE) {
                return;
            }
            chip.lock();
            try {
                alarm.runDue();
            } catch (RuntimeException e) {
                Log.error(e, "compensation update failed");
            } finally {
                chip.unlock();
            }
        }, COMPENSATION_POLL_MILLIS, COMPENSATION_POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The temperature at start: --temperature-profile's file, else --temperature. */
    private dev.otptoken.hardware.clock.TemperatureProfile startProfile() throws BadStateException {
        if (options.temperatureProfile == null) {
            return dev.otptoken.hardware.clock.TemperatureProfile.constant(options.temperature);
        }
        try {
            return TemperatureProfileFile.read(options.temperatureProfile, timeSource.epochNanos());
        } catch (TemperatureProfileFile.BadProfileException e) {
            throw new BadStateException(e.getMessage());
        }
    }

    /** The temperature sensor's reading now, °C. */
    double sensorCelsius() {
        return sensor.readQuarterCelsius() / (double) TemperatureSensor.STEPS_PER_CELSIUS;
    }

    /** The model this token is (from --model, or from its state file). */
    DeviceModel model() {
        return model;
    }

    /**
     * Where the OATH applet's region of {@code model} ends: below the model record for the
     * otptoken model (152 slots of maximum size), or after exactly its capacity's slots.
     */
    static int oathRegionLength(DeviceModel model) {
        return model.capacity == 0 ? CURVE_BASE : AccountStore.regionLength(model.capacity);
    }

    static long randomSerial() {
        return 10_000_000L + new SecureRandom().nextInt(90_000_000);
    }

    // ---- parts wired to the upstream modules follow ----
    private TimeSource timeSource;
    private DeviceModel model;
    private TransactionalMemory memory;
    private DriftingRtc rtc;
    private SteppedTemperature temperature;
    private DeviceState deviceState;
    private TemperatureSensor sensor;
    private ClockCompensation compensation;
    private CompensationAlarm alarm;
    private OathApplet oath;
    private OathAccounts accounts;
    private CardRuntime runtime;
    private TokenUi ui;
    private ByteLink link;
    private String attachedName;
    private Optional<Path> linkPath = Optional.empty();
    private Optional<String> vpcdAddress = Optional.empty();
    private T1CardChannel channel;
    private Thread server;
    private VpcdLink vpcd;
    private Thread vpcdServer;

    /** What {@code file} is (through links); null when it is missing or cannot be looked at, as for {@code Files.exists}. */
    private static BasicFileAttributes attributesOrNull(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    private void assemble(InstantSource host, Consumer<String> warn) throws BadStateException, IOException {
        timeSource = new ScaledSystemTimeSource(host.instant(), options.timeScale, host);
        saving = false;
        BasicFileAttributes existing = options.state == null ? null : attributesOrNull(options.state);
        // a file made empty for the token (mktemp) holds no memory: nothing to lose by making one in it
        boolean emptyFile = existing != null && existing.isRegularFile() && existing.size() == 0;
        if (existing != null && !emptyFile) {
            byte[] image;
            try {
                image = StateFile.read(options.state, MAX_IMAGE_SIZE);
            } catch (StateFileException e) {
                throw new BadStateException(e.getMessage());
            }
            try {
                memory = TransactionalMemory.powerUp(image, this::persist);
            } catch (CorruptImageException e) {
                throw new BadStateException("state file " + options.state + " is corrupt: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new BadStateException("state file " + options.state + " is not a token's memory: "
                        + e.getMessage());
            }
            if (memory.size() != MEMORY_SIZE) {
                throw new BadStateException("state file " + options.state + " holds a memory of "
                        + memory.size() + " bytes, not " + MEMORY_SIZE);
            }
        } else {
            memory = TransactionalMemory.fresh(MEMORY_SIZE, TransactionalMemory.DEFAULT_JOURNAL_SIZE, this::persist);
        }
        boolean deviceFormatted;
        boolean oathFormatted;
        int oathLength;
        try {
            model = chooseModel();
            oathLength = oathRegionLength(model);
            // Only a region that was never written is formatted: a damaged one would lose the
            // accounts, the password and its failure count for good (docs/otptoken-sim.md).
            deviceFormatted = DeviceState.inspect(memory, DEVICE_BASE);
            CompensationRecord.inspect(memory, CURVE_BASE);
            oathFormatted = AccountStore.inspectRegion(memory, 0, oathLength);
        } catch (CorruptRegionException e) {
            throw new BadStateException("state file " + options.state + " is corrupt: " + e.getMessage());
        }
        if (options.state != null) {
            removeStaleTempFiles();
            saving = true;
            // A token that cannot keep what it is given must not start: every later change
            // would fail (6581). This save also writes what recovery did, and creates the file.
            try {
                StateFile.write(options.state, memory.physicalImage());
            } catch (IOException e) {
                throw new BadStateException(StateFile.writeFailure(options.state, e));
            }
            if (emptyFile) {
                warn.accept("state file " + options.state + " was empty: a fresh token is made in it");
            }
        }
        if (oathFormatted) {
            // before --power-cut-after-writes starts counting: it counts what the token is asked to do
            int wiped = AccountStore.scrubFreeSlots(memory, 0, oathLength);
            if (wiped > 0) {
                Log.info("wiped {} free account slots that still held a key (a reset was interrupted)", wiped);
            }
        }
        if (options.powerCutAfterWrites != null) {
            memory.setPowerCutAfterWrites(options.powerCutAfterWrites);
        }
        deviceState = new DeviceState(memory, DEVICE_BASE);
        long now = Math.floorDiv(timeSource.epochNanos(), NANOS_PER_MICRO);
        if (!deviceFormatted) {
            long serial = options.serial != null ? options.serial : randomSerial();
            long start = options.startInstant().map(i -> i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000)
                    .orElse(now);
            if (model == DeviceModel.OTPTOKEN) {
                deviceState.format(serial, now, start, 0);
            } else {
                // The model and the serial are made together: a cut leaves both or neither.
                memory.beginTransaction();
                ModelRecord.write(memory, MODEL_BASE, model);
                deviceState.format(serial, now, start, 0);
                memory.commitTransaction();
            }
        } else if (options.serial != null && options.serial != deviceState.serial()) {
            warn.accept("--serial " + options.serial + " ignored: the token in " + options.state
                    + " has serial " + deviceState.serial());
        }
        // A battery-backed RTC kept running while the process was away: its reading now is
        // what the crystal made of the downtime. If true time is behind the anchor (the
        // last run used a larger --time-scale), it resumes where it stood. (The models
        // without a clock of their own keep the record's anchor and never read this RTC.)
        long nowNanos = timeSource.epochNanos();
        long anchorTrueNanos = Math.min(deviceState.anchorTrueMicros() * NANOS_PER_MICRO, nowNanos);
        temperature = new SteppedTemperature(startProfile());
        CrystalModel crystal = new CrystalModel(options.driftPpm, options.turnover,
                options.temperatureCoefficient, options.agingPpmPerYear, temperature);
        VirtualTimeSource atAnchor = new VirtualTimeSource(Instant.EPOCH);
        atAnchor.setNanos(anchorTrueNanos);
        long readingNow = new DriftingRtc(atAnchor, crystal, TrimRegister.STM32_CALR, anchorTrueNanos,
                deviceState.anchorRtcMicros() * NANOS_PER_MICRO, deviceState.trim()).readingNanosAt(nowNanos);
        // the RTC and the sensor read true time through the compensation's alarm: its updates
        // run as at the instant each was due
        CompensationAlarm.Time alarmTime = new CompensationAlarm.Time(timeSource);
        rtc = new DriftingRtc(alarmTime, crystal, TrimRegister.STM32_CALR, anchorTrueNanos, readingNow,
                deviceState.trim());
        oath = new OathApplet(memory, 0, oathLength, rtc, touchGate::awaitTouch, new SecureRandom(),
                this::pauseOffChip, model.oath);
        oath.setTouchTimeoutMillis(TOUCH_TIMEOUT_MILLIS);
        accounts = new OathAccounts(oath);
        runtime = new CardRuntime(memory);
        runtime.install(Oath.aid(), oath);
        sensor = new TemperatureSensor(alarmTime, temperature, options.sensorOffset != null ? options.sensorOffset
                : TemperatureSensor.offsetForSerial(deviceState.serial()));
        CompensationRecord curve = new CompensationRecord(memory, CURVE_BASE);
        compensation = new ClockCompensation(rtc, sensor::readQuarterCelsius, curve.curve());
        alarm = new CompensationAlarm(rtc, alarmTime, compensation);
        if (model.hasClockAndDisplay) {
            DeviceCommands commands = new DeviceCommands(deviceState, curve, compensation, rtc,
                    () -> Math.floorDiv(timeSource.epochNanos(), NANOS_PER_MICRO), accounts, FEATURES);
            runtime.install(Device.aid(), new DeviceApplet(commands));
            ui = new TokenUi(rtc, accounts, deviceState, touchGate, chip, r -> displayListener.accept(r));
        }
        model.management().ifPresent(info ->
                runtime.install(Management.aid(), new ManagementApplet(info, deviceState.serial())));
    }

    /**
     * The model of this run: the one the state file holds, which --model may name but not
     * change (a clear refusal, never a conversion); --model, or otptoken, for a new token. A
     * memory without a model record holds an otptoken, unless nothing was ever written to it.
     */
    private DeviceModel chooseModel() throws CorruptRegionException, BadStateException {
        Optional<DeviceModel> recorded = ModelRecord.read(memory, MODEL_BASE);
        Optional<DeviceModel> held = recorded.isPresent() || CorruptRegionException.empty(memory, 0, MEMORY_SIZE)
                ? recorded : Optional.of(DeviceModel.OTPTOKEN);
        Optional<DeviceModel> requested = options.requestedModel();
        if (held.isPresent() && requested.isPresent() && held.get() != requested.get()) {
            throw new BadStateException("state file " + options.state + " holds model " + held.get().cliName
                    + ", not " + requested.get().cliName + " (a state file keeps its model: start it with"
                    + " --model " + held.get().cliName + ", or without --model)");
        }
        return held.or(() -> requested).orElse(DeviceModel.OTPTOKEN);
    }

    /**
     * Temporary copies of the state file left by a save that was killed before its rename:
     * each is a whole token (every key), and nothing else ever removes them.
     */
    private void removeStaleTempFiles() {
        try {
            for (Path stale : StateFile.staleTempFiles(options.state)) {
                try {
                    Files.deleteIfExists(stale);
                    Log.info("removed {}: a copy of the memory left by a save that was interrupted", stale);
                } catch (IOException e) {
                    Log.warn("cannot remove {}, a copy of the memory left by an interrupted save: {}", stale,
                            e.getMessage());
                }
            }
        } catch (IOException e) {
            Log.warn("cannot look for stale copies of {}: {}", options.state, e.getMessage());
        }
    }

    /**
     * The memory's persistence listener: the image of every commit, before the commit lands.
     * A failure is thrown back, so that the memory undoes the change and the command fails.
     */
    private void persist(byte[] image) throws IOException {
        if (options.state == null || !saving) {
            return;
        }
        try {
            StateFile.write(options.state, image);
        } catch (IOException e) {
            throw new IOException(StateFile.writeFailure(options.state, e), e);
        }
    }

    /** A save outside a command (the torn image, the image at exit): a failure is logged. */
    private void saveLogged(byte[] image) {
        try {
            persist(image);
        } catch (IOException e) {
            Log.error("{}", e.getMessage());
        }
    }

    private void saveTornImage() {
        saveLogged(memory.physicalImage());
    }

    void attach() throws IOException {
        if (options.port().isPresent()) {
            link = SerialPortLink.open(options.port().get(), BAUD);
            attachedName = options.port().get();
        } else {
            PseudoTerminal pty = PseudoTerminal.open(options.link());
            link = pty;
            attachedName = pty.slavePath().toString();
            linkPath = pty.link();
        }
        if (options.vpcd != null) {
            InetSocketAddress address = VpcdLink.parseAddress(options.vpcd);
            vpcd = new VpcdLink(address.getHostString(), address.getPort(), contactless(card(CardRuntime.CONTACTLESS)));
            vpcdAddress = Optional.of(address.getHostString() + ":" + address.getPort());
            vpcd.connect();
        }
    }

    /**
     * Where a host reaches the token, for the face: {@code port /dev/pts/3}, with the
     * {@code --link} path and the vpcd address when there are such (unescaped).
     */
    String where() {
        return "port " + attachedName + linkPath.map(p -> " (link " + p + ")").orElse("")
                + vpcdAddress.map(a -> "   vpcd " + a).orElse("");
    }

    String attachedName() {
        return attachedName;
    }

    Optional<Path> linkPath() {
        return linkPath;
    }

    /** The otptoken model's contactless ATR: an ISO 14443-4 card with no historical bytes, {@code 3B 80 80 01 01}. */
    static final byte[] CONTACTLESS_ATR = VpcdLink.iso14443Atr(new byte[0]);

    /** The contactless ATR of this token's model (the reader builds it from the card's historical bytes). */
    byte[] contactlessAtr() {
        return VpcdLink.iso14443Atr(model.atrHistorical());
    }

    /** The card as pcscd sees it through vpcd: a field that comes and goes clears volatile state. */
    private ContactlessCard contactless(Card card) {
        byte[] atr = contactlessAtr();
        return new ContactlessCard() {
            @Override
            public byte[] atr() {
                return atr.clone();
            }

            @Override
            public void powerOn() {
                card.powerEvent();
            }

            @Override
            public void powerOff() {
                card.powerEvent();
            }

            @Override
            public void reset() {
                card.warmReset();
            }

            @Override
            public byte[] transmit(byte[] command) {
                return card.transmit(command);
            }
        };
    }

    /** The card as the serial line and vpcd see it: one APDU at a time, power cuts handled. */
    Card card() {
        return card(CardRuntime.CONTACT);
    }

    /** The card as one interface ({@link CardRuntime#CONTACT} or {@link CardRuntime#CONTACTLESS}) sees it. */
    Card card(int iface) {
        return new Card() {
            @Override
            public byte[] transmit(byte[] command) {
                return onChip(() -> {
                    // the updates due come first: the command reads and sets the clock after them
                    alarm.runDue();
                    return runtime.transmit(iface, command);
                });
            }

            @Override
            public void warmReset() {
                onChip(() -> {
                    runtime.warmReset(iface);
                    return null;
                });
            }

            @Override
            public void powerEvent() {
                onChip(() -> {
                    runtime.powerEvent(iface);
                    return null;
                });
            }
        };
    }

    /**
     * The OATH applet's password-guess wait: {@code millis} of the token's true time (so
     * {@code --time-scale} shortens it in host time). The chip is released meanwhile, so the
     * button and display keep working; the other interface still waits for this APDU
     * ({@link #apduLock}). A host clock that stops moving cannot hang the chip: the wait
     * also ends after twice its host-time length plus a second.
     */
    private boolean pauseOffChip(long millis) {
        if (millis <= 0) {
            return true;
        }
        int holds = chip.getHoldCount();
        for (int i = 0; i < holds; i++) {
            chip.unlock();
        }
        guessWaitListener.started(millis);
        try {
            long deadline = timeSource.epochNanos() + TimeUnit.MILLISECONDS.toNanos(millis);
            long hostNanos = (long) Math.ceil(TimeUnit.MILLISECONDS.toNanos(millis) / options.timeScale);
            long backstop = System.nanoTime() + 2 * hostNanos + PAUSE_BACKSTOP_NANOS;
            // bounded: each pass sleeps at least a millisecond and the backstop ends it
            for (long left = deadline - timeSource.epochNanos(); left > 0 && System.nanoTime() - backstop < 0;
                    left = deadline - timeSource.epochNanos()) {
                long sleep = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                        Math.min(PAUSE_SLICE_NANOS, (long) Math.ceil(left / options.timeScale)));
                try {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                if (stopping || powerCut) {
                    return false;
                }
            }
            return true;
        } finally {
            for (int i = 0; i < holds; i++) {
                chip.lock();
            }
            // Told only once the chip is taken back: whatever the button did during the wait
            // (it shows codes under the chip) is reported before this.
            guessWaitListener.ended();
        }
    }

    private <T> T onChip(Supplier<T> action) {
        apduLock.lock();
        try {
            return onChipLocked(action);
        } finally {
            apduLock.unlock();
        }
    }

    private <T> T onChipLocked(Supplier<T> action) {
        chip.lock();
        try {
            return action.get();
        } catch (PowerLossError e) {
            // Dead chip: it never answers. The process stops with status 75.
            powerLost();
            throw e;
        } finally {
            chip.unlock();
        }
    }

    void serve(Consumer<IOException> onFailure) {
        Card card = card();
        channel = new T1CardChannel(link, T1Timing.DEFAULT);
        server = new Thread(() -> {
            try {
                channel.serve(new T1CardChannel.CardHandler() {
                    @Override
                    public byte[] process(byte[] apdu) {
                        return card.transmit(apdu);
                    }

                    @Override
                    public void warmReset() {
                        card.warmReset();
                    }
                });
            } catch (IOException e) {
                if (!stopping) {
                    onFailure.accept(e);
                }
            } catch (PowerLossError e) {
                Log.debug("serial line stopped by the power cut");
            }
        }, "otptoken-sim-t1");
        server.start();
        if (vpcd != null) {
            vpcdServer = new Thread(() -> {
                try {
                    vpcd.run();
                } catch (PowerLossError e) {
                    Log.debug("vpcd stopped by the power cut");
                }
            }, "otptoken-sim-vpcd");
            vpcdServer.setDaemon(true);
            vpcdServer.start();
        }
    }


    /** Stops serving (the APDU in progress finishes), saves unless the power was cut, closes the line. */
    void stop(boolean save, long waitMillis) {
        stopping = true;
        // a request waiting for a touch would hold the serving thread for its whole time-out
        touchGate.cancel();
        ticker.shutdownNow();
        if (channel != null) {
            channel.stop();
        }
        if (server != null) {
            try {
                server.join(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (vpcd != null) {
            vpcd.stop();
        }
        if (save && !powerCut) {
            chip.lock();
            try {
                alarm.runDue();
                keepCompensatedAnchor();
                saveLogged(memory.physicalImage());
            } finally {
                chip.unlock();
            }
        }
        if (link != null) {
            try {
                link.close();
            } catch (IOException e) {
                Log.debug("closing the line: {}", e.getMessage());
            }
        }
    }

    /**
     * The compensation moves the trim without writing it (it would wear the memory every
     * 64 s): at a normal stop the RTC's anchor and the trim in force are written, so a
     * restart continues from where the clock stood.
     */
    private void keepCompensatedAnchor() {
        if (compensation == null || compensation.curve().isEmpty()) {
            return;
        }
        try {
            deviceState.trimSet(Math.floorDiv(timeSource.epochNanos(), NANOS_PER_MICRO), rtc.readMicros(), rtc.trim());
        } catch (MemoryFailureException | PowerLossError e) {
            Log.error("the clock's anchor could not be written at exit: {}", e.getMessage());
        }
    }

    /** What the display shows now; empty while it is off, and always on a token without a display. */
    Optional<Readout> display() {
        return ui == null ? Optional.empty() : ui.current();
    }

    /** Whether the token has a clock of its own (and a display): the {@code otptoken} model. */
    boolean hasClock() {
        return model.hasClockAndDisplay;
    }

    /** The token's RTC reading now (a model without a clock has none: check {@link #hasClock()}). */
    Instant clock() {
        return Instant.EPOCH.plusNanos(rtc.readNanos());
    }

    /**
     * Sets the RTC, as the device applet's SET TIME (forced) does: the reading and its anchor
     * in the memory, so the setting survives a restart. Only on a token with a clock.
     */
    void setClock(Instant reading) {
        if (!model.hasClockAndDisplay) {
            throw new IllegalStateException("model " + model.cliName + " has no clock of its own");
        }
        long micros = Math.addExact(Math.multiplyExact(reading.getEpochSecond(), 1_000_000L),
                reading.getNano() / 1_000);
        chip.lock();
        try {
            if (powerCut) {
                return;
            }
            alarm.runDue();
            deviceState.clockSet(Math.floorDiv(timeSource.epochNanos(), NANOS_PER_MICRO), micros);
            compensation.clockSet(micros);
            rtc.set(micros);
        } catch (PowerLossError e) {
            powerLost();
        } finally {
            chip.unlock();
        }
    }

    /** The crystal's temperature from now on, in °C (the range --temperature takes). */
    void setTemperature(double celsius) {
        if (!Double.isFinite(celsius) || celsius < -60 || celsius > 125) {
            throw new IllegalArgumentException("temperature must be between -60 and 125 °C: " + celsius);
        }
        temperature.set(timeSource.epochNanos(), celsius);
    }

    /** The RTC's rate error now (crystal at its temperature, and trim), in ppm. */
    double ratePpm() {
        return rtc.ratePpm();
    }

    /** The token's serial number. */
    long serial() {
        return deviceState.serial();
    }

    /** Whether the power was cut (the memory's write counter ran out): the chip is dead. */
    boolean powerWasCut() {
        return powerCut;
    }

    /** Whether the token has a display (the {@code otptoken} model) rather than only a touch button. */
    boolean hasDisplay() {
        return ui != null;
    }

    /** The face frame for a terminal in {@code style}; never waits for the chip (a touch wait may hold it). */
    String face(FaceRenderer.Style style) {
        if (ui == null) {
            return FaceRenderer.keyFrame(style, faceInfo(), touchGate.isWaiting());
        }
        Optional<Readout> r = ui.current();
        int[] masks = r.map(x -> masks(x.code())).orElse(new int[0]);
        if (chip.tryLock()) {
            try {
                faceAccounts = accounts.accountCount();
                faceSelected = deviceState.selectedAccount();
                faceAccountName = faceAccounts == 0 ? "" : accounts.accountName(faceSelected % faceAccounts);
                if (r.isPresent() && r.get().account() < faceAccounts) {
                    AccountSummary s = accounts.account(r.get().account());
                    faceTotal = FaceRenderer.total(s.periodSeconds(), deviceState.timeoutSeconds(),
                            s.type() == OathType.HOTP);
                }
            } finally {
                chip.unlock();
            }
        }
        return FaceRenderer.frame(style, faceInfo(), r, masks, faceTotal, touchGate.isWaiting());
    }

    private FaceRenderer.Info faceInfo() {
        return new FaceRenderer.Info(model.cliName, deviceState.serial(), where(), faceAccounts, faceSelected,
                faceAccountName);
    }

    private static int[] masks(String code) {
        int[] m = new int[code.length()];
        for (int i = 0; i < m.length; i++) {
            m[i] = SevenSegment.encode(code.charAt(i));
        }
        return m;
    }

    private int faceAccounts;
    private int faceSelected;
    private String faceAccountName = "";
    private int faceTotal = Oath.DEFAULT_PERIOD;
}
