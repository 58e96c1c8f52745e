package dev.otptoken.host.cli;

import dev.otptoken.host.session.ClockMeasurement;
import dev.otptoken.host.session.ClockReading;
import dev.otptoken.host.session.DeviceSession;
import dev.otptoken.host.session.Token;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.StatusWord;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "clock", mixinStandardHelpOptions = true,
        description = "Token time beside host time, and the offset (token minus host).",
        footer = {"", "Examples:", "  otptoken clock", "  otptoken clock --json", "  otptoken clock sync",
            "", "Exit status: 0 shown; 2 usage error; 3 the token's calibration history cannot be read or is"
                    + " damaged; 4 no token; 5 the token refused (one without a clock)."},
        subcommands = ClockCommand.Sync.class)
final class ClockCommand extends TokenCommand implements JsonOutput {

    @Override
    public Integer call() throws IOException, UsageException, ApduException, BadInputException, RefusedException {
        ClockMeasurement m;
        Optional<ClockForecast> forecast;
        try (Token token = openToken()) {
            DeviceSession device = clockDevice(token);
            m = ClockMeasurement.measure(device, clock());
            // the forecast is for people; --json keeps its fields as they were
            forecast = json() ? Optional.empty() : ClockForecast.of(device, m, root().env.environment());
        }
        print(this, m);
        forecast.ifPresent(f -> f.lines().forEach(out()::println));
        return ExitStatus.OK;
    }

    static void print(TokenCommand c, ClockMeasurement m) {
        ClockReading r = m.reading();
        if (c.json()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("token_time", r.tokenTime().toString());
            j.put("host_time", m.host().toString());
            j.put("offset_seconds", Json.round(m.offsetSeconds(), 6));
            j.put("trim", r.trim());
            j.put("trim_ppm", Json.round(r.trimPpm(), 6));
            j.put("trim_min", r.trimMin());
            j.put("trim_max", r.trimMax());
            j.put("last_set", r.lastSet().map(Instant::toString).orElse(null));
            c.out().println(Json.write(j));
            return;
        }
        c.out().println("token   " + r.tokenTime());
        c.out().println("host    " + m.host());
        c.out().println(String.format(Locale.ROOT, "offset  %+.3f s", m.offsetSeconds()));
        c.out().println(String.format(Locale.ROOT, "trim    %d (%+.3f ppm)", r.trim(), r.trimPpm()));
        c.out().println("set     " + r.lastSet().map(Instant::toString).orElse("never"));
    }

    /** Offsets below this (plus half a round trip) are measurement noise, not an error to fix. */
    private static final double SYNC_TOLERANCE_SECONDS = 0.002;
    /** How many times a sync of a token measured behind is tried when its SET arrives late. */
    private static final int SYNC_ATTEMPTS = 3;

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = "Set the token clock to the host's time (never backwards without --force).",
            footer = {"", "Examples:", "  otptoken clock sync",
                "  otptoken clock sync --force   also when the token is ahead: moves it back",
                "", "Exit status: 0 set, or already in sync; 2 usage error; 4 no token; 5 the token refused"
                        + " (6985: backwards without --force, or the time sent kept reaching it late)."})
    static final class Sync extends TokenCommand implements JsonOutput {
        @Option(names = "--force", description = "allow the token clock to move backwards")
        boolean force;

        @Override
        public Integer call() throws IOException, UsageException, ApduException, RefusedException {
            ClockMeasurement m;
            try (Token token = openToken()) {
                DeviceSession device = clockDevice(token);
                for (int attempt = 1; ; attempt++) {
                    ClockMeasurement before = ClockMeasurement.measure(device, clock());
                    // The command reaches the token about half a round trip after the host reads its
                    // clock; a token already within that of the host is in sync, not "behind".
                    Duration oneWay = before.roundTrip().dividedBy(2);
                    double tolerance = oneWay.toNanos() / 1e9 + SYNC_TOLERANCE_SECONDS;
                    if (!force && Math.abs(before.offsetSeconds()) <= tolerance) {
                        err().println("otptoken: the token clock is already in sync with the host");
                        print(this, before);
                        return ExitStatus.OK;
                    }
                    try {
                        device.setClock(now().plus(oneWay), force);
                        break;
                    } catch (ApduException e) {
                        if (force || e.statusWord() != StatusWord.CONDITIONS_NOT_SATISFIED) {
                            throw e;
                        }
                        if (before.offsetSeconds() > 0) {
                            throw new RefusedException(String.format(Locale.ROOT, "the token clock is %.3f s ahead of"
                                    + " the host's and goes back only with --force (codes it has shown may then show"
                                    + " again)", before.offsetSeconds()), e);
                        }
                        // Measured behind, yet the time sent was behind the token's when it arrived: the SET
                        // took longer than half the measuring round trip (a busy host or line). Measure again.
                        if (attempt == SYNC_ATTEMPTS) {
                            throw new RefusedException(String.format(Locale.ROOT, "the token clock read %.3f s behind"
                                    + " the host's, but the time sent reached it late %d times (a busy line or host):"
                                    + " try again", -before.offsetSeconds(), SYNC_ATTEMPTS), e);
                        }
                    }
                }
                m = ClockMeasurement.measure(device, clock());
            }
            print(this, m);
            return ExitStatus.OK;
        }
    }
}
