package org.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.sightline.access.Roles;
import org.sightline.access.UserAccounts;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Every /api path is in the OpenAPI document, the document declares its security, and each path refuses strangers. */
@IntegrationTest
class OpenApiDocumentTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApplicationContext context;

    @Autowired
    ObjectMapper json;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    private Set<String> apiPathsServed() {
        Set<String> paths = new TreeSet<>();
        context.getBeansOfType(RequestMappingHandlerMapping.class)
                .values()
                .forEach(m -> m.getHandlerMethods().keySet().forEach(info -> info.getPatternValues().stream()
                        .filter(p -> p.startsWith("/api/"))
                        .forEach(paths::add)));
        return paths;
    }

    @Test
    void everyApiPathIsDocumentedAndSecured() throws Exception {
        var admin = accounts.loadUserByUsername(data.user("SIGHTLINE", Roles.ADMIN));
        String body = mvc.perform(get("/v3/api-docs").with(user(admin)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        JsonNode doc = json.readTree(body);
        Set<String> documented = new TreeSet<>();
        doc.get("paths").propertyNames().forEach(documented::add);
        Set<String> served = apiPathsServed();
        assertThat(served).isNotEmpty();
        assertThat(documented).containsAll(served);
        assertThat(doc.at("/components/securitySchemes/basic/scheme").asString())
                .isEqualTo("basic");
        assertThat(doc.get("security")).as("global security requirement").isNotNull();
        for (String path : served) {
            String concrete = path.replaceAll("\\{[^}]+}", "00000000-0000-0000-0000-000000000000");
            int status = mvc.perform(get(concrete)).andReturn().getResponse().getStatus();
            assertThat(status).as("unauthenticated GET " + concrete).isEqualTo(401);
        }
    }

    /**
     * Request and response records of different controllers share simple names (a concern's {@code Link} request and
     * view): each documented request body must be the record its handler reads, field for field.
     */
    @Test
    void everyDocumentedRequestBodyIsTheOneItsHandlerReads() throws Exception {
        var admin = accounts.loadUserByUsername(data.user("SIGHTLINE", Roles.ADMIN));
        JsonNode doc = json.readTree(mvc.perform(get("/v3/api-docs").with(user(admin)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString());
        java.util.List<String> checked = new java.util.ArrayList<>();
        context.getBeansOfType(RequestMappingHandlerMapping.class).values().forEach(m -> m.getHandlerMethods()
                .forEach((info, handler) -> {
                    for (var parameter : handler.getMethodParameters()) {
                        Class<?> type = parameter.getParameterType();
                        if (!parameter.hasParameterAnnotation(org.springframework.web.bind.annotation.RequestBody.class)
                                || !type.isRecord()) {
                            continue;
                        }
                        for (String path : info.getPatternValues()) {
                            for (var method : info.getMethodsCondition().getMethods()) {
                                JsonNode operation = doc.at(
                                        "/paths/" + path.replace("~", "~0").replace("/", "~1") + "/"
                                                + method.name().toLowerCase(java.util.Locale.ROOT));
                                String ref = operation
                                        .at("/requestBody/content/application~1json/schema/$ref")
                                        .asString();
                                assertThat(ref)
                                        .as(method + " " + path + " documents its request body")
                                        .isNotBlank();
                                JsonNode schema =
                                        doc.at("/components/schemas/" + ref.substring(ref.lastIndexOf('/') + 1));
                                Set<String> documented = new TreeSet<>();
                                schema.get("properties").propertyNames().forEach(documented::add);
                                Set<String> read = new TreeSet<>();
                                for (var component : type.getRecordComponents()) {
                                    read.add(component.getName());
                                }
                                assertThat(documented)
                                        .as(method + " " + path + ": schema " + ref + " vs " + type.getName())
                                        .isEqualTo(read);
                                checked.add(method + " " + path);
                            }
                        }
                    }
                }));
        assertThat(checked)
                .as("request bodies checked")
                .hasSizeGreaterThan(5)
                .contains("POST /api/v1/episodes/{id}/gradings", "POST /api/v1/concerns/{id}/links");
    }

    @Test
    void apiErrorsAreProblemJsonNamingTheField() throws Exception {
        var officer = accounts.loadUserByUsername(data.user(data.agency("police_force"), Roles.POLICE_OFFICER));
        String body = mvc.perform(post("/api/v1/records/search")
                        .contentType("application/json")
                        .content("{\"familyName\": \"x\", \"dob\": \"2009-3\"}")
                        .with(user(officer)))
                .andExpect(status().isBadRequest())
                .andReturn()
                .getResponse()
                .getContentAsString();
        JsonNode problem = json.readTree(body);
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("dob");
        assertThat(problem.at("/errors/0/rule").asString()).isEqualTo("format");
        assertThat(problem.at("/errors/0/message").asString()).contains("yyyy-mm");
    }

    @Test
    void unknownRecordIsA404Problem() throws Exception {
        var officer = accounts.loadUserByUsername(data.user(data.agency("police_force"), Roles.POLICE_OFFICER));
        mvc.perform(get("/api/v1/records/" + java.util.UUID.randomUUID()).with(user(officer)))
                .andExpect(status().isNotFound())
                .andExpect(r -> assertThat(r.getResponse().getContentType()).contains("application/problem+json"));
        mvc.perform(get("/api/v1/records/not-a-uuid").with(user(officer))).andExpect(status().isBadRequest());
    }
}
