package dev.otptoken.host.cli;

import dev.otptoken.host.session.DeviceInfo;
import dev.otptoken.host.session.ManagementInfo;
import dev.otptoken.host.session.Token;
import dev.otptoken.host.session.TokenAddress;
import dev.otptoken.log.Log;
import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.StatusWord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Finds the tokens this host can reach (docs/otptoken-cli.md, "devices" and "Finding the
 * token"): the serial ports {@code /dev/ttyUSB*} and {@code /dev/ttyACM*}, any ports named,
 * and the PC/SC readers holding a card, each probed briefly (never waiting for a port another
 * command holds). {@code devices} lists what it finds; every other command uses the only token
 * found when no {@code --port}, {@code --reader} or {@code $OTPTOKEN_PORT} names one.
 */
final class TokenFinder {
    /** One token found: where, how it is reached, and what it says it is. */
    record Found(TokenAddress address, String kind, String model, Long serial, String firmware) {
    }

    private TokenFinder() {
    }

    /**
     * Every token found, in the order scanned ports, named ports, readers.
     *
     * @param named   ports to probe besides the scanned ones (--port, $OTPTOKEN_PORT)
     * @param refused told of each candidate that was named or is a reader and did not answer as a
     *                token, with the reason in words; scanned ports that are no token are only logged
     */
    static List<Found> find(Token.Opener opener, Collection<String> named, BiConsumer<TokenAddress, String> refused)
            throws IOException {
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
                if (a instanceof TokenAddress.PcscReader || named.contains(a.label())) {
                    refused.accept(a, Failures.reason(e));
                } else {
                    Log.info("{}: not a token: {}", a.label(), e.getMessage());
                }
            }
        }
        return found;
    }

    /** What the token at {@code address} is, as {@code info} tells it; null when it is no token. */
    private static Found probe(TokenAddress address, Token.Opener opener) throws IOException, ApduException {
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
                Log.info("{}: answers, but neither as an otptoken nor as a YubiKey", address.label());
                return null;
            }
        }
    }

    /**
     * The only token present, for a command given no {@code --port}, {@code --reader} or
     * {@code $OTPTOKEN_PORT}.
     *
     * @throws IOException    (exit 4) when none answers
     * @throws UsageException (exit 2) when several do: the user names one
     */
    static TokenAddress onlyToken(Token.Opener opener) throws IOException, UsageException {
        List<Found> found = find(opener, List.of(), (a, why) -> Log.info("{}: not a token: {}", a.label(), why));
        if (found.isEmpty()) {
            throw new IOException("no token: none answers on /dev/ttyUSB*, /dev/ttyACM* or a PC/SC reader (name one"
                    + " with --port DEVICE or --reader NAME, or set " + HostMain.PORT_VARIABLE + ")");
        }
        if (found.size() > 1) {
            List<String> labels = found.stream().map(f -> f.address().label()).toList();
            throw new UsageException(found.size() + " tokens found (" + String.join(", ", labels)
                    + "): name one with --port DEVICE or --reader NAME");
        }
        TokenAddress only = found.get(0).address();
        Log.info("using the only token found: {}", only.label());
        return only;
    }
}
