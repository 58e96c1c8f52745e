package dev.otptoken.firmware.sim;

import dev.otptoken.log.LazySlf4jProvider;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.InstantSource;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code otptoken-sim}: parses the command line (docs/otptoken-sim.md) and runs a
 * {@link Simulator} until it stops. The only place that reads the system clock and exits
 * the JVM.
 */
public final class SimMain {
    public static final int EXIT_OK = 0;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_STATE = 3;
    public static final int EXIT_DEVICE = 4;
    public static final int EXIT_POWER_CUT = 75;

    private SimMain() {
    }

    public static void main(String[] args) {
        // jssc (the serial port of --serial) logs through SLF4J: held to -v like the rest
        LazySlf4jProvider.install();
        // True time is the host's steady (monotonic) clock, anchored once to the wall clock: a
        // wall clock that is stepped now and then (NTP, a VM's time sync: steps of ~0.1 ms were
        // seen here) would otherwise enter the simulated crystal as spurious drift. The host's
        // calibrator measures against the same kind of clock.
        java.time.Instant anchor = java.time.Instant.now();
        long anchorTicks = System.nanoTime();
        InstantSource steady = () -> anchor.plusNanos(System.nanoTime() - anchorTicks);
        int status = run(args, System.in, System.out, System.err, true, steady);
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs the token and returns its exit status.
     *
     * @param process       whether this is the whole process: then SIGINT/SIGTERM stop the
     *                      token through a shutdown hook and a terminal gets the face
     * @param host          the host's clock (true time at scale 1)
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean process,
                          InstantSource host) {
        SimOptions options = new SimOptions();
        CommandLine cl = new CommandLine(options);
        try {
            cl.parseArgs(args);
        } catch (ParameterException e) {
            err.println("otptoken-sim: " + e.getMessage() + " (see --help)");
            return EXIT_USAGE;
        }
        if (cl.isUsageHelpRequested()) {
            cl.usage(out);
            return EXIT_OK;
        }
        if (cl.isVersionHelpRequested()) {
            cl.printVersionHelp(out);
            return EXIT_OK;
        }
        Optional<String> problem = options.validate();
        if (problem.isPresent()) {
            err.println("otptoken-sim: " + problem.get() + " (see --help)");
            return EXIT_USAGE;
        }
        if (options.listModels()) {
            out.print(DeviceModel.list());
            out.flush();
            return EXIT_OK;
        }
        Logging.configure(options.verbose.length);
        return new Simulator(options, in, out, err, process, host).run();
    }
}
