package org.sightline.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole application on a random port against the suite's PostgreSQL, with MockMvc. Every test class that uses
 * it shares one Spring context, so each test JVM starts Spring once: a class adding its own context customiser (such
 * as {@code @AutoConfigureMockMvc} on the class alone) would start a second application in the same JVM, whose
 * scheduled work (alert drains, statistics refreshes) runs against the same database unseen by a test that pauses the
 * first's (ArchitectureTest refuses it). Tagged "integration": {@code mvn test} leaves it out (units only, seconds),
 * {@code mvn verify} runs it through failsafe.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(IntegrationTest.TAG)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ContextConfiguration(initializers = {TestDatabaseInitializer.class, TestOidcProvider.class})
public @interface IntegrationTest {

    /** The tag of tests that need a database or a browser (surefire excludes it, failsafe runs it). */
    String TAG = "integration";
}
