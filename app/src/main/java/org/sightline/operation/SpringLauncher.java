package org.sightline.operation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.sightline.SightlineApplication;
import org.springframework.boot.Banner;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.annotation.Scheduled;

/** Starts the Spring application for a command: with the web server, or without it for batch work. */
final class SpringLauncher {

    private SpringLauncher() {}

    /** The web application (demo, serve). */
    static ConfigurableApplicationContext startServer(List<String> arguments) {
        SpringApplication application = new SpringApplication(SightlineApplication.class);
        application.setBannerMode(Banner.Mode.OFF);
        application.setWebApplicationType(WebApplicationType.SERVLET);
        return application.run(arguments.toArray(String[]::new));
    }

    /**
     * The application without its web server, for a batch command; see {@link BatchStart}. Flyway waits for
     * {@code schemaCurrent} and migrates only if it is false; the caller registers the shutdown hook once started.
     */
    static ConfigurableApplicationContext startBatch(List<String> arguments, CompletableFuture<Boolean> schemaCurrent) {
        SpringApplication application = new SpringApplication(SightlineApplication.class);
        application.setBannerMode(Banner.Mode.OFF);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setRegisterShutdownHook(false);
        List<String> args = new ArrayList<>(arguments);
        // A batch command uses a few services of the hundreds of beans; creating the others (controllers, page
        // models, the API) was most of a small import's time (docs/benchmarks.md, "A 3-row import").
        args.add("--spring.main.lazy-initialization=true");
        args.add("--spring.autoconfigure.exclude=" + String.join(",", serverOnlyAutoConfigurations()));
        application.addInitializers(context -> {
            context.getBeanFactory().registerSingleton("scheduledWorkStartsEagerly", SCHEDULED_WORK_STARTS_EAGERLY);
            context.getBeanFactory().registerSingleton("migrateOnlyIfBehind", (FlywayMigrationStrategy) flyway -> {
                if (BatchStart.mustMigrate(schemaCurrent)) {
                    flyway.migrate();
                }
            });
        });
        // Batch commands print their own progress; keep Spring's start-up chatter out of the way.
        args.add("--logging.config=classpath:logback-batch.xml"); // the root at WARN
        // A failed start is reported as one line by SightlineMain (SIGHTLINE_DEBUG=true shows the trace).
        args.add("--logging.level.org.springframework.boot.SpringApplication=OFF");
        args.add("--logging.level.org.springframework.boot.diagnostics=OFF");
        // A start cancelled because the command was refused meanwhile (BatchStart) is no warning either; the context
        // logs it under its own class (AnnotationConfigApplicationContext).
        args.add("--logging.level.org.springframework.context=ERROR");
        return application.run(args.toArray(String[]::new));
    }

    /** Health, metrics, tracing and the API's document describe a running server; a batch command has none. */
    private static final Pattern SERVER_ONLY =
            Pattern.compile("(?i)actuat|metrics|health|observation|tracing|micrometer|prometheus|endpoint|springdoc");

    static List<String> serverOnlyAutoConfigurations() {
        List<String> excluded = new ArrayList<>();
        ImportCandidates.load(AutoConfiguration.class, SpringLauncher.class.getClassLoader())
                .forEach(name -> {
                    if (SERVER_ONLY.matcher(name).find()) {
                        excluded.add(name);
                    }
                });
        return excluded;
    }

    /**
     * Beans that act on their own (the audit sealer, which also seals at shutdown; the alert worker) are created at
     * start as before: a lazy bean nobody asks for would never run.
     */
    static final LazyInitializationExcludeFilter SCHEDULED_WORK_STARTS_EAGERLY =
            (name, definition, type) -> type != null && hasScheduledWork(type);

    static boolean hasScheduledWork(Class<?> type) {
        return !MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<Scheduled>)
                        method -> AnnotatedElementUtils.findMergedAnnotation(method, Scheduled.class))
                .isEmpty();
    }
}
