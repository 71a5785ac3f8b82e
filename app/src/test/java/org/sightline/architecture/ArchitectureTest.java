package org.sightline.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Capability packages stay acyclic; the engine and the generator stay plain Java. */
class ArchitectureTest {

    private static final JavaClasses SIGHTLINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.sightline");

    @Test
    void capabilityPackagesHaveNoCycles() {
        slices().matching("org.sightline.(*)..").should().beFreeOfCycles().check(SIGHTLINE);
    }

    @Test
    void linkageAndSynthDependOnNoFrameworkAndNoAppPackage() {
        noClasses()
                .that()
                .resideInAnyPackage("org.sightline.linkage..", "org.sightline.synth..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework..",
                        "jakarta..",
                        "com.fasterxml.jackson..",
                        "tools.jackson..",
                        "org.sightline.access..",
                        "org.sightline.audit..",
                        "org.sightline.person..",
                        "org.sightline.web..",
                        "org.sightline.operation..",
                        "org.sightline.importexport..",
                        "org.sightline.shared..")
                .check(SIGHTLINE);
    }

    @Test
    void onlyTheOperationPackageStartsTheApplication() {
        noClasses()
                .that()
                .resideOutsideOfPackages("org.sightline.operation..", "org.sightline")
                .should()
                .dependOnClassesThat()
                .haveSimpleName("SpringApplication")
                .check(SIGHTLINE);
    }
}
