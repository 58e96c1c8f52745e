package dev.otptoken.firmware.sim;

import dev.otptoken.firmware.ui.Readout;
import dev.otptoken.hardware.memory.MemoryFailureException;
import dev.otptoken.hardware.memory.PowerLossError;
import dev.otptoken.hardware.memory.StateFileLock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.otptoken.log.Log;

/**
 * One run of the token process: builds the {@link SimulatedToken}, attaches it to its serial line,
 * runs the face or the headless protocol, and stops cleanly on quit, on a signal, on a
 * power cut or when the line fails.
 */
final class Simulator {
    /** How often the display catches up with the RTC (real time). */
    static final long TICK_MILLIS = 50;
    /** Bound on waiting for the serving thread and the shutdown at exit. */
    static final long STOP_WAIT_MILLIS = 5_000;

    private final SimOptions options;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean process;
    private final InstantSource host;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    Simulator(SimOptions options, InputStream in, PrintStream out, PrintStream err, boolean process,
              InstantSource host) {
        this.options = options;
        this.in = in;
        this.out = out;
        this.err = err;
        this.process = process;
        this.host = host;
    }

    int run() {
        Headless headless = new Headless(out);
        boolean face = process && !options.headless && System.console() != null;
        try (StateFileLock lock = options.state == null ? null : StateFileLock.acquire(options.state)) {
            if (lock != null) {
                lock.notHeldBecause().ifPresent(why -> err.println("otptoken-sim: warning: state file " + options.state
                        + " is not locked (" + why + "): a second token started on it would not be refused"));
            }
            return run(headless, face);
        } catch (StateFileLock.HeldException e) {
            err.println("otptoken-sim: " + inUse(options.state, e));
            return SimMain.EXIT_STATE;
        }
    }

    /** Why a token is not started on {@code state}: another holds its lock. */
    static String inUse(Path state, StateFileLock.HeldException e) {
        return "state file " + state + " is in use by another token"
                + (e.holder().isPresent() ? " (process " + e.holder().getAsLong() + ")" : "") + ": one token per state file";
    }

    private int run(Headless headless, boolean face) {
        SimulatedToken token;
        try {
            token = SimulatedToken.create(options, host, this::powerLost,
                    warning -> err.println("otptoken-sim: " + warning));
        } catch (SimulatedToken.BadStateException e) {
            err.println("otptoken-sim: " + e.getMessage());
            return SimMain.EXIT_STATE;
        } catch (MemoryFailureException e) {
            // the state file became unwritable between the check and the first format
            err.println("otptoken-sim: " + e.getMessage());
            return SimMain.EXIT_STATE;
        } catch (IOException e) {
            err.println("otptoken-sim: " + e.getMessage());
            return SimMain.EXIT_DEVICE;
        } catch (PowerLossError e) {
            return SimMain.EXIT_POWER_CUT;
        }
        FaceView faceView = face ? new FaceView(out, token, FaceRenderer.Style.of(System.getenv())) : null;
        token.onDisplay(r -> {
            if (faceView != null) {
                faceView.redraw();
            } else if (options.headless) {
                headless.display(r);
            }
        });
        token.onTouchWait(waiting -> {
            if (faceView != null) {
                faceView.redraw();
            } else if (options.headless) {
                headless.line(waiting ? "touch: waiting" : "touch: done");
            }
        });
        if (options.headless) {
            token.onGuessWait(new SimulatedToken.GuessWaitListener() {
                @Override
                public void started(long millis) {
                    headless.line(String.format(Locale.ROOT, "guess: waiting %d ms", millis));
                }

                @Override
                public void ended() {
                    headless.line("guess: done");
                }
            });
        }
        Thread hook = null;
        ControlSocket control = null;
        try {
            try {
                token.attach();
            } catch (IOException e) {
                err.println("otptoken-sim: " + e.getMessage());
                return SimMain.EXIT_DEVICE;
            }
            // the control socket listens before 'attached:' is said: whoever reads that line may use it
            Controls controls = controls(token);
            if (options.control != null) {
                try {
                    control = ControlSocket.open(options.control, controls);
                } catch (IOException e) {
                    err.println("otptoken-sim: " + e.getMessage());
                    return SimMain.EXIT_DEVICE;
                }
            }
            headless.line("attached: " + token.attachedName());
            token.linkPath().ifPresent(p -> headless.line("link: " + p));
            if (process) {
                hook = new Thread(() -> {
                    boolean bySignal = exit.complete(SimMain.EXIT_OK);
                    awaitStopped();
                    if (bySignal) {
                        // SIGINT/SIGTERM: a clean stop is status 0, not the JVM's 128+signal.
                        out.flush();
                        Runtime.getRuntime().halt(SimMain.EXIT_OK);
                    }
                }, "otptoken-sim-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
            }
            token.serve(failure -> {
                // one line on standard error, not a second copy through the log
                Log.debug("serial line failed: {}", failure.getMessage());
                err.println("otptoken-sim: serial line failed: " + failure.getMessage());
                exit.complete(SimMain.EXIT_DEVICE);
            });
            token.startTicker(TICK_MILLIS);
            token.startCompensation();
            if (faceView != null) {
                faceView.start(controls);
            } else if (options.headless) {
                Thread reader = new Thread(() -> {
                    try {
                        headless.readCommands(new BufferedReader(
                                new InputStreamReader(in, StandardCharsets.UTF_8)), controls);
                    } catch (IOException e) {
                        Log.debug("standard input closed: {}", e.getMessage());
                    }
                }, "otptoken-sim-stdin");
                reader.setDaemon(true);
                reader.start();
            }
            return awaitExit();
        } finally {
            if (control != null) {
                control.close();
            }
            boolean powerCut = exit.getNow(SimMain.EXIT_OK) == SimMain.EXIT_POWER_CUT;
            token.stop(!powerCut, STOP_WAIT_MILLIS);
            if (faceView != null) {
                faceView.stop();
            }
            out.flush();
            stopped.countDown();
            if (hook != null && !exit.isDone()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // Shutting down already: the hook is running.
                }
            }
        }
    }

