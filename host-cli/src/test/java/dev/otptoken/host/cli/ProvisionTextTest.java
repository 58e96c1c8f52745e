package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otptoken.host.otpauth.MigrationBatch;
import dev.otptoken.host.otpauth.Skipped;
import dev.otptoken.host.provision.AccountState;
import dev.otptoken.host.provision.ProvisionStop;
import dev.otptoken.host.provision.TokenReport;
import dev.otptoken.host.session.TokenAddress;
import dev.otptoken.protocol.apdu.ApduException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lines of docs/otptoken-cli.md, provision, from the service's reports. */
class ProvisionTextTest {
    private static final TokenAddress PRIMARY = new TokenAddress.SerialPort("/dev/pts/4");
    private static final TokenAddress BACKUP = new TokenAddress.SerialPort("/dev/pts/5");

    @Test
    void aTokenWithEverythingProvenIsOneLineNamingThem() {
        assertThat(ProvisionText.summary(new TokenReport(PRIMARY, List.of("Example:alice", "Acme:bob"),
                List.of(AccountState.PROVEN, AccountState.PROVEN))))
                .isEqualTo("/dev/pts/4: 2 of 2 accounts in and proven (Example:alice, Acme:bob)");
    }

    @Test
    void eachStateHasItsPartOfTheLineAndNamesAreMadeSafe() {
        TokenReport r = new TokenReport(new TokenAddress.PcscReader("Virtual PCD 00 00"),
                List.of("a", "b\u001b[2J", "c", "d"),
                List.of(AccountState.PROVEN, AccountState.WRITTEN, AccountState.UNKNOWN, AccountState.ABSENT));
        assertThat(ProvisionText.summary(r)).isEqualTo("Virtual PCD 00 00: 1 of 4 accounts in and proven (a);"
                + " written, NOT proven: b\\x1b[2J; unknown (the token did not answer): c — check with 'otptoken list';"
                + " not written: d");
        assertThat(ProvisionText.summary(new TokenReport(PRIMARY, List.of("a"), List.of(AccountState.ABSENT))))
                .isEqualTo("/dev/pts/4: 0 of 1 accounts in and proven; not written: a");
    }

    @Test
    void aStopNamesEveryTokenAndWhereAndWhyTheFailedOneFailed() {
        ProvisionStop stop = new ProvisionStop(BACKUP, List.of(
                new TokenReport(PRIMARY, List.of("Example:alice", "Acme:bob"), List.of(AccountState.PROVEN,
                        AccountState.PROVEN)),
                new TokenReport(BACKUP, List.of("Example:alice", "Acme:bob"), List.of(AccountState.PROVEN,
                        AccountState.ABSENT))),
                Optional.of(new ProvisionStop.Failure("Acme:bob", new ApduException(0x6581))));
        assertThat(ProvisionText.stopped(stop)).containsExactly(
                "otptoken: provisioning stopped at /dev/pts/5; what each token holds now:",
                "otptoken:   /dev/pts/4: 2 of 2 accounts in and proven (Example:alice, Acme:bob)",
                "otptoken:   /dev/pts/5: 1 of 2 accounts in and proven (Example:alice); not written: Acme:bob;"
                        + " failed at Acme:bob: the token's memory failed to write (6581): its last change was undone");
    }

    @Test
    void aStopWithoutAFailureSaysOnlyWhatEachTokenHolds() {
        ProvisionStop stop = new ProvisionStop(PRIMARY,
                List.of(new TokenReport(PRIMARY, List.of("a"), List.of(AccountState.UNKNOWN))), Optional.empty());
        assertThat(ProvisionText.stopped(stop)).containsExactly(
                "otptoken: provisioning stopped at /dev/pts/4; what each token holds now:",
                "otptoken:   /dev/pts/4: 0 of 1 accounts in and proven; unknown (the token did not answer): a"
                        + " — check with 'otptoken list'");
        ProvisionStop lineBroke = new ProvisionStop(PRIMARY,
                List.of(new TokenReport(PRIMARY, List.of("a"), List.of(AccountState.UNKNOWN))),
                Optional.of(new ProvisionStop.Failure("a", new IOException("the line\nwent dead"))));
        assertThat(ProvisionText.stopped(lineBroke).get(1)).endsWith("; failed at a: the line went dead");
    }

    @Test
    void aMigrationBatchNamesItsImageOrTheUri() {
        MigrationBatch batch = new MigrationBatch(List.of(), List.of(new Skipped("Acme:x", "HOTP with 7 digits")), 0, 2, 9);
        assertThat(ProvisionText.migration(Optional.of(Path.of("export.png")), batch))
                .isEqualTo("otptoken: export.png: migration batch 1 of 2: 0 accounts, skipped 1: Acme:x (HOTP with 7 digits)");
        assertThat(ProvisionText.migration(Optional.empty(), batch)).startsWith("otptoken: --uri: migration batch 1 of 2");
        MigrationBatch two = new MigrationBatch(List.of(), List.of(new Skipped("Acme:x", "HOTP with 7 digits"),
                new Skipped("Y:y", "unsupported algorithm MD5")), 0, 1, 9);
        assertThat(ProvisionText.migration(Optional.empty(), two)).as("each skipped account set apart")
                .endsWith("skipped 2: Acme:x (HOTP with 7 digits); Y:y (unsupported algorithm MD5)");
    }

    @Test
    void theTouchHintNamesTokenAndAccount() {
        assertThat(ProvisionText.touch(BACKUP, "Example:alice"))
                .isEqualTo("otptoken: touch the token at /dev/pts/5 to prove Example:alice ...");
    }

    @Test
    void anIncompleteExportNamesTheCodesNotGiven() {
        assertThat(ProvisionText.incomplete(new MigrationBatch.Incomplete(2, List.of(2)))).isEqualTo(
                "otptoken: warning: QR code 2 of 2 of a Google Authenticator export is not in the input: provision it"
                        + " too if its accounts are not on the token yet");
        assertThat(ProvisionText.incomplete(new MigrationBatch.Incomplete(4, List.of(1, 3, 4)))).isEqualTo(
                "otptoken: warning: QR codes 1, 3 and 4 of 4 of a Google Authenticator export are not in the input:"
                        + " provision them too if their accounts are not on the token yet");
    }
}
