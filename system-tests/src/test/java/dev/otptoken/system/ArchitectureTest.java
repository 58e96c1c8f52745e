package dev.otptoken.system;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/architecture.md, checked on the product's main classes (no test code):
 * {@code protocol} below everything and free of I/O; {@code hardware} above it; {@code firmware}
 * on both; {@code host} meeting the token only through a port or a reader, never importing
 * firmware or hardware; {@code log}, {@code xdg}, {@code files} and {@code jssc} using none of
 * them ({@code xdg} and {@code files} not even {@code log} or each other); nothing in the product reaching up into {@code system}.
 */
class ArchitectureTest {
    private static JavaClasses product;

    /** Main classes only: the modules' target/classes and jars, not test classes or test jars. */
    private static final class MainClassesOnly implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("/test-classes/") && !location.contains("-tests.jar");
        }
    }

    @BeforeAll
    static void importProduct() {
        product = new ClassFileImporter().withImportOption(new MainClassesOnly()).importPackages("dev.otptoken");
        assertThat(product.containPackage("dev.otptoken.protocol")).isTrue();
        assertThat(product.containPackage("dev.otptoken.hardware")).isTrue();
        assertThat(product.containPackage("dev.otptoken.firmware")).isTrue();
        assertThat(product.containPackage("dev.otptoken.host")).isTrue();
        assertThat(product.containPackage("dev.otptoken.log")).isTrue();
        assertThat(product.containPackage("dev.otptoken.jssc")).isTrue();
        assertThat(product.containPackage("dev.otptoken.xdg")).isTrue();
        assertThat(product.containPackage("dev.otptoken.files")).isTrue();
    }

    @Test
    void hostMeetsTheTokenOnlyThroughAPortOrAReader() {
        check(noClasses().that().resideInAPackage("dev.otptoken.host..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.otptoken.firmware..", "dev.otptoken.hardware..",
                        "dev.otptoken.system.."));
    }

    @Test
    void protocolIsPureAndBelowEverything() {
        check(noClasses().that().resideInAPackage("dev.otptoken.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.otptoken.hardware..", "dev.otptoken.firmware..",
                        "dev.otptoken.host..", "dev.otptoken.system.."));
        check(noClasses().that().resideInAPackage("dev.otptoken.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.net..", "java.nio.channels..",
                        "javax.smartcardio..", "com.sun.jna..", "jssc..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileInputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileOutputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.RandomAccessFile")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder"));
    }

    @Test
    void hardwareKnowsNoFirmwareAndNoHost() {
        check(noClasses().that().resideInAPackage("dev.otptoken.hardware..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.otptoken.firmware..", "dev.otptoken.host..",
                        "dev.otptoken.system.."));
    }

    @Test
    void firmwareKnowsNoHost() {
        check(noClasses().that().resideInAPackage("dev.otptoken.firmware..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.otptoken.host..", "dev.otptoken.system.."));
    }

    @Test
    void logXdgFilesAndJsscLibraryUseNoLayer() {
        check(noClasses().that().resideInAnyPackage("dev.otptoken.log..", "dev.otptoken.xdg..", "dev.otptoken.files..",
                        "dev.otptoken.jssc..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.otptoken.protocol..", "dev.otptoken.hardware..",
                        "dev.otptoken.firmware..", "dev.otptoken.host..", "dev.otptoken.system.."));
        check(noClasses().that().resideInAnyPackage("dev.otptoken.xdg..", "dev.otptoken.files..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.otptoken.log..", "dev.otptoken.jssc.."));
        check(noClasses().that().resideInAPackage("dev.otptoken.xdg..")
                .should().dependOnClassesThat().resideInAPackage("dev.otptoken.files.."));
        check(noClasses().that().resideInAPackage("dev.otptoken.files..")
                .should().dependOnClassesThat().resideInAPackage("dev.otptoken.xdg.."));
    }

    private static void check(ArchRule rule) {
        rule.check(product);
    }
}
