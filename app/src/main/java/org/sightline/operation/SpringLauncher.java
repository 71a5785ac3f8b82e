package org.sightline.operation;

import java.util.ArrayList;
import java.util.List;
import org.sightline.SightlineApplication;
import org.springframework.boot.Banner;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.annotation.Scheduled;

/** Starts the Spring application for a command: with the web server, or without it for batch work. */
final class SpringLauncher {

    private SpringLauncher() {}

    static ConfigurableApplicationContext start(List<String> arguments, boolean web) {
        SpringApplication application = new SpringApplication(SightlineApplication.class);
        application.setBannerMode(Banner.Mode.OFF);
        application.setWebApplicationType(web ? WebApplicationType.SERVLET : WebApplicationType.NONE);
        List<String> args = new ArrayList<>(arguments);
        if (!web) {
            // A batch command uses a few services of the hundreds of beans; creating the others (controllers, page
            // models, the API) was most of a small import's time (docs/benchmarks.md, "A 3-row import").
            args.add("--spring.main.lazy-initialization=true");
            application.addInitializers(context -> context.getBeanFactory()
                    .registerSingleton("scheduledWorkStartsEagerly", SCHEDULED_WORK_STARTS_EAGERLY));
            // Batch commands print their own progress; keep Spring's start-up chatter out of the way.
            args.add("--logging.level.root=WARN");
            // A failed start is reported as one line by SightlineMain (SIGHTLINE_DEBUG=true shows the trace).
            args.add("--logging.level.org.springframework.boot.SpringApplication=OFF");
            args.add("--logging.level.org.springframework.boot.diagnostics=OFF");
        }
        return application.run(args.toArray(String[]::new));
    }

    /**
     * Beans that act on their own (the audit sealer, which also seals at shutdown; the alert worker) are created at
     * start as before: a lazy bean nobody asks for would never run.
     */
    static final LazyInitializationExcludeFilter SCHEDULED_WORK_STARTS_EAGERLY =
            (name, definition, type) -> hasScheduledWork(type);

    static boolean hasScheduledWork(Class<?> type) {
        return !MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<Scheduled>)
                        method -> AnnotatedElementUtils.findMergedAnnotation(method, Scheduled.class))
                .isEmpty();
    }
}
