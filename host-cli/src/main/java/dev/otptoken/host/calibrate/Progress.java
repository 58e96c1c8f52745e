package dev.otptoken.host.calibrate;

/** Told about a measurement as it goes, so a terminal can show a bar. */
@FunctionalInterface
public interface Progress {
    /** Nothing shown (output piped, or tests). */
    Progress NONE = (phase, elapsedNanos, totalNanos, samples) -> { };

    /**
     * @param phase        what is being measured ("measuring", "verifying")
     * @param elapsedNanos time measured so far
     * @param totalNanos   time the phase lasts
     * @param samples      exchanges so far
     */
    void update(String phase, long elapsedNanos, long totalNanos, int samples);

    /** The phase ended (a bar ends its line). */
    default void done() {
    }
}
