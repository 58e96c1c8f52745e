package dev.otptoken.host.cli;

import static dev.otptoken.host.cli.Launchers.otptoken;
import static dev.otptoken.host.cli.Launchers.port;
import static dev.otptoken.host.cli.Launchers.startSim;
import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.cli.Processes.Result;
import dev.otptoken.host.cli.Processes.Sim;
import dev.otptoken.host.imports.ExportFixtures;
import dev.otptoken.host.imports.ExportFixtures.Account;
import dev.otptoken.host.imports.ExportFixtures.Kind;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports through the launchers (docs/imports.md): {@code bin/otptoken provision FILE...} writes
 * every account of a plain and an encrypted export of each format that has one (Aegis, andOTP,
 * 2FAS, PSKC), a plain export of the others (Authenticator Pro, Bitwarden JSON and CSV, Ente
 * Auth, Proton Authenticator), and a text file of URIs,
 * into a primary and a {@code --backup} simulator; every code on both tokens equals oathtool's
 * (Steam's, the reference algorithm's), and a wrong password writes nothing.
 */
class ImportIT {
    @TempDir
    Path dir;

    private Path password() throws Exception {
        return Files.writeString(dir.resolve("password.txt"), ExportFixtures.PASSWORD + "\n");
    }

    @Test
    void aegisPlainAndEncryptedOntoATokenAndItsBackup() throws Exception {
        provisionAndCompare("Aegis vault", export("aegis-export.json", "Aegis", ExportFixtures::aegisPlain),
                export("aegis-export-encrypted.json", "AegisE", a -> ExportFixtures.aegisEncrypted(a, ExportFixtures.PASSWORD)));
    }

    @Test
    void andOtpPlainAndEncryptedOntoATokenAndItsBackup() throws Exception {
        provisionAndCompare("andOTP backup", export("otp_accounts.json", "andOTP", ExportFixtures::andOtpPlain),
                export("otp_accounts.json.aes", "andOTPE", a -> ExportFixtures.andOtpEncrypted(a, ExportFixtures.PASSWORD)));
    }

    @Test
    void twoFasPlainAndEncryptedAndAUriListOntoATokenAndItsBackup() throws Exception {
        provisionAndCompare("2FAS backup", export("backup.2fas", "2FAS", ExportFixtures::twoFasPlain),
                export("backup-encrypted.2fas", "2FASE", a -> ExportFixtures.twoFasEncrypted(a, ExportFixtures.PASSWORD)),
                export("uris.txt", "Uri", ExportFixtures::uriList));
    }

    @Test
    void authenticatorProAndBitwardenJsonAndCsvOntoATokenAndItsBackup() throws Exception {
        provisionAndCompare("Authenticator Pro backup",
                export("authenticator-pro.json", "AuthPro", ExportFixtures::authenticatorPro),
                export("bitwarden_export.json", "BwJson", ExportFixtures::bitwardenJson),
                export("bitwarden_export.csv", "BwCsv", ExportFixtures::bitwardenCsv));
    }

    @Test
    void pskcPlainAndEncryptedEnteAndProtonOntoATokenAndItsBackup() throws Exception {
        provisionAndCompare("PSKC",
                export("seeds.xml", "Pskc", a -> pskc(a, null)),
                export("seeds-pbkdf2.pskc", "PskcE", a -> pskc(a, ExportFixtures.PASSWORD)),
                export("ente-codes.txt", "Ente", ExportFixtures::ente),
                export("proton-authenticator.json", "Proton", ExportFixtures::proton));
    }

