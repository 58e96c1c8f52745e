package dev.otptoken.xdg;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The user's base directories of the XDG Base Directory Specification, where both programs keep
 * their files (docs/otptoken-cli.md, "Files"): one rule for all of them. A directory is its
 * variable's value when that is an absolute path, else its default under the home directory
 * (Java's {@code user.home}). The specification: "All paths set in these environment variables
 * must be absolute. If an implementation encounters a relative path in any of these variables
 * it should consider the path invalid and ignore it."
 */
public enum XdgBaseDirectory {
    /** Settings: {@code $XDG_CONFIG_HOME}, else {@code ~/.config}. */
    CONFIG("XDG_CONFIG_HOME", ".config"),
    /** State worth keeping across runs, not worth backing up as settings: else {@code ~/.local/state}. */
    STATE("XDG_STATE_HOME", ".local/state"),
    /** What can be made again: else {@code ~/.cache}. */
    CACHE("XDG_CACHE_HOME", ".cache");

    private final String variable;
    private final String underHome;

    XdgBaseDirectory(String variable, String underHome) {
        this.variable = variable;
        this.underHome = underHome;
    }

    /** The environment variable that names this directory. */
    public String variable() {
        return variable;
    }

    /** This directory for this process: its environment and {@code user.home}. */
    public Path of() throws NoHomeDirectoryException {
        return in(System.getenv(), System.getProperty("user.home"));
    }

    /** This directory for {@code environment}, with {@code user.home}. */
    public Path in(Map<String, String> environment) throws NoHomeDirectoryException {
        return in(environment, System.getProperty("user.home"));
    }

    /**
     * This directory for {@code environment} and {@code home}: the variable's value if it is an
     * absolute path, else the default under {@code home}, which must be absolute too (the JDK
     * sets {@code user.home} to {@code ?} when the user has no entry in the password database).
     */
    public Path in(Map<String, String> environment, String home) throws NoHomeDirectoryException {
        Path set = absolute(environment.get(variable));
        if (set != null) {
            return set;
        }
        Path base = absolute(home);
        if (base == null) {
            throw new NoHomeDirectoryException(variable + " is unset or not an absolute path, and there is no home"
                    + " directory for ~/" + underHome + ": set " + variable);
        }
        return base.resolve(underHome);
    }

    private static Path absolute(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            Path p = Path.of(value);
            return p.isAbsolute() ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
