package dev.otptoken.host.session;

import dev.otptoken.log.Log;
import dev.otptoken.protocol.apdu.ApduTransport;
import java.io.IOException;

/** Logs every APDU exchange at trace level ({@code -vv}), secrets redacted by {@link ApduRedactor}. */
public final class TracingTransport implements ApduTransport {
    private final ApduTransport inner;

    public TracingTransport(ApduTransport inner) {
        this.inner = inner;
    }

    @Override
    public byte[] transceive(byte[] command) throws IOException {
        Log.trace("> {}", () -> ApduRedactor.command(command));
        byte[] response = inner.transceive(command);
        Log.trace("< {}", () -> ApduRedactor.response(command, response));
        return response;
    }
}