    private static byte[] pskc(List<Account> accounts, String password) {
        try {
            return dev.otptoken.host.imports.pskc.PskcFiles.ofAccounts(accounts, password);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A file of the fixture accounts named with {@code prefix}, made by {@code make}. */
    private Map.Entry<Path, List<Account>> export(String name, String prefix,
                                                  java.util.function.Function<List<Account>, byte[]> make) throws Exception {
        List<Account> accounts = ExportFixtures.accounts(prefix);
        return Map.entry(Files.write(dir.resolve(name), make.apply(accounts)), accounts);
    }

    @SafeVarargs
    private void provisionAndCompare(String format, Map.Entry<Path, List<Account>>... files) throws Exception {
        Processes.requireTool("oathtool");
        List<String> args = new ArrayList<>(List.of("provision", "--export-password-file", password().toString()));
        List<Account> all = new ArrayList<>();
        for (Map.Entry<Path, List<Account>> file : files) {
            args.add(file.getKey().toString());
            all.addAll(file.getValue().stream().filter(Account::stored).toList());
        }
        try (Sim primary = startSim(); Sim backup = startSim()) {
            args.add(1, "--backup");
            args.add(2, backup.port);
            Result p = otptoken(port(primary), null, args.toArray(String[]::new));
            assertThat(p.status()).as(p.err()).isZero();
            for (Sim s : List.of(primary, backup)) {
                assertThat(p.out()).contains(s.port + ": " + all.size() + " of " + all.size() + " accounts in and proven");
            }
            assertThat(p.errLines()).as("one line per file, naming the MD5 account skipped").hasSize(files.length)
                    .allSatisfy(l -> assertThat(l).contains(": 7 accounts, skipped 1: "))
                    .anySatisfy(l -> assertThat(l).contains(": " + format + ": 7 accounts, skipped 1: ")
                            .containsIgnoringCase("MD5"));
            for (Account a : all) {
                assertThat(p.out() + p.err()).as("no secret printed").doesNotContain(a.base32());
            }
            for (Sim s : List.of(primary, backup)) {
                Result list = otptoken(port(s), null, "list");
                assertThat(list.outLines()).as(list.err()).hasSize(all.size());
                compareCodes(s, all);
            }
        }
    }

    /** Every TOTP code at one time step (retried once across a step boundary), then each HOTP code. */
    private static void compareCodes(Sim sim, List<Account> accounts) throws Exception {
        int[] periods = {20, 30, 50, 60};
        for (int attempt = 0; ; attempt++) {
            long now = java.time.Instant.now().getEpochSecond();
            List<Long> before = steps(now, periods);
            Result codes = otptoken(port(sim), null, "code");
            List<Long> after = steps(java.time.Instant.now().getEpochSecond(), periods);
            assertThat(codes.status()).as(codes.err()).isZero();
            if (!before.equals(after) && attempt == 0) {
                continue;
            }
            assertThat(before).isEqualTo(after);
            Map<String, String> shown = new LinkedHashMap<>();
            for (String line : codes.outLines()) {
                int cut = line.lastIndexOf(' ');
                shown.put(line.substring(0, cut).strip(), line.substring(cut + 1));
            }
            for (Account a : accounts) {
                String code = shown.get(a.name());
                assertThat(code).as(sim.port + " " + a.name() + " in " + shown.keySet()).isNotNull();
                switch (a.kind()) {
                    case HOTP -> assertThat(code).isEqualTo("[HOTP]");
                    case STEAM -> assertThat(code).as(a.name()).isIn(totp(a, now), steam(a, now));
                    default -> assertThat(code).as(a.name()).isEqualTo(totp(a, now));
                }
            }
            break;
        }
        for (Account a : accounts) {
            if (a.kind() == Kind.HOTP) {
                // proving used the export's counter; the next code is for the one after it
                Result r = otptoken(port(sim), null, "code", "-s", a.name());
                assertThat(r.out().strip()).as(r.err()).isEqualTo(Launchers.oathtool("--hotp", "-d",
                        Integer.toString(a.digits()), "-c", Long.toString(a.counter() + 1), "-b", a.base32()));
            }
        }
    }

    /** The time steps of {@code periods} at {@code now}: equal before and after means no boundary crossed. */
    private static List<Long> steps(long now, int... periods) {
        List<Long> steps = new ArrayList<>();
        for (int p : periods) {
            steps.add(now / p);
        }
        return steps;
    }

    private static String totp(Account a, long at) throws Exception {
        int digits = a.kind() == Kind.STEAM ? 6 : a.digits();
        int period = a.kind() == Kind.STEAM ? 30 : a.period();
        return Launchers.oathtool("--totp=" + a.algorithm().toLowerCase(Locale.ROOT), "-d", Integer.toString(digits),
                "-s", period + "s", "--now", "@" + at, "-b", a.base32());
    }

    /** Steam's reference algorithm: the RFC 4226 truncation of HMAC-SHA1, as five characters of its alphabet. */
    static String steam(Account a, long at) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(a.hexKey()), "HmacSHA1"));
        byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(at / 30).array());
        int o = h[h.length - 1] & 0xf;
        int value = ((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff);
        String alphabet = "23456789BCDFGHJKMNPQRTVWXY";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append(alphabet.charAt(value % alphabet.length()));
            value /= alphabet.length();
        }
        return sb.toString();
    }

    /**
     * At -vv (APDU traces, stack traces), an encrypted export with random keys, a file whose
     * secret breaks the JSON syntax and a wrong password print no key and no password in any
     * form SecretScanner decodes.
     */
    @Test
    void noSecretOrPasswordPrintedAtMaximumVerbosity() throws Exception {
        java.security.SecureRandom random = new java.security.SecureRandom();
        List<Account> accounts = new ArrayList<>();
        SecretScanner scanner = new SecretScanner().text("password", ExportFixtures.PASSWORD);
        for (int i = 0; i < 3; i++) {
            byte[] key = new byte[20 + 12 * i];
            random.nextBytes(key);
            accounts.add(new Account(Kind.TOTP, "Random", "key" + i, "SHA1", 6, 30, 0, HexFormat.of().formatHex(key),
                    true, null));
            scanner.secret("key" + i, key);
        }
        Path vault = Files.write(dir.resolve("random.json"), ExportFixtures.andOtpEncrypted(accounts, ExportFixtures.PASSWORD));
        String broken = new String(ExportFixtures.andOtpPlain(accounts), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"secret\" : \"", "\"secret\" : ").replace("\",\n  \"issuer\"", ",\n  \"issuer\"");
        Path unquoted = Files.writeString(dir.resolve("broken.json"), broken);
        Path wrong = Files.writeString(dir.resolve("wrong.txt"), "wrong " + ExportFixtures.PASSWORD + "\n");
        try (Sim primary = startSim(); Sim backup = startSim()) {
            List<Result> runs = List.of(
                    otptoken(port(primary), null, "-vv", "provision", "--backup", backup.port,
                            "--export-password-file", password().toString(), vault.toString()),
                    otptoken(port(primary), null, "-vv", "provision", unquoted.toString()),
                    otptoken(port(primary), null, "-vv", "provision", "--export-password-file", wrong.toString(),
                            vault.toString(), "--overwrite"));
            assertThat(runs.get(0).status()).as(runs.get(0).err()).isZero();
            assertThat(runs.get(1).status()).isEqualTo(ExitStatus.BAD_INPUT);
            assertThat(runs.get(1).err()).contains(unquoted + ": not valid JSON");
            assertThat(runs.get(2).status()).isEqualTo(ExitStatus.BAD_INPUT);
            assertThat(runs.get(0).err()).as("-vv traced the APDUs").contains("> ");
            for (Result r : runs) {
                assertThat(scanner.scan("stdout", r.out().getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEmpty();
                assertThat(scanner.scan("stderr", r.err().getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEmpty();
            }
        }
    }

    /**
     * Without --export-password-file, on a terminal (a pseudo-terminal made by script(1)), the
     * password is asked once and not echoed, and the vault provisions.
     */
    @Test
    void thePasswordIsAskedOnTheTerminalWithoutEcho() throws Exception {
        Processes.requireTool("script");
        Path vault = Files.write(dir.resolve("vault.json"),
                ExportFixtures.aegisEncrypted(ExportFixtures.accounts("Typed"), ExportFixtures.PASSWORD));
        try (Sim sim = startSim()) {
            String command = "'" + Launchers.host() + "' --port '" + sim.port + "' provision '" + vault + "'";
            Process p = new ProcessBuilder("script", "-qec", command, "/dev/null").redirectErrorStream(true).start();
            StringBuffer shown = new StringBuffer();
            Thread reader = new Thread(() -> {
                try (var in = new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8)) {
                    for (int c = in.read(); c >= 0; c = in.read()) {
                        shown.append((char) c);
                    }
                } catch (java.io.IOException closed) {
                    // the process ended
                }
            });
            reader.start();
            String prompt = "Password of " + vault + " (Aegis vault): ";
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (shown.indexOf(prompt) < 0 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(shown.toString()).contains(prompt);
            p.getOutputStream().write((ExportFixtures.PASSWORD + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            p.getOutputStream().flush();
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            reader.join(5000);
            String after = shown.substring(shown.indexOf(prompt) + prompt.length());
            assertThat(p.exitValue()).as(shown.toString()).isZero();
            assertThat(after).doesNotContain(ExportFixtures.PASSWORD).contains(sim.port + ": 7 of 7 accounts in and proven");
            assertThat(shown.toString().split(java.util.regex.Pattern.quote(prompt), -1)).as("asked once").hasSize(2);
            assertThat(otptoken(port(sim), null, "list").outLines()).hasSize(7);
        }
    }

    /** A wrong password: exit 3, one line, and the token holds what it held. */
    @Test
    void aWrongPasswordWritesNothing() throws Exception {
        Path plain = Files.write(dir.resolve("first.json"), ExportFixtures.andOtpPlain(ExportFixtures.accounts("Before")));
        Path sealed = Files.write(dir.resolve("vault.json"),
                ExportFixtures.aegisEncrypted(ExportFixtures.accounts("Sealed"), ExportFixtures.PASSWORD));
        Path wrong = Files.writeString(dir.resolve("wrong.txt"), "not the password\n");
        Path other = Files.write(dir.resolve("other.2fas"), ExportFixtures.twoFasPlain(ExportFixtures.accounts("Other")));
        try (Sim sim = startSim()) {
            Result first = otptoken(port(sim), null, "provision", plain.toString());
            assertThat(first.status()).as(first.err()).isZero();
            List<String> held = otptoken(port(sim), null, "list").outLines();
            assertThat(held).hasSize(7);

            Result refused = otptoken(port(sim), null, "provision", "--export-password-file", wrong.toString(),
                    other.toString(), sealed.toString());
            assertThat(refused.status()).isEqualTo(ExitStatus.BAD_INPUT);
            assertThat(refused.out()).isEmpty();
            assertThat(refused.errLines()).containsExactly("otptoken: " + sealed
                    + ": wrong password for the Aegis vault (no password slot opens)");

            Result noPassword = otptoken(port(sim), null, "provision", sealed.toString());
            assertThat(noPassword.status()).isEqualTo(ExitStatus.BAD_INPUT);
            assertThat(noPassword.errLines()).containsExactly("otptoken: " + sealed + ": encrypted: give its password"
                    + " with --export-password-file FILE (first line), or run on a terminal to be asked");

            Result strict = otptoken(port(sim), null, "provision", "--strict", other.toString());
            assertThat(strict.status()).isEqualTo(ExitStatus.BAD_INPUT);
            assertThat(strict.errLines()).containsExactly("otptoken: --strict: 1 account cannot be stored: Other Old:md5"
                    + " (MD5 not supported by the token); nothing was written");

            Result twice = otptoken(port(sim), null, "provision", other.toString(), other.toString());
            assertThat(twice.status()).isEqualTo(ExitStatus.BAD_INPUT);
            assertThat(twice.errLines()).containsExactly("otptoken: account Other Sha1:six-30 appears twice in the input");

            assertThat(otptoken(port(sim), null, "list").outLines()).isEqualTo(held);
        }
    }
}
