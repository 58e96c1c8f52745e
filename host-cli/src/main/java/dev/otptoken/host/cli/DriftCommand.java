package dev.otptoken.host.cli;

import dev.otptoken.files.FileReason;
import dev.otptoken.host.drift.DriftObserver;
import dev.otptoken.host.drift.DriftRecord;
import dev.otptoken.host.drift.DriftRecordException;
import dev.otptoken.host.drift.StepDriftModel;
import dev.otptoken.host.drift.StepObservation;
import dev.otptoken.host.files.HostFileException;
import dev.otptoken.host.otpauth.InvalidUriException;
import dev.otptoken.host.otpauth.OtpAuthUri;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.protocol.oath.OathType;
import dev.otptoken.protocol.oath.SecretBytes;
import dev.otptoken.protocol.text.TerminalText;
import dev.otptoken.xdg.NoHomeDirectoryException;
import dev.otptoken.xdg.XdgBaseDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The relying party's view of a token's clock, from codes alone: a small record per account
 * (its seed and the step offsets seen so far) from which offset and rate are estimated.
 */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = {"Track a token's clock from its codes alone, as a server sees it.",
            "The record file holds the account's seed (mode 0600): FILE from --file, else $" + DriftCommand.FILE_VARIABLE
                + ", else $XDG_STATE_HOME/otptoken/drift (~/.local/state/otptoken/drift)."},
        footer = {"", "Examples:", "  otptoken drift init --uri-stdin < uri.txt",
            "  otptoken drift observe --code 12345678       the code the token shows now",
            "  otptoken drift predict --at 2030-01-01T00:00:00Z", "  otptoken drift show --json",
            "", "Exit status: 2 without a subcommand; each subcommand's --help says the rest."},
        subcommands = {DriftCommand.Init.class, DriftCommand.Observe.class, DriftCommand.Predict.class,
            DriftCommand.Show.class})
