package dev.otptoken.host.cli;

import dev.otptoken.host.session.ClockMeasurement;
import dev.otptoken.host.session.DeviceInfo;
import dev.otptoken.host.session.DeviceSession;
import dev.otptoken.host.session.ManagementInfo;
import dev.otptoken.host.session.OathSession;
import dev.otptoken.host.session.Selection;
import dev.otptoken.host.session.Token;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.StatusWord;
import dev.otptoken.protocol.device.Device;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Serial number, firmware version, accounts used of capacity, clock offset and trim; "
                + "the model (this project's token, or the YubiKey a simulator or a real key is).",
        footer = {"", "Examples:", "  otptoken info",
            "  otptoken info --reader 'Virtual PCD 00 00'   a YubiKey over PC/SC",
            "  otptoken info --json",
            "", "Exit status: 0 shown; 2 usage error; 4 no token; 5 the token refused."})
final class InfoCommand extends TokenCommand implements JsonOutput {
    /** The model line of this project's own token (a device applet answers). */
    static final String OTPTOKEN_MODEL = "otptoken";

    @Override
    public Integer call() throws IOException, UsageException, ApduException {
        try (Token token = openToken()) {
            Selection oath = token.oathSelected().select();
            DeviceSession device;
            try {
                device = token.device(true);
            } catch (ApduException e) {
                if (e.statusWord() != StatusWord.FILE_NOT_FOUND) {
                    throw e;
                }
                return yubiKey(token, oath);
            }
            DeviceInfo info = device.info();
            ClockMeasurement clock = ClockMeasurement.measure(device, clock());
            return otptoken(info, clock, oath.version());
        }
    }

    private int otptoken(DeviceInfo info, ClockMeasurement clock, String oathVersion) {
        List<String> features = features(info.features());
        if (json()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("model", OTPTOKEN_MODEL);
            j.put("serial", info.serial());
            j.put("firmware", info.firmwareVersion());
            j.put("oath_version", oathVersion);
            j.put("accounts_used", info.accountsUsed());
            j.put("accounts_capacity", info.accountsCapacity());
            j.put("memory_used", info.memoryUsed());
            j.put("memory_total", info.memoryTotal());
            j.put("features", new ArrayList<Object>(features));
            j.put("clock_offset_seconds", Json.round(clock.offsetSeconds(), 6));
            j.put("trim", clock.reading().trim());
            j.put("trim_ppm", Json.round(clock.reading().trimPpm(), 6));
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
        out().println("model     " + OTPTOKEN_MODEL);
        return ExitStatus.OK;
    }

    /**
     * A token without the device applet: a YubiKey (or a simulator of one), described by its
     * management application. Accounts are counted with LIST, which needs the password on a
     * locked key: then the count is not shown rather than a guess spent.
     */
    private int yubiKey(Token token, Selection oath) throws IOException, ApduException {
        ManagementInfo m = token.management().readInfo();
        Integer used = null;
        if (!oath.locked()) {
            // the management SELECT deselected OATH: select it again on the session that lists
            OathSession session = token.oathSelected();
            session.select();
            used = session.list(now()).size();
        }
        List<String> enabledOver = new ArrayList<>();
        if (m.oathOverUsb()) {
            enabledOver.add("usb");
        }
        if (m.oathOverNfc()) {
            enabledOver.add("nfc");
        }
        if (json()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("model", m.deviceName());
            j.put("serial", m.serial() < 0 ? null : m.serial());
            j.put("firmware", m.firmware());
            j.put("oath_version", oath.version());
            j.put("accounts_used", used);
            j.put("accounts_capacity", m.oathCapacity() < 0 ? null : m.oathCapacity());
            j.put("oath_enabled", new ArrayList<Object>(enabledOver));
            out().println(Json.write(j));
            return ExitStatus.OK;
        }
        out().println("serial    " + (m.serial() < 0 ? "not reported" : Long.toString(m.serial())));
        out().println("firmware  " + m.firmware() + " (OATH " + oath.version() + ")");
        String capacity = m.oathCapacity() < 0 ? "?" : Integer.toString(m.oathCapacity());
        out().println("accounts  " + (used == null ? "? (locked: the password is needed to count them)" : used)
                + " of " + capacity);
        out().println("oath      " + (enabledOver.isEmpty() ? "disabled" : "enabled over " + String.join(" and ", enabledOver)));
        out().println("model     " + m.deviceName());
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
