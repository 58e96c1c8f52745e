package dev.otptoken.firmware.sim;

import dev.otptoken.protocol.oath.Oath;
import java.util.Locale;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the build and the firmware version the applets report. */
public final class SimVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String build = SimVersion.class.getPackage().getImplementationVersion();
        return new String[] {String.format(Locale.ROOT, "otptoken-sim %s (firmware %d.%d.%d)",
                build == null ? "development" : build,
                Oath.VERSION_MAJOR, Oath.VERSION_MINOR, Oath.VERSION_PATCH)};
    }
}