final class DriftCommand implements Runnable {
    /** Environment variable naming the record file when --file is absent. */
    static final String FILE_VARIABLE = "OTPTOKEN_DRIFT_FILE";
    static final int DEFAULT_WINDOW = 10;
    private static final long MILLIS_PER_DAY = 86_400_000L;
    /** Below this span the rate bounds are too wide to mean much; the report says so. */
    private static final double MIN_RATE_DAYS = 1.0;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: init, observe, predict or show");
    }

    /** {@code --file}, resolved against the environment. */
    static final class FileOption {
        @Option(names = "--file", paramLabel = "FILE", description = "the drift record (see 'otptoken drift --help')")
        Path file;

        Path resolve(Map<String, String> env) throws NoHomeDirectoryException {
            if (file != null) {
                return file;
            }
            String v = env.get(FILE_VARIABLE);
            if (v != null && !v.isBlank()) {
                return Path.of(v);
            }
            return XdgBaseDirectory.STATE.in(env).resolve("otptoken").resolve("drift");
        }
    }

    /** Base of the subcommands: the record file and loading it. */
    abstract static class RecordCommand extends TokenCommand {
        @Mixin
        FileOption fileOption;

        Path file() throws NoHomeDirectoryException {
            return fileOption.resolve(root().env.environment());
        }

        DriftRecord load() throws IOException, BadInputException {
            Path f = file();
            try {
                return DriftRecord.load(f);
            } catch (NoSuchFileException e) {
                throw new BadInputException("no drift record at " + f + " (create it with 'otptoken drift init')");
            } catch (DriftRecordException e) {
                throw new BadInputException(e.getMessage(), e);
            } catch (IOException e) {
                throw HostFileException.reading(f, e);
            }
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Start a record for a TOTP account from its otpauth URI (the seed is stored, never printed).",
            footer = {"", "Examples:", "  otptoken drift init --uri-stdin < uri.txt",
                "  otptoken drift init --file alice.drift --force --uri-stdin < uri.txt",
                "", "Exit status: 0 created; 2 usage error (neither or both of --uri and --uri-stdin);"
                        + " 3 the record exists (without --force), the URI is invalid or not TOTP, or the record cannot"
                        + " be written."})
    static final class Init extends RecordCommand implements JsonOutput {
        @ArgGroup(multiplicity = "1")
        UriSource source;

        static final class UriSource {
            @Option(names = "--uri", paramLabel = "URI", description = "the otpauth:// URI (visible to other users in ps)")
            String uri;

            @Option(names = "--uri-stdin", description = "read the URI from the first line of standard input")
            boolean stdin;
        }

        @Option(names = "--force", description = "replace an existing record (its observations are lost)")
        boolean force;

        @Override
        public Integer call() throws IOException, BadInputException, InvalidUriException {
            Path f = file();
            if (Files.exists(f) && !force) {
                throw new BadInputException(f + " exists (use --force to replace it)");
            }
            String text = source.stdin ? StandardInput.line(root().env.in(), "otpauth URI") : source.uri;
            OtpCredential cred = OtpAuthUri.parse(text);
            DriftRecord record = null;
            try {
                if (cred.type() != OathType.TOTP) {
                    throw new BadInputException("drift needs a TOTP account; this URI is " + cred.type());
                }
                record = new DriftRecord(cred.name().display(), cred.algorithm(), cred.digits(), cred.period(),
                        SecretBytes.wrap(cred.secret().copy()), List.of());
                record.save(f);
                if (json()) {
                    out().println(Json.write(describe(record, f)));
                } else {
                    out().println(String.format(Locale.ROOT, "%s: record for %s (%s, %d digits, %d s) created",
                            f, TerminalText.escape(record.name()), record.algorithm(), record.digits(), record.period()));
                }
            } finally {
                cred.destroy();
                if (record != null) {
                    record.destroy();
                }
            }
            return ExitStatus.OK;
        }
    }

    @Command(name = "observe", mixinStandardHelpOptions = true,
            description = {"Find the time step of a code seen at a time (like a server's resync) and record it.",
                "The search is centred on the step offset the record predicts. Exit 3 when no step in the window has the code."},
            footer = {"", "Examples:", "  otptoken drift observe --code 12345678",
                "  otptoken drift observe --code 12345678 --at 2030-01-01T12:00:00Z --json",
                "", "Exit status: 0 recorded; 2 usage error (--window out of range, --at not a time); 3 no step in"
                        + " the window has the code, a malformed code, or no drift record (or one that cannot be read or"
                        + " written)."})
    static final class Observe extends RecordCommand implements JsonOutput {
        @Option(names = "--code", required = true, paramLabel = "CODE", description = "the code the token showed")
        String code;

        @Option(names = "--at", paramLabel = "TIME", converter = TimeConverter.class,
                description = "when it was shown: ISO-8601 (2030-01-01T00:00:00Z), @EPOCH-SECONDS, or now (default)")
        Instant at;

        @Option(names = "--window", paramLabel = "N", defaultValue = "" + DEFAULT_WINDOW,
                description = "search ±N steps around the expected one (default: ${DEFAULT-VALUE})")
        int window;

        @Override
        public Integer call() throws UsageException, BadInputException, IOException {
            if (window < 0 || window > DriftObserver.MAX_WINDOW) {
                throw new UsageException("--window must be between 0 and " + DriftObserver.MAX_WINDOW);
            }
            if (!code.matches("[0-9]{6,8}")) {
                throw new BadInputException("--code: expected 6 to 8 digits");
            }
            Instant when = at != null ? at : now();
            DriftRecord record = load();
            try {
                if (code.length() != record.digits()) {
                    throw new BadInputException("--code: " + record.name() + " has " + record.digits() + "-digit codes");
                }
                long ms = when.toEpochMilli();
                long expected = DriftObserver.expectedOffset(record, ms);
                Optional<StepObservation> seen = DriftObserver.observe(record, code, ms, window);
                if (seen.isEmpty()) {
                    throw new BadInputException(String.format(Locale.ROOT,
                            "code not found within ±%d steps of step offset %+d at %s (nothing recorded)",
                            window, expected, when));
                }
                DriftRecord updated = record.with(seen.get());
                updated.save(file());
                StepDriftModel model = StepDriftModel.estimate(updated.observations());
                if (json()) {
                    Map<String, Object> j = new LinkedHashMap<>();
                    j.put("at", when.toString());
                    j.put("step_offset", seen.get().stepOffset());
                    j.put("expected_step_offset", expected);
                    j.put("model", modelJson(model, updated.observations()));
                    out().println(Json.write(j));
                } else {
                    out().println(String.format(Locale.ROOT, "observed: step offset %+d at %s (token %+d..%+d s)",
                            seen.get().stepOffset(), when, Math.round(seen.get().offsetLow()),
                            Math.round(seen.get().offsetHigh())));
                    modelLines(model, updated.observations()).forEach(out()::println);
                }
            } finally {
                record.destroy();
            }
            return ExitStatus.OK;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "The step offset to expect at a time, from the observations so far.",
            footer = {"", "Examples:", "  otptoken drift predict", "  otptoken drift predict --at @1893456000 --json",
                "", "Exit status: 0 predicted; 2 usage error (--at not a time); 3 no drift record (or one that"
                        + " cannot be read), or no observations yet."})
    static final class Predict extends RecordCommand implements JsonOutput {
        @Option(names = "--at", paramLabel = "TIME", converter = TimeConverter.class,
                description = "ISO-8601, @EPOCH-SECONDS, or now (default)")
        Instant at;

        @Override
        public Integer call() throws BadInputException, IOException {
            Instant when = at != null ? at : now();
            DriftRecord record = load();
            try {
                List<StepObservation> obs = record.observations();
                if (obs.isEmpty()) {
                    throw new BadInputException("no observations yet (use 'otptoken drift observe')");
                }
                StepDriftModel model = StepDriftModel.estimate(obs);
                long ms = when.toEpochMilli();
                long k = model.predictStepOffset(ms);
                long[] range = model.stepOffsetRange(ms);
                double offset = model.offsetAt(ms);
                if (json()) {
                    Map<String, Object> j = new LinkedHashMap<>();
                    j.put("at", when.toString());
                    j.put("step_offset", k);
                    j.put("step_offset_low", range[0]);
                    j.put("step_offset_high", range[1]);
                    j.put("offset_seconds", Json.round(offset, 3));
                    j.put("model", modelJson(model, obs));
                    out().println(Json.write(j));
                } else {
                    out().println(String.format(Locale.ROOT, "at %s: expect step offset %+d (possible %+d..%+d),"
                            + " token offset about %+.0f s", when, k, range[0], range[1], offset));
                    modelLines(model, obs).forEach(out()::println);
                }
            } finally {
                record.destroy();
            }
            return ExitStatus.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "The record: account parameters (never the seed), observations and the estimate.",
            footer = {"", "Examples:", "  otptoken drift show", "  otptoken drift show --file alice.drift --json",
                "", "Exit status: 0 shown; 2 usage error; 3 no drift record, or not one, or it cannot be read"
                        + " (or --plot written)."})
    static final class Show extends RecordCommand implements JsonOutput {
        @Option(names = "--plot", paramLabel = "FILE.svg|FILE.png",
                description = "also draw the observations, the estimated offset, its prediction and band (SVG or PNG)")
        Path plot;

        @Override
        public Integer call() throws BadInputException, IOException, UsageException {
            if (plot != null && !dev.otptoken.host.plot.PlotFile.supported(plot)) {
                throw new UsageException("--plot: the file must end in .svg or .png");
            }
            DriftRecord record = load();
            try {
                List<StepObservation> obs = record.observations();
                Optional<StepDriftModel> model = obs.isEmpty() ? Optional.empty() : Optional.of(StepDriftModel.estimate(obs));
                if (plot != null) {
                    if (model.isEmpty()) {
                        throw new BadInputException("--plot: no observations to draw yet");
                    }
                    try {
                        dev.otptoken.host.plot.PlotFile.write(dev.otptoken.host.plot.DriftPlot.chart(model.get(), obs,
                                "drift of " + TerminalText.escape(record.name())), plot);
                    } catch (IOException e) {
                        throw new BadInputException("cannot write " + plot + ": " + FileReason.writing(e), e);
                    }
                    err().println("otptoken: plot written to " + plot);
                }
                if (json()) {
                    Map<String, Object> j = describe(record, file());
                    List<Object> list = new ArrayList<>();
                    for (StepObservation o : obs) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("at", Instant.ofEpochMilli(o.epochMillis()).toString());
                        m.put("step_offset", o.stepOffset());
                        list.add(m);
                    }
                    j.put("observations", list);
                    j.put("model", model.map(m -> (Object) modelJson(m, obs)).orElse(null));
                    out().println(Json.write(j));
                } else {
                    out().println(String.format(Locale.ROOT, "%s  %s  %d digits  %d s  (%s)", TerminalText.escape(record.name()),
                            record.algorithm(), record.digits(), record.period(), file()));
                    for (StepObservation o : obs) {
                        out().println(String.format(Locale.ROOT, "%s  %+d", Instant.ofEpochMilli(o.epochMillis()),
                                o.stepOffset()));
                    }
                    if (model.isPresent()) {
                        modelLines(model.get(), obs).forEach(out()::println);
                    } else {
                        out().println("no observations yet");
                    }
                }
            } finally {
                record.destroy();
            }
            return ExitStatus.OK;
        }
    }

    static Map<String, Object> describe(DriftRecord r, Path f) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("file", f.toString());
        j.put("name", r.name());
        j.put("algorithm", r.algorithm().name());
        j.put("digits", r.digits());
        j.put("period", r.period());
        return j;
    }

    static double spanDays(List<StepObservation> obs) {
        long min = obs.stream().mapToLong(StepObservation::epochMillis).min().orElse(0);
        long max = obs.stream().mapToLong(StepObservation::epochMillis).max().orElse(0);
        return (max - min) / (double) MILLIS_PER_DAY;
    }

    static Map<String, Object> modelJson(StepDriftModel m, List<StepObservation> obs) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("observations", obs.size());
        j.put("span_days", Json.round(spanDays(obs), 4));
        j.put("consistent", m.consistent());
        j.put("rate_known", m.rateKnown());
        j.put("rate_ppm", m.rateKnown() || !m.consistent() ? Json.round(m.ratePpm(), 3) : null);
        j.put("rate_low_ppm", Json.round(m.rateLowPpm(), 3));
        j.put("rate_high_ppm", Json.round(m.rateHighPpm(), 3));
        j.put("offset_seconds", Json.round(m.offsetSeconds(), 3));
        j.put("offset_low_seconds", Json.round(m.offsetLow(), 3));
        j.put("offset_high_seconds", Json.round(m.offsetHigh(), 3));
        return j;
    }

    static List<String> modelLines(StepDriftModel m, List<StepObservation> obs) {
        List<String> l = new ArrayList<>();
        double days = spanDays(obs);
        if (!m.consistent()) {
            l.add(String.format(Locale.ROOT, "rate: %+.2f ppm (least squares: no steady drift fits every observation;"
                    + " was the clock set, or the temperature very different?)", m.ratePpm()));
        } else if (m.rateKnown()) {
            l.add(String.format(Locale.ROOT, "rate: %+.2f ppm (possible %+.2f..%+.2f ppm; %d observations over %.1f days)%s",
                    m.ratePpm(), m.rateLowPpm(), m.rateHighPpm(), obs.size(), days,
                    days < MIN_RATE_DAYS ? " — observe again days apart to narrow it" : ""));
        } else {
            l.add(obs.size() < 2 ? "rate: unknown (needs two observations, best days apart)"
                    : "rate: unknown (the observations are too close together: observe again hours, best days, later)");
        }
        l.add(String.format(Locale.ROOT, "offset: %+.1f s (possible %+.1f..%+.1f s) at the last observation",
                m.offsetSeconds(), m.offsetLow(), m.offsetHigh()));
        return l;
    }

    /** {@code --at} values: ISO-8601 instants, {@code @EPOCH-SECONDS} (as oathtool's --now), {@code now}. */
    static final class TimeConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            String v = value.strip();
            if (v.equals("now")) {
                return null;
            }
            try {
                if (v.startsWith("@")) {
                    return Instant.ofEpochSecond(Long.parseLong(v.substring(1)));
                }
                return Instant.parse(v);
            } catch (NumberFormatException | DateTimeException e) {
                throw new TypeConversionException("not a time: '" + value
                        + "' (use ISO-8601 such as 2030-01-01T00:00:00Z, @EPOCH-SECONDS, or now)");
            }
        }
    }
}
