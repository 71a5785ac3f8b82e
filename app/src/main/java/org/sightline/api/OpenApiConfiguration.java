package org.sightline.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at /v3/api-docs (browsable at /swagger-ui/index.html once signed in). */
@Configuration
class OpenApiConfiguration {

    @Bean
    OpenAPI sightlineOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Sightline API")
                        .version("v1")
                        .description("Records, missing episodes and exploitation concerns across agencies. "
                                + "Every call is scoped to the caller's agency and audited. Errors are "
                                + "application/problem+json naming the field and the rule. Creates need an "
                                + "Idempotency-Key header; updates carry the version read (409 when stale).")
                        .license(new License().name("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes(
                                "basic",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("basic")))
                .addSecurityItem(new SecurityRequirement().addList("basic"));
    }
}
