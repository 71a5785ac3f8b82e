package org.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Fails the build when any Sightline controller method lacks an explicit role check. */
@IntegrationTest
class EndpointSecurityTest {

    @Autowired
    ApplicationContext context;

    @Test
    void everySightlineHandlerDeclaresItsRoles() {
        List<String> unguarded = new ArrayList<>();
        int checked = 0;
        for (RequestMappingHandlerMapping mapping :
                context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> e :
                    mapping.getHandlerMethods().entrySet()) {
                HandlerMethod handler = e.getValue();
                if (!handler.getBeanType().getName().startsWith("org.sightline.")) {
                    continue;
                }
                checked++;
                boolean guarded = AnnotatedElementUtils.hasAnnotation(handler.getMethod(), PreAuthorize.class);
                if (!guarded) {
                    unguarded.add(handler.getBeanType().getSimpleName() + "#"
                            + handler.getMethod().getName() + " " + e.getKey());
                }
            }
        }
        assertThat(checked).as("handlers found").isGreaterThan(3);
        assertThat(unguarded).as("controller methods without @PreAuthorize").isEmpty();
    }
}
