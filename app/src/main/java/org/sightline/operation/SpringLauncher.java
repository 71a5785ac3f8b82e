package org.sightline.operation;

import java.util.ArrayList;
import java.util.List;
import org.sightline.SightlineApplication;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the Spring application for a command: with the web server, or without it for batch work. */
final class SpringLauncher {

    private SpringLauncher() {}

    static ConfigurableApplicationContext start(List<String> arguments, boolean web) {
        SpringApplication application = new SpringApplication(SightlineApplication.class);
        application.setBannerMode(Banner.Mode.OFF);
        application.setWebApplicationType(web ? WebApplicationType.SERVLET : WebApplicationType.NONE);
        List<String> args = new ArrayList<>(arguments);
        if (!web) {
            // Batch commands print their own progress; keep Spring's start-up chatter out of the way.
            args.add("--logging.level.root=WARN");
            // A failed start is reported as one line by SightlineMain (SIGHTLINE_DEBUG=true shows the trace).
            args.add("--logging.level.org.springframework.boot.SpringApplication=OFF");
            args.add("--logging.level.org.springframework.boot.diagnostics=OFF");
        }
        return application.run(args.toArray(String[]::new));
    }
}
