package dev.otptoken.system;

import dev.otptoken.host.cli.HostMain;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs {@code otptoken} commands in this JVM against one device, as {@code bin/otptoken} would. */
final class Host {
    private Host() {
    }

    /** One command's outcome, with the host clock just before and after it. */
    record Result(int exit, List<String> out, List<String> err, Instant before, Instant after) {
        long millis() {
            return after.toEpochMilli() - before.toEpochMilli();
        }

        @Override
        public String toString() {
            return "exit " + exit + " in " + millis() + " ms, out " + out + ", err " + err;
        }
    }

    static Result withInput(Path device, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InstantSource clock = InstantSource.system();
        Instant before = clock.instant();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = HostMain.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), o, e,
                    Map.of(HostMain.PORT_VARIABLE, device.toString()));
        }
        Instant after = clock.instant();
        return new Result(exit, lines(out), lines(err), before, after);
    }

    static Result run(Path device, String... args) {
        return withInput(device, "", args);
    }

    /**
     * Standard error without provision's progress lines (the no-backup warning, and the
     * "provisioning stopped" summary it adds to a failure): what remains is the failure message.
     */
    static List<String> failureLines(Result r) {
        return failureLines(r.err());
    }

    /** The same for standard error's lines of any run of the host program. */
    static List<String> failureLines(List<String> err) {
        return err.stream()
                .filter(l -> !l.startsWith("otptoken: warning: no --backup token"))
                .filter(l -> !l.startsWith("otptoken: provisioning stopped at "))
                .filter(l -> !l.startsWith("otptoken:   "))
                .toList();
    }

    private static List<String> lines(ByteArrayOutputStream s) {
        String text = s.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\R"));
    }
}
