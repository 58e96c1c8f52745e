package dev.otptoken.host.cli;

import dev.otptoken.host.provision.Provisioner;
import dev.otptoken.host.session.TokenAddress;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --touch}, {@code --backup} and {@code --overwrite}: how {@code provision} and {@code add} write into tokens. */
final class WriteOptions {
    @Option(names = "--touch", description = "require a button press for each code")
    boolean touch;

    @Option(names = "--backup", paramLabel = "DEVICE", description = "also write into this token (repeatable)")
    List<String> backups = new ArrayList<>();

    @Option(names = "--overwrite", description = "replace accounts of the same name")
    boolean overwrite;

    Provisioner.Options options() {
        return new Provisioner.Options(touch, overwrite);
    }

    /** The token, then every {@code --backup} (a serial port each), none named twice. */
    List<TokenAddress> tokens(TokenAddress token) throws UsageException {
        List<TokenAddress> tokens = new ArrayList<>();
        tokens.add(token);
        for (String b : backups) {
            // by name: a --backup spelled as the --reader is the same token named twice
            if (tokens.stream().anyMatch(t -> t.label().equals(b))) {
                throw new UsageException("token " + b + " named twice");
            }
            tokens.add(new TokenAddress.SerialPort(b));
        }
        return tokens;
    }
}
