package org.sightline.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;

/**
 * Capability packages stay acyclic; the engine and the generator stay plain Java; the integration tests share one
 * Spring context.
 */
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

    /**
     * Spring's test annotations on a class change its context's key, so the JVM would start and keep a second
     * application beside the shared one, with its own scheduled work on the same database (two alert workers, two
     * sets of statistics refreshes), which a test pausing one of them cannot see. Context settings belong on
     * {@link IntegrationTest} alone.
     */
    @Test
    void integrationTestsAddNoSpringTestConfigurationOfTheirOwn() {
        JavaClasses tests = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("org.sightline");
        noClasses()
                .that()
                .areAnnotatedWith(IntegrationTest.class)
                .should()
                .beAnnotatedWith(DescribedPredicate.<JavaAnnotation<?>>describe(
                        "a Spring annotation",
                        a -> a.getRawType().getPackageName().startsWith("org.springframework")))
                .because("each such annotation starts another application context in the test JVM")
                .check(tests);
    }
}