    private Controls controls(SimulatedToken token) {
        return new Controls() {
            @Override
            public void press() {
                guard(token::press);
            }

            @Override
            public void longPress() {
                guard(token::longPress);
            }

            @Override
            public void temperature(double celsius) {
                token.setTemperature(celsius);
            }

            @Override
            public String status() {
                return token.status();
            }

            @Override
            public void quit() {
                exit.complete(SimMain.EXIT_OK);
            }
        };
    }

    /**
     * Runs a button action; a power cut in it (an HOTP counter write) stops the token. Any
     * other failure is logged in one line and the token goes on: the face's and the headless
     * input threads must outlive it, or the token would ignore {@code quit}.
     */
    private void guard(Runnable action) {
        try {
            action.run();
        } catch (PowerLossError e) {
            // powerLost() already ran from the memory's hook.
            Log.debug("power lost during a button action");
        } catch (RuntimeException e) {
            Log.error("button action failed: {}", e.getMessage() == null ? e.getClass().getName()
                    : (e.getClass().getName() + ": " + e.getMessage()).replaceAll("[\\r\\n]+", " "));
        }
    }

    /** Called by the token right after the torn image was saved. */
    private void powerLost() {
        exit.complete(SimMain.EXIT_POWER_CUT);
    }

    private int awaitExit() {
        while (true) {
            try {
                return exit.get();
            } catch (InterruptedException e) {
                exit.complete(SimMain.EXIT_OK);
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                return SimMain.EXIT_DEVICE;
            }
        }
    }

    private void awaitStopped() {
        try {
            stopped.await(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The face on a terminal: drawn once per change of what it shows (a frame equal to the last
     * one is not printed again), keys read raw.
     */
    static final class FaceView {
        private final PrintStream out;
        private final SimulatedToken token;
        private final FaceRenderer.Style style;
        private Optional<Terminal> terminal = Optional.empty();
        private String last = "";

        FaceView(PrintStream out, SimulatedToken token, FaceRenderer.Style style) {
            this.out = out;
            this.token = token;
            this.style = style;
        }

        void start(Controls controls) {
            terminal = Terminal.raw();
            out.print(style.begin(token.hasDisplay()));
            redraw();
            Thread keys = new Thread(() -> readKeys(controls), "otptoken-sim-keys");
            keys.setDaemon(true);
            keys.start();
        }

        private void readKeys(Controls controls) {
            try {
                for (int c = System.in.read(); c >= 0; c = System.in.read()) {
                    switch (c) {
                        case ' ', '\n', '\r' -> controls.press();
                        case 'l', 'L' -> controls.longPress();
                        case 'q', 'Q' -> {
                            controls.quit();
                            return;
                        }
                        default -> { }
                    }
                }
            } catch (IOException e) {
                Log.debug("keyboard closed: {}", e.getMessage());
            }
        }

        synchronized void redraw() {
            String frame = token.face(style);
            if (frame.equals(last)) {
                return;
            }
            last = frame;
            out.print(frame);
            out.flush();
        }

        void stop() {
            terminal.ifPresent(Terminal::restore);
            out.print(style.end());
            out.flush();
        }
    }

    static String displayText(Optional<Readout> r) {
        return r.map(Readout::text).orElse(Headless.OFF);
    }
}
