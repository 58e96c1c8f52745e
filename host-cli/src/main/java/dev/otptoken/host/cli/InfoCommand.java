package dev.otptoken.host.cli;

import dev.otptoken.host.session.ClockMeasurement;
import dev.otptoken.host.session.DeviceInfo;
import dev.otptoken.host.session.DeviceSession;
import dev.otptoken.host.session.Token;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.device.Device;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Serial number, firmware version, accounts used of capacity, clock offset and trim.")
final class InfoCommand extends TokenCommand {
    @Override
    public Integer call() throws IOException, UsageException, ApduException {
        DeviceInfo info;
        ClockMeasurement clock;
        String oathVersion;
        try (Token token = openToken()) {
            oathVersion = token.oathSelected().select().version();
            DeviceSession device = token.device(true);
            info = device.info();
            clock = ClockMeasurement.measure(device, clock());
        }
        List<String> features = features(info.features());
        if (json()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("serial", info.serial());
            j.put("firmware", info.firmwareVersion());
            j.put("oath_version", oathVersion);
            j.put("accounts_used", info.accountsUsed());
            j.put("accounts_capacity", info.accountsCapacity());
            j.put("memory_used", info.memoryUsed());
            j.put("memory_total", info.memoryTotal());
            j.put("features", new ArrayList<Object>(features));
            j.put("clock_offset_seconds", clock.offsetSeconds());
            j.put("trim", clock.reading().trim());
            j.put("trim_ppm", clock.reading().trimPpm());
            out().println(Json.write(j));
            return ExitStatus.OK;
        }
        out().println("serial    " + info.serial());
        out().println("firmware  " + info.firmwareVersion() + " (OATH " + oathVersion + ")");
        out().println("accounts  " + info.accountsUsed() + " of " + info.accountsCapacity());
        out().println("memory    " + info.memoryUsed() + " of " + info.memoryTotal() + " bytes");
        out().println("features  " + String.join(" ", features));
        out().println(String.format(Locale.ROOT, "offset    %+.3f s", clock.offsetSeconds()));
        out().println(String.format(Locale.ROOT, "trim      %d (%+.3f ppm)", clock.reading().trim(),
                clock.reading().trimPpm()));
        return ExitStatus.OK;
    }

    static List<String> features(int bits) {
        List<String> f = new ArrayList<>();
        if ((bits & Device.FEATURE_RTC) != 0) {
            f.add("rtc");
        }
        if ((bits & Device.FEATURE_TRIM) != 0) {
            f.add("trim");
        }
        if ((bits & Device.FEATURE_DISPLAY) != 0) {
            f.add("display");
        }
        if ((bits & Device.FEATURE_BUTTON) != 0) {
            f.add("button");
        }
        if ((bits & Device.FEATURE_TOUCH) != 0) {
            f.add("touch");
        }
        if ((bits & Device.FEATURE_CONTACTLESS) != 0) {
            f.add("contactless");
        }
        return f;
    }
}
