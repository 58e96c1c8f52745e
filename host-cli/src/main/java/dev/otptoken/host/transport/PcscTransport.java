package dev.otptoken.host.transport;

import dev.otptoken.log.Log;
import dev.otptoken.protocol.apdu.ApduTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.smartcardio.Card;
import javax.smartcardio.CardChannel;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CardTerminals;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.ResponseAPDU;
import javax.smartcardio.TerminalFactory;

/**
 * The token as a card in a PC/SC reader, through {@code javax.smartcardio} and the system's
 * pcscd: the contactless path (vpcd) or any real reader.
 *
 * <p>The reader is chosen by its exact name, or by a part of the name that matches exactly
 * one reader (so {@code Virtual} is refused where both vpcd readers exist, as ykman does).
 * OpenJDK looks for {@code libpcsclite.so}, which Debian ships only in the -dev package;
 * the runtime library's path is set unless the user set one.
 */
public final class PcscTransport implements ApduTransport {
    private static final String LIBRARY_PROPERTY = "sun.security.smartcardio.library";
    private static final List<String> LIBRARY_PATHS = List.of(
            "/usr/lib/x86_64-linux-gnu/libpcsclite.so.1",
            "/usr/lib/aarch64-linux-gnu/libpcsclite.so.1",
            "/usr/lib64/libpcsclite.so.1",
            "/usr/lib/libpcsclite.so.1");
    /** How long to wait for a card on the chosen reader. */
    private static final long CARD_WAIT_MILLIS = 3_000;

    private final Card card;
    private final CardChannel channel;
    private final String readerName;

    private PcscTransport(Card card, String readerName) {
        this.card = card;
        this.channel = card.getBasicChannel();
        this.readerName = readerName;
    }

    /** Connects to the card in the reader named (or uniquely matched by) {@code reader}. */
    public static PcscTransport open(String reader) throws IOException {
        configureLibrary();
        List<CardTerminal> terminals;
        try {
            terminals = TerminalFactory.getDefault().terminals().list();
        } catch (CardException | RuntimeException e) {
            throw new IOException("PC/SC is not available (is pcscd running?): " + rootMessage(e), e);
        }
        CardTerminal terminal = choose(terminals, reader);
        try {
            if (!terminal.waitForCardPresent(CARD_WAIT_MILLIS)) {
                throw new IOException("no card in reader " + terminal.getName());
            }
            Card card = terminal.connect("*");
            Log.debug("pcsc: connected to {} ({})", terminal.getName(), card.getProtocol());
            return new PcscTransport(card, terminal.getName());
        } catch (CardException e) {
            throw new IOException("cannot connect to the card in " + terminal.getName() + ": "
                    + rootMessage(e), e);
        }
    }

    /** The readers that hold a card now; none when PC/SC is not available (no pcscd). */
    public static List<String> readersWithCard() {
        configureLibrary();
        List<String> names = new ArrayList<>();
        try {
            for (CardTerminal t : TerminalFactory.getDefault().terminals().list(CardTerminals.State.CARD_PRESENT)) {
                names.add(t.getName());
            }
        } catch (CardException | RuntimeException e) {
            Log.info("PC/SC readers not listed: {}", rootMessage(e));
        }
        return names;
    }

    static CardTerminal choose(List<CardTerminal> terminals, String reader) throws IOException {
        List<String> names = new ArrayList<>();
        for (CardTerminal t : terminals) {
            if (t.getName().equals(reader)) {
                return t;
            }
            names.add(t.getName());
        }
        List<CardTerminal> partial = new ArrayList<>();
        for (CardTerminal t : terminals) {
            if (t.getName().toLowerCase(Locale.ROOT).contains(reader.toLowerCase(Locale.ROOT))) {
                partial.add(t);
            }
        }
        if (partial.size() == 1) {
            return partial.get(0);
        }
        if (partial.isEmpty()) {
            throw new IOException("no PC/SC reader matches \"" + reader + "\"; readers: "
                    + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
        List<String> matching = new ArrayList<>();
        partial.forEach(t -> matching.add(t.getName()));
        throw new IOException("\"" + reader + "\" matches several readers: " + String.join(", ", matching));
    }

    private static void configureLibrary() {
        // SunPCSC answers 61xx with GET RESPONSE (INS C0) by itself; YKOATH continues with
        // SEND REMAINING (A5) instead, which the session does.
        System.setProperty("sun.security.smartcardio.t0GetResponse", "false");
        System.setProperty("sun.security.smartcardio.t1GetResponse", "false");
        if (System.getProperty(LIBRARY_PROPERTY) != null) {
            return;
        }
        for (String p : LIBRARY_PATHS) {
            if (Files.exists(Path.of(p))) {
                System.setProperty(LIBRARY_PROPERTY, p);
                return;
            }
        }
    }

    /** The name of the reader in use. */
    public String readerName() {
        return readerName;
    }

    /** Sends one command APDU and returns the response APDU (data and status word). */
    @Override
    public byte[] transceive(byte[] command) throws IOException {
        try {
            ResponseAPDU r = channel.transmit(new CommandAPDU(command));
            return r.getBytes();
        } catch (CardException e) {
            throw new IOException("card in " + readerName + " stopped answering: " + rootMessage(e), e);
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed command APDU: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            card.disconnect(false);
        } catch (CardException e) {
            throw new IOException("disconnect failed: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
