package dev.otptoken.host.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.otptoken.host.otpauth.OtpCredential;
import dev.otptoken.protocol.fuzz.FuzzSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Example;

/**
 * Fuzzes every export reader (docs/reliability.md, docs/imports.md): any bytes given to
 * {@link ExportReaders#recognise} and to every reader's {@code read} end in a result or exactly
 * an {@link ImportException} with a message, never another exception, a hang or a leak; an
 * accepted account prints no secret and has 6 to 8 digits. Inputs: random bytes, byte
 * mutations of each format's files (plain and encrypted, and a URI list), and JSON-aware
 * mutations that replace one value of a real file's tree by a value of another kind or an
 * extreme one, so that mutations reach the field checks instead of dying in the JSON syntax.
 * An encrypted file's password is refused by the password source (an ImportException):
 * decryption and the key derivations are tested with their vectors in ExportReadersTest, and
 * decrypted content goes through the same entry parsing as the plain files fuzzed here.
 */
class ImportFuzzProperties {
    private static final long CI_INPUTS = 5_000;
    private static final int BATCH = 5_000;
    private static final int MAX_RANDOM = 600;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ExportPassword NO_PASSWORD = what -> {
        throw new ImportException("no password while fuzzing");
    };

    static List<byte[]> corpus() {
        List<ExportFixtures.Account> a = ExportFixtures.accounts("F");
        List<ExportFixtures.Account> few = a.subList(4, 8);
        return List.of(ExportFixtures.aegisPlain(few), ExportFixtures.andOtpPlain(few), ExportFixtures.twoFasPlain(few),
                ExportFixtures.uriList(a),
                ExportFixtures.aegisEncrypted(few, ExportFixtures.PASSWORD, 2, 1, 1),
                ExportFixtures.andOtpEncrypted(ExportFixtures.andOtpPlain(few), ExportFixtures.PASSWORD, 1),
                ExportFixtures.twoFasEncrypted(few, ExportFixtures.PASSWORD));
    }

    @Example
    void anyBytesEndInAccountsOrImportException() {
        List<byte[]> corpus = corpus();
        List<JsonNode> trees = new ArrayList<>();
        for (byte[] c : corpus) {
            try {
                if (c[0] != 0 && c[0] != '#') {
                    trees.add(JSON.readTree(c));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        FuzzSupport.run("imports", FuzzSupport.inputs("imports", CI_INPUTS), BATCH, (random, i) -> {
            byte[] input = switch (random.nextInt(4)) {
                case 0 -> FuzzSupport.randomBytes(random, MAX_RANDOM);
                case 1 -> FuzzSupport.mutate(random, corpus);
                default -> mutateTree(random, trees.get(random.nextInt(trees.size())));
            };
            FuzzSupport.valueOrDeclared(RuntimeException.class, input, () -> ExportReaders.recognise(input));
            for (ExportReader reader : ExportReaders.ALL) {
                reader.recognises(input);
                Imported imported = FuzzSupport.valueOrDeclared(ImportException.class, input,
                        () -> reader.read(input, NO_PASSWORD));
                if (imported != null) {
                    try {
                        for (OtpCredential c : imported.credentials()) {
                            assertThat(c.toString()).contains("redacted");
                            assertThat(c.digits()).isBetween(6, 8);
                            assertThat(c.account()).isNotEmpty();
                        }
                        assertThat(imported.skipped()).allSatisfy(s -> assertThat(s.reason()).isNotBlank());
                    } finally {
                        imported.destroy();
                    }
                }
            }
        });
    }

    /** The tree with one to three values replaced (the tree is not changed), as JSON bytes. */
    private static byte[] mutateTree(Random random, JsonNode tree) {
        JsonNode copy = tree.deepCopy();
        int n = 1 + random.nextInt(3);
        for (int m = 0; m < n; m++) {
            replaceOne(random, copy);
        }
        try {
            return JSON.writeValueAsBytes(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void replaceOne(Random random, JsonNode root) {
        JsonNode node = root;
        for (int depth = 0; depth < 6 && node.isContainerNode() && node.size() > 0; depth++) {
            JsonNode child;
            if (node.isArray()) {
                int index = random.nextInt(node.size());
                child = node.get(index);
                if (!child.isContainerNode() || random.nextInt(3) == 0) {
                    ((ArrayNode) node).set(index, randomValue(random));
                    return;
                }
            } else {
                List<String> names = new ArrayList<>();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    names.add(e.getKey());
                }
                String name = names.get(random.nextInt(names.size()));
                child = node.get(name);
                if (!child.isContainerNode() || random.nextInt(3) == 0) {
                    if (random.nextInt(8) == 0) {
                        ((ObjectNode) node).remove(name);
                    } else {
                        ((ObjectNode) node).set(name, randomValue(random));
                    }
                    return;
                }
            }
            node = child;
        }
    }

    private static final String[] STRINGS = {"", "totp", "hotp", "steam", "yandex", "motp", "TOTP", "STEAM", "MD5",
        "SHA256", "sha-512", "GEZDGNBVGY3TQOJQ", "!!!", "a:b", "\u0000\u001b[31m", "\u202e", "x".repeat(300),
        "otpauth://totp/x?secret=GEZDGNBV", "AAAA:AAAA:AAAAAAAAAAAAAAAA", "00", "zz"};
    private static final long[] NUMBERS = {0, 1, -1, 5, 6, 7, 8, 9, 10, 30, 3600, 3601, 1L << 15, 1L << 20, 1L << 40,
        Integer.MAX_VALUE, 0xFFFF_FFFFL, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE};

    private static JsonNode randomValue(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(NUMBERS[random.nextInt(NUMBERS.length)]);
            case 3 -> NODES.numberNode(random.nextDouble() * 100);
            case 4 -> NODES.arrayNode().add(random.nextInt());
            case 5 -> NODES.objectNode().put("secret", "GEZDGNBV");
            case 6 -> NODES.textNode(new String(FuzzSupport.randomBytes(random, 40), StandardCharsets.ISO_8859_1));
            default -> NODES.textNode(STRINGS[random.nextInt(STRINGS.length)]);
        };
    }
}
