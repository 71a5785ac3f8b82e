package org.sightline.web;

import java.time.Duration;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.webjars.WebJarVersionLocator;

/**
 * Static files under their own prefixes only ({@code spring.web.resources.add-mappings=false} drops Boot's {@code /**}).
 * With {@code /**}, the resource chain's URL encoding asked the classpath whether every link on every page was a
 * static file, and in the packaged jar that lookup is serialised: most request threads waited on it under load
 * (docs/benchmarks.md, the child's page). Page links now match no resource pattern and are never looked up.
 */
@Configuration
class WebConfiguration implements WebMvcConfigurer {

    private static final CacheControl AN_HOUR =
            CacheControl.maxAge(Duration.ofHours(1)).cachePublic();

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/css/**")
                .addResourceLocations("classpath:/static/css/")
                .setCacheControl(AN_HOUR);
        registry.addResourceHandler("/js/**")
                .addResourceLocations("classpath:/static/js/")
                .setCacheControl(AN_HOUR);
        // Sightline's own icon (not GOV.UK's crown); without one every page view asks for /favicon.ico and logs a 404.
        registry.addResourceHandler("/favicon.svg")
                .addResourceLocations("classpath:/static/")
                .setCacheControl(AN_HOUR);
        // Version-less WebJar paths (/webjars/govuk-frontend/dist/...) are resolved by the chain's WebJars resolver.
        registry.addResourceHandler("/webjars/**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/")
                .setCacheControl(AN_HOUR)
                .resourceChain(true);
        // govuk-frontend's CSS asks for /assets/fonts and /assets/images: serve them from the WebJar.
        String version = new WebJarVersionLocator().version("govuk-frontend");
        registry.addResourceHandler("/assets/**")
                .addResourceLocations(
                        "classpath:/META-INF/resources/webjars/govuk-frontend/" + version + "/dist/govuk/assets/")
                .setCacheControl(AN_HOUR);
    }
}
