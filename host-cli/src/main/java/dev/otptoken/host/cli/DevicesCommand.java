package dev.otptoken.host.cli;

import dev.otptoken.host.cli.TokenFinder.Found;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;

/**
 * The tokens this host can reach (docs/otptoken-cli.md, "devices"), as {@link TokenFinder}
 * finds them, with the port of {@code --port} and of {@code $OTPTOKEN_PORT} probed too.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the tokens found: /dev/ttyUSB* and /dev/ttyACM*, the --port or $OTPTOKEN_PORT"
                + " device (a simulator's pseudo-terminal), and PC/SC readers holding a card. A port another"
                + " command holds is not waited for.",
        footer = {"", "Examples:", "  otptoken devices", "  otptoken --port /dev/pts/3 devices   also probe a simulator's port",
            "  otptoken --json devices",
            "", "Exit status: 0 the list (empty when no token answers); 2 usage."})
final class DevicesCommand extends TokenCommand implements JsonOutput {

    @Override
    public Integer call() throws IOException, UsageException {
        HostMain main = root();
        Set<String> named = new LinkedHashSet<>();
        if (main.port != null && !main.port.isBlank()) {
            named.add(main.port);
        }
        String variable = main.env.environment().get(HostMain.PORT_VARIABLE);
        if (variable != null && !variable.isBlank()) {
            named.add(variable);
        }
        List<Found> found = TokenFinder.find(main.env.opener(), named,
                (address, why) -> err().println("otptoken: " + address.label() + ": not listed: " + why));
        print(found);
        return ExitStatus.OK;
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
