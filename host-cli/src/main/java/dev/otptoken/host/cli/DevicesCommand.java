package dev.otptoken.host.cli;

import dev.otptoken.host.session.DeviceInfo;
import dev.otptoken.host.session.ManagementInfo;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.TokenAddress;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.StatusWord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tinylog.Logger;
import picocli.CommandLine.Command;

/**
 * The tokens this host can reach (docs/otptoken-cli.md, "devices"): the serial ports
 * {@code /dev/ttyUSB*} and {@code /dev/ttyACM*}, the port of {@code --port} and of
 * {@code $OTPTOKEN_PORT}, and the PC/SC readers holding a card, each probed briefly.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the tokens found: /dev/ttyUSB* and /dev/ttyACM*, the --port or $OTPTOKEN_PORT"
                + " device (a simulator's pseudo-terminal), and PC/SC readers holding a card. A port another"
                + " command holds is not waited for.",
        footer = {"", "Examples:", "  otptoken devices", "  otptoken --port /dev/pts/3 devices   also probe a simulator's port",
            "  otptoken --json devices",
            "", "Exit status: 0 the list (empty when no token answers); 2 usage."})
final class DevicesCommand extends TokenCommand implements JsonOutput {

    /** One token found. */
    record Found(TokenAddress address, String kind, String model, Long serial, String firmware) {
    }

    @Override
    public Integer call() throws IOException, UsageException {
        HostMain main = root();
        Token.Opener opener = main.env.opener();
        Set<String> named = new LinkedHashSet<>();
        if (main.port != null && !main.port.isBlank()) {
            named.add(main.port);
        }
        String variable = main.env.environment().get(HostMain.PORT_VARIABLE);
        if (variable != null && !variable.isBlank()) {
            named.add(variable);
        }
        Set<String> serial = new LinkedHashSet<>(opener.serialCandidates());
        serial.addAll(named);
        List<TokenAddress> candidates = new ArrayList<>();
        serial.forEach(d -> candidates.add(new TokenAddress.SerialPort(d)));
        opener.readersWithCard().forEach(r -> candidates.add(new TokenAddress.PcscReader(r)));

        List<Found> found = new ArrayList<>();
        for (TokenAddress a : candidates) {
            try {
                Found f = probe(a, opener);
                if (f != null) {
                    found.add(f);
                }
            } catch (IOException | ApduException | RuntimeException e) {
                boolean asked = a instanceof TokenAddress.PcscReader || named.contains(a.label());
                if (asked) {
                    err().println("otptoken: " + a.label() + ": not listed: " + Failures.reason(e));
                } else {
                    Logger.info("{}: not a token: {}", a.label(), e.getMessage());
                }
            }
        }
        print(found);
        return ExitStatus.OK;
    }

    /** What the token at {@code address} is, as {@code info} tells it; null when it is no token. */
    private Found probe(TokenAddress address, Token.Opener opener) throws IOException, ApduException {
        String kind = address instanceof TokenAddress.PcscReader ? "pcsc" : "serial";
        try (Token token = Token.probe(address, opener)) {
            try {
                DeviceInfo info = token.device(true).info();
                return new Found(address, kind, InfoCommand.OTPTOKEN_MODEL, info.serial(), info.firmwareVersion());
            } catch (ApduException e) {
                if (e.statusWord() != StatusWord.FILE_NOT_FOUND) {
                    throw e;
                }
            }
            try {
                ManagementInfo m = token.management().readInfo();
                return new Found(address, kind, m.deviceName(), m.serial() < 0 ? null : m.serial(), m.firmware());
            } catch (ApduException e) {
                if (e.statusWord() != StatusWord.FILE_NOT_FOUND) {
                    throw e;
                }
                Logger.info("{}: answers, but neither as an otptoken nor as a YubiKey", address.label());
                return null;
            }
        }
    }

    private void print(List<Found> found) {
        if (json()) {
            List<Object> devices = new ArrayList<>();
            for (Found f : found) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("address", f.address().label());
                j.put("kind", f.kind());
                j.put("model", f.model());
                j.put("serial", f.serial());
                j.put("firmware", f.firmware());
                devices.add(j);
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("devices", devices);
            out().println(Json.write(root));
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Found f : found) {
            rows.add(List.of(f.address().label(), f.model(),
                    f.serial() == null ? "serial ?" : "serial " + f.serial(), "firmware " + f.firmware()));
        }
        table(out(), rows);
        if (found.isEmpty()) {
            err().println("otptoken: no token found");
        }
    }
}
