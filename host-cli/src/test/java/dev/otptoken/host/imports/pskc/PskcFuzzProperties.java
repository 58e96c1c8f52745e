package dev.otptoken.host.imports.pskc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.imports.ExportPassword;
import dev.otptoken.host.imports.ImportException;
import dev.otptoken.host.imports.Imported;
import dev.otptoken.protocol.fuzz.FuzzSupport;
import java.security.GeneralSecurityException;
import java.util.List;
import net.jqwik.api.Example;

/**
 * Fuzzes {@link PskcReader}: RFC 6030's figures and files built by {@link PskcFiles} (plain, a
 * pre-shared key, PBKDF2) mutated as bytes, and random bytes. {@code recognises} never throws;
 * {@code read} ends in accounts or an {@link ImportException} with a message, never another
 * exception, a hang or a leak; what it returns shows no key.
 */
class PskcFuzzProperties {
    private static final long CI_INPUTS = 4_000;
    private static final int BATCH = 1_000;
    private static final int MAX_RANDOM = 600;
    private static final String PBKDF2_PASSWORD = "fuzz";

    static List<byte[]> corpus() throws GeneralSecurityException {
        List<PskcFiles.Key> keys = PskcReaderTest.vectors();
        return List.of(
                PskcFiles.utf8(PskcFiles.FIGURE_2),
                PskcFiles.utf8(PskcFiles.FIGURE_6),
                PskcFiles.utf8(PskcFiles.FIGURE_7),
                PskcFiles.utf8(PskcFiles.build(null, keys)),
                PskcFiles.utf8(PskcFiles.build(PskcFiles.Protection.psk(PskcReaderTest.PSK, PskcFiles.HMAC_SHA256,
                        PskcReaderTest.MAC_KEY), keys.subList(0, 2))),
                PskcFiles.utf8(PskcFiles.build(PskcFiles.Protection.pbkdf2(PBKDF2_PASSWORD.toCharArray(),
                        PskcFiles.hex("0102030405060708"), 10, null, PskcFiles.HMAC_SHA1, PskcReaderTest.MAC_KEY),
                        keys.subList(2, 4))));
    }

    @Example
    void anyBytesEndInAccountsOrImportException() throws GeneralSecurityException {
        List<byte[]> corpus = corpus();
        PskcReader reader = new PskcReader();
        String[] passwords = {"12345678901234567890123456789012", "00112233445566778899aabbccddeeff", "qwerty",
            PBKDF2_PASSWORD, "not hex"};
        FuzzSupport.run("pskc", FuzzSupport.inputs("pskc", CI_INPUTS), BATCH, (random, i) -> {
            byte[] input = random.nextInt(8) == 0 ? FuzzSupport.randomBytes(random, MAX_RANDOM)
                    : FuzzSupport.mutate(random, corpus);
            reader.recognises(input);
            String password = passwords[random.nextInt(passwords.length)];
            ExportPassword source = what -> password.toCharArray();
            Imported got = FuzzSupport.valueOrDeclared(ImportException.class, input, () -> reader.read(input, source));
            if (got != null) {
                assertThat(got.toString() + got.credentials()).doesNotContain("3132333435363738");
                got.destroy();
            }
        });
    }
}
