package org.sightline.linkage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine stays a plain library: no Spring, no Jackson, no app code. */
class ArchitectureTest {
    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.sightline.linkage");

    @Test
    void noFrameworkDependencies() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework..", "com.fasterxml..", "tools.jackson..", "jakarta.persistence..")
                .check(ENGINE);
    }

    @Test
    void engineDoesNotDependOnTheCommandLine() {
        noClasses()
                .that()
                .resideOutsideOfPackage("org.sightline.linkage.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("picocli..", "org.sightline.linkage.cli..")
                .check(ENGINE);
    }
}
