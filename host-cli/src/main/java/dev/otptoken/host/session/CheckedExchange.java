package dev.otptoken.host.session;

import dev.otptoken.protocol.apdu.ApduException;
import dev.otptoken.protocol.apdu.ApduFormatException;
import dev.otptoken.protocol.apdu.ApduTransport;
import dev.otptoken.protocol.apdu.CommandApdu;
import dev.otptoken.protocol.apdu.ResponseApdu;
import dev.otptoken.protocol.apdu.StatusWord;
import java.io.IOException;

/**
 * The one place where a status word becomes an exception for both sessions: 9000 passes,
 * 6982 is {@link PasswordRequiredException}, anything else is {@link ApduException}.
 */
final class CheckedExchange {
    private CheckedExchange() {
    }

    /**
     * {@link #transmit} for a command that carries a secret: the encoded bytes and the
     * command's own copy of its data are zeroed once the reply is in, whatever it was.
     */
    static byte[] transmitSecret(ApduTransport transport, CommandApdu command) throws IOException, ApduException {
        byte[] raw = encode(command);
        try {
            ResponseApdu response;
            byte[] reply = transport.transceive(raw);
            try {
                response = ResponseApdu.parse(reply);
            } catch (ApduFormatException e) {
                throw new IOException("malformed reply from the token (" + reply.length + " bytes)", e);
            }
            check(response.sw());
            return response.data();
        } finally {
            java.util.Arrays.fill(raw, (byte) 0);
            command.wipe();
        }
    }

    /** Sends {@code command} and returns the response data of a 9000 reply. */
    static byte[] transmit(ApduTransport transport, CommandApdu command) throws IOException, ApduException {
        byte[] raw = transport.transceive(encode(command));
        ResponseApdu response;
        try {
            response = ResponseApdu.parse(raw);
        } catch (ApduFormatException e) {
            throw new IOException("malformed reply from the token (" + raw.length + " bytes)", e);
        }
        check(response.sw());
        return response.data();
    }

    /**
     * The command as ykman encodes it: a command without data still carries a fifth byte
     * 00 ({@code 00 A1 00 00 00}); as ISO reads it, that is Le = 256.
     */
    static byte[] encode(CommandApdu command) {
        if (command.nc() == 0 && command.ne() == 0) {
            return new CommandApdu(command.cla(), command.ins(), command.p1(), command.p2(), null,
                    CommandApdu.MAX_SHORT_NE).encode();
        }
        return command.encode();
    }

    /** Throws the exception for a non-9000 status word. */
    static void check(int sw) throws ApduException {
        if (sw == StatusWord.OK) {
            return;
        }
        if (sw == StatusWord.SECURITY_STATUS_NOT_SATISFIED) {
            throw new PasswordRequiredException();
        }
        throw new ApduException(sw);
    }
}
