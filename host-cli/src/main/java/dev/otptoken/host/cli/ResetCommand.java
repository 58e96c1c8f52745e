package dev.otptoken.host.cli;

import dev.otptoken.host.session.Token;
import dev.otptoken.protocol.apdu.ApduException;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reset", mixinStandardHelpOptions = true,
        description = "Wipe every account and the password. Needs --force.",
        footer = {"", "Example:", "  otptoken reset --force",
            "", "Exit status: 0 reset; 2 usage error (without --force the token is not touched); 3 the remembered"
                    + " key cannot be forgotten (the file cannot be read or written); 4 no token;"
                    + " 5 the token refused."})
final class ResetCommand extends TokenCommand {
    @Option(names = "--force", description = "yes, wipe every account")
    boolean force;

    @Override
    public Integer call() throws UsageException, IOException, ApduException {
        if (!force) {
            throw new UsageException("reset wipes every account on the token; add --force to do it");
        }
        try (Token token = openToken()) {
            // RESET is allowed while locked: no password needed.
            var oath = token.oathSelected();
            oath.select();
            String id = oath.deviceId();
            oath.reset();
            // the reset made a new salt, so a new device id: the old one's key unlocks nothing
            try {
                rememberedKeys().forget(id);
            } catch (IOException e) {
                err().println("otptoken: warning: cannot forget the token's remembered key: " + Failures.reason(e));
            }
        }
        err().println("otptoken: the token is reset: no accounts, no password");
        return ExitStatus.OK;
    }
}
