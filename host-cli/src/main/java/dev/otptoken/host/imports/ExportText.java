package dev.otptoken.host.imports;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The text of an export file that is text (a URI list, Ente's export, a CSV): strict UTF-8, within the size bound. */
public final class ExportText {
    private static final char BOM = '\uFEFF';

    private ExportText() {
    }

    /**
     * The file as UTF-8 text, a leading byte-order mark dropped; malformed UTF-8 is refused
     * (the message never quotes the bytes).
     *
     * @param format the format's name, for the message
     */
    public static String utf8(byte[] content, String format) throws ImportException {
        ExportSize.check(content, format);
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content))
                    .toString();
            return !s.isEmpty() && s.charAt(0) == BOM ? s.substring(1) : s;
        } catch (CharacterCodingException e) {
            throw new ImportException(format + ": the file is not UTF-8 text");
        }
    }
}
