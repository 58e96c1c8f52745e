package dev.otptoken.host.imports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * JSON of export files, read with bounds (docs/imports.md, "Hostile files"): nesting at most
 * {@value #MAX_DEPTH} deep, no string longer than the file cap, no number longer than
 * {@value #MAX_NUMBER_CHARS} digits, a key given twice refused. Every failure is one
 * {@link ImportException} line; nothing of the document (which may hold secrets) is quoted,
 * and the parser's own exceptions, which quote it, are not chained.
 */
public final class ExportJson {
    /** Deepest nesting accepted: the formats read here need 5 levels; 10,000 is refused while parsing. */
    public static final int MAX_DEPTH = 64;
    /** Longest number accepted, in characters. */
    public static final int MAX_NUMBER_CHARS = 32;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(constraints())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    private static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ExportJson() {
    }

    /** The bounds on nesting, numbers, strings and the document, for every JSON (and CSV) export read. */
    public static StreamReadConstraints constraints() {
        return StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxNumberLength(MAX_NUMBER_CHARS)
                .maxStringLength(ExportSize.MAX_BYTES)
                .maxNameLength(ExportSize.MAX_BYTES)
                .maxDocumentLength(ExportSize.MAX_BYTES)
                .build();
    }

    /**
     * The document in {@code content} (UTF-8).
     *
     * @param what the format, for the message ("Aegis vault")
     */
    public static JsonNode parse(byte[] content, String what) throws ImportException {
        try {
            JsonNode node = MAPPER.readTree(content);
            if (node == null || node.isMissingNode()) {
                throw new ImportException(what + ": empty document");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw new ImportException(what + ": refused: " + constraint(e));
        } catch (IOException | StackOverflowError | RuntimeException e) {
            // not chained: the parser's message quotes the token it choked on, which may be a secret
            throw new ImportException(what + ": not valid JSON");
        }
    }

    private static String constraint(StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("nesting")) {
            return "JSON nested more than " + MAX_DEPTH + " levels deep";
        }
        if (m.contains("Number")) {
            return "a JSON number longer than " + MAX_NUMBER_CHARS + " characters";
        }
        return "a JSON value beyond the size bound";
    }

    /**
     * What the document's top level looks like, cheaply and without throwing: its kind and
     * its member names, and for an array the member names of its first element (null when the
     * bytes are not JSON within the bounds).
     */
    public static Shape shape(byte[] content) {
        try (JsonParser p = FACTORY.createParser(content)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                return new Shape(false, names(p));
            }
            if (first == JsonToken.START_ARRAY) {
                JsonToken element = p.nextToken();
                return new Shape(true, element == JsonToken.START_OBJECT ? names(p) : Set.of());
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The member names of the object whose START_OBJECT was just read (its values skipped). */
    private static Set<String> names(JsonParser p) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            names.add(p.currentName());
            p.nextToken();
            p.skipChildren();
        }
        return names;
    }

    /**
     * The top level of a JSON document.
     *
     * @param array whether it is an array (else an object)
     * @param names the object's member names, or for an array those of its first element
     */
    public record Shape(boolean array, Set<String> names) {
        public boolean object() {
            return !array;
        }

        public boolean has(String... all) {
            for (String n : all) {
                if (!names.contains(n)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Why bytes that no reader recognised are not JSON a reader could look at: a bound broken
     * (nesting, a number's length), or, for text that begins as JSON does ({@code {} or
     * {@code [}), a syntax error; null for anything else.
     */
    public static String problem(byte[] content) {
        try (JsonParser p = FACTORY.createParser(content)) {
            while (p.nextToken() != null) {
                p.skipChildren();
            }
            return null;
        } catch (StreamConstraintsException e) {
            return "refused: " + constraint(e);
        } catch (IOException | RuntimeException e) {
            String start = new String(content, 0, Math.min(content.length, 64), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("\uFEFF", "").strip();
            return start.startsWith("{") || start.startsWith("[") ? "not valid JSON" : null;
        }
    }

    /** The member {@code name} of an object, which must be an object. */
    public static JsonNode object(JsonNode parent, String name, String what) throws ImportException {
        JsonNode n = parent.get(name);
        if (n == null || !n.isObject()) {
            throw new ImportException(what + ": \"" + name + "\" is missing or not an object");
        }
        return n;
    }

    /** The member {@code name}, which must be an array. */
    public static JsonNode array(JsonNode parent, String name, String what) throws ImportException {
        JsonNode n = parent.get(name);
        if (n == null || !n.isArray()) {
            throw new ImportException(what + ": \"" + name + "\" is missing or not an array");
        }
        return n;
    }

    /** A string member, or {@code fallback} when absent or null; refused when of another kind. */
    public static String text(JsonNode parent, String name, String fallback, String what) throws ImportException {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw new ImportException(what + ": \"" + name + "\" is not a string");
        }
        return n.textValue();
    }

    /** A string member that must be there. */
    public static String requiredText(JsonNode parent, String name, String what) throws ImportException {
        String s = text(parent, name, null, what);
        if (s == null) {
            throw new ImportException(what + ": \"" + name + "\" is missing");
        }
        return s;
    }

    /**
     * An integer member, or {@code fallback} when absent or null; refused when not an integer
     * (a number with a fraction, a string) or beyond a long.
     */
    public static long integer(JsonNode parent, String name, long fallback, String what) throws ImportException {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new ImportException(what + ": \"" + name + "\" is not an integer");
        }
        return n.longValue();
    }

    /** Bytes from a hexadecimal member (the name in the message, never the value). */
    public static byte[] hex(JsonNode parent, String name, String what) throws ImportException {
        String s = requiredText(parent, name, what);
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new ImportException(what + ": \"" + name + "\" is not hexadecimal");
        }
    }

    /** Bytes from standard Base64 text (with or without padding). */
    public static byte[] base64(String text, String field, String what) throws ImportException {
        try {
            return Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new ImportException(what + ": " + field + " is not Base64");
        }
    }
}
