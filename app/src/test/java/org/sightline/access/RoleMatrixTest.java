package org.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Least privilege as a matrix (issue 11): every endpoint × every role, against the policy written out here, apart
 * from the annotations it checks. A wrong expression fails, not only a missing one; an endpoint missing from the
 * policy fails; every refusal leaves a ROLE_REFUSED audit entry. "Allowed" means the role check let the request
 * through (whatever the handler then answered for a made-up id); "refused" means 403.
 */
@IntegrationTest
class RoleMatrixTest {

    private static final String OFFICER = Roles.POLICE_OFFICER;
    private static final String SOCIAL = Roles.SOCIAL_WORKER;
    private static final String CARE = Roles.CARE_STAFF;
    private static final String ANALYST = Roles.ANALYST;
    private static final String SUPERVISOR = Roles.SUPERVISOR;
    private static final String ADMIN = Roles.ADMIN;

    // The policy, by capability (PRODUCT.md C8 and issue 11): analysts never write; care staff do not run bulk or
    // SSDA903 imports; police grade, find and check; social workers hold return interviews and screen.
    private static final Set<String> ANYONE = Set.of(OFFICER, SOCIAL, CARE, ANALYST, SUPERVISOR, ADMIN);
    private static final Set<String> CASEWORKERS = Set.of(OFFICER, SOCIAL, CARE, SUPERVISOR);
    private static final Set<String> REPORTERS = Set.of(OFFICER, SOCIAL, CARE);
    private static final Set<String> POLICE = Set.of(OFFICER);
    private static final Set<String> INTERVIEWERS = Set.of(SOCIAL);
    private static final Set<String> SCREENERS = Set.of(SOCIAL, SUPERVISOR);
    private static final Set<String> IMPORTERS = Set.of(OFFICER, SOCIAL, SUPERVISOR);
    private static final Set<String> RETURN_READERS = Set.of(SOCIAL, ANALYST, SUPERVISOR);
    private static final Set<String> RETURN_WRITERS = Set.of(SOCIAL, SUPERVISOR);
    private static final Set<String> SUPERVISORS = Set.of(SUPERVISOR);
    private static final Set<String> ADMINS = Set.of(ADMIN);

    private static final Map<String, Set<String>> POLICY = new LinkedHashMap<>();

    private static void allow(Set<String> roles, String... endpoints) {
        for (String e : endpoints) {
            if (POLICY.put(e, roles) != null) {
                throw new IllegalStateException("twice in the policy: " + e);
            }
        }
    }

    static {
        allow(
                ANYONE,
                "GET /",
                "GET /sign-in",
                "GET /account/api-tokens",
                "POST /account/api-tokens",
                "POST /account/api-tokens/{token}/revoke");
        // Records and the child's picture
        allow(
                CASEWORKERS,
                "GET /records",
                "POST /records",
                "GET /records/{publicId}",
                "GET /children/{identityId}",
                "POST /api/v1/records/search",
                "GET /api/v1/records/{publicId}",
                "GET /api/v1/children/{identityId}");
        // Missing episodes
        allow(
                REPORTERS,
                "GET /episodes/new",
                "GET /episodes/new/check",
                "POST /episodes/new/check",
                "GET /episodes/new/child",
                "POST /episodes/new/child",
                "POST /episodes/new/child/search",
                "GET /episodes/new/circumstances",
                "POST /episodes/new/circumstances",
                "GET /episodes/new/grab-profile",
                "POST /episodes/new/grab-profile",
                "GET /episodes/new/new-child",
                "POST /episodes/new/new-child",
                "GET /episodes/{id}/reported",
                "POST /api/v1/episodes");
        allow(
                CASEWORKERS,
                "GET /episodes/{id}",
                "GET /episodes/{id}/close",
                "POST /episodes/{id}/close",
                "GET /api/v1/episodes/{id}",
                "POST /api/v1/episodes/{id}/close");
        allow(
                POLICE,
                "GET /episodes/{id}/grade",
                "POST /episodes/{id}/grade",
                "GET /episodes/{id}/found",
                "POST /episodes/{id}/found",
                "GET /episodes/{id}/safe-and-well",
                "POST /episodes/{id}/safe-and-well",
                "POST /api/v1/episodes/{id}/gradings",
                "POST /api/v1/episodes/{id}/found",
                "POST /api/v1/episodes/{id}/safe-and-well");
        allow(
                INTERVIEWERS,
                "GET /episodes/{id}/return-interview",
                "POST /episodes/{id}/return-interview",
                "POST /api/v1/episodes/{id}/return-interview");
        // Exploitation concerns: anyone working cases raises and links; social care screens and closes
        allow(
                CASEWORKERS,
                "GET /records/{recordId}/concerns/new/check",
                "POST /records/{recordId}/concerns/new/check",
                "GET /records/{recordId}/concerns/new",
                "GET /records/{recordId}/concerns/new/indicators",
                "POST /records/{recordId}/concerns/new/indicators",
                "GET /records/{recordId}/concerns/new/summary",
                "POST /records/{recordId}/concerns/new/summary",
                "GET /records/{recordId}/concerns/new/when",
                "POST /records/{recordId}/concerns/new/when",
                "GET /concerns/{id}",
                "GET /concerns/{id}/raised",
                "GET /concerns/{id}/links/new",
                "GET /concerns/{id}/links/new/{kind}",
                "POST /concerns/{id}/links/new/{kind}",
                "POST /concerns/{id}/links/new/{kind}/existing",
                "POST /concerns/{id}/links/new/{kind}/search",
                "POST /api/v1/concerns",
                "GET /api/v1/concerns/{id}",
                "POST /api/v1/concerns/{id}/links",
                "GET /api/v1/screening-instruments");
        allow(
                SCREENERS,
                "GET /concerns/{id}/screening",
                "GET /concerns/{id}/screening/{sectionId}",
                "POST /concerns/{id}/screening/{sectionId}",
                "GET /concerns/{id}/screening-check",
                "POST /concerns/{id}/screening-check",
                "GET /concerns/{id}/outcome",
                "POST /concerns/{id}/outcome",
                "POST /api/v1/concerns/{id}/screenings",
                "POST /api/v1/concerns/{id}/outcome");
        // Bulk import and its mapping profiles
        allow(
                IMPORTERS,
                "GET /imports",
                "POST /imports",
                "GET /imports/{id}",
                "GET /imports/{id}/preview",
                "POST /imports/{id}/commit",
                "POST /imports/{id}/discard",
                "POST /imports/{id}/resume",
                "GET /imports/{id}/quarantine/{rowId}",
                "POST /imports/{id}/quarantine/{rowId}",
                "POST /api/v1/imports",
                "GET /api/v1/imports/{id}",
                "GET /api/v1/imports/{id}/quarantine",
                "GET /api/v1/imports/{id}/quarantine/{rowId}",
                "PUT /api/v1/imports/{id}/quarantine/{rowId}",
                "POST /api/v1/imports/{id}/quarantine/{rowId}/replay",
                "GET /import-profiles",
                "GET /import-profiles/{id}",
                "POST /import-profiles",
                "POST /import-profiles/{id}",
                "POST /import-profiles/{id}/delete",
                "GET /api/v1/import-profiles",
                "POST /api/v1/import-profiles",
                "GET /api/v1/import-profiles/{id}",
                "PUT /api/v1/import-profiles/{id}",
                "DELETE /api/v1/import-profiles/{id}");
        // The DfE SSDA903 return: analysts read it, only social care changes records through it
        allow(
                RETURN_READERS,
                "GET /ssda903",
                "GET /ssda903/{year}/{file}.csv",
                "GET /api/v1/ssda903/exports",
                "GET /api/v1/ssda903/exports/{file}.csv");
        allow(
                RETURN_WRITERS,
                "POST /ssda903/import",
                "POST /api/v1/ssda903/imports",
                "GET /ssda903/previews/{id}",
                "POST /ssda903/previews/{id}/import",
                "POST /ssda903/previews/{id}/cancel",
                "POST /api/v1/ssda903/previews",
                "GET /api/v1/ssda903/previews/{id}",
                "POST /api/v1/ssda903/previews/{id}/import",
                "DELETE /api/v1/ssda903/previews/{id}");
        // Emergency access, identity review, audit
        allow(
                CASEWORKERS,
                "GET /break-glass/new",
                "POST /break-glass",
                "GET /break-glass/children/{child}",
                "POST /api/v1/break-glass");
        allow(
                SUPERVISORS,
                "GET /break-glass",
                "GET /break-glass/{grant}",
                "POST /break-glass/{grant}",
                "GET /identity-reviews",
                "GET /identity-reviews/{publicId}",
                "POST /identity-reviews/{publicId}");
        allow(ADMINS, "GET /audit", "POST /audit/verify");
        // Local accounts: administrators manage them, supervisors those of their own agency (scope checked by the
        // service); everyone changes their own password
        allow(
                Set.of(ADMIN, SUPERVISOR),
                "GET /admin/users",
                "GET /admin/users/new",
                "POST /admin/users/new",
                "GET /admin/users/new/check",
                "POST /admin/users/new/check",
                "GET /admin/users/{user}",
                "POST /admin/users/{user}/access",
                "POST /admin/users/{user}/enabled",
                "POST /admin/users/{user}/password");
        // Retention: administrators review what is due, keep it for longer or erase it (issue 11 part 5)
        allow(
                ADMINS,
                "GET /admin/retention",
                "GET /admin/retention/{type}/{publicId}",
                "POST /admin/retention/{type}/{publicId}/keep",
                "POST /admin/retention/{type}/{publicId}/erase",
                "GET /admin/retention/{type}/{publicId}/erase/check",
                "POST /admin/retention/{type}/{publicId}/erase/check");
        // Agencies: administrators create, rename and close them (pages and API)
        allow(
                ADMINS,
                "GET /admin/agencies",
                "GET /admin/agencies/new",
                "POST /admin/agencies/new",
                "GET /admin/agencies/new/check",
                "POST /admin/agencies/new/check",
                "GET /admin/agencies/{agency}",
                "POST /admin/agencies/{agency}/name",
                "POST /admin/agencies/{agency}/close",
                "GET /api/v1/agencies",
                "POST /api/v1/agencies",
                "GET /api/v1/agencies/{agency}",
                "PUT /api/v1/agencies/{agency}/name",
                "POST /api/v1/agencies/{agency}/close");
        allow(ANYONE, "GET /account/password", "POST /account/password", "POST /account/session");
        // The authenticator app: everyone sets up their own; the code step of sign-in is before anyone is signed in;
        // administrators reset a user's and choose the roles that must use one
        allow(
                ANYONE,
                "GET /account/two-factor",
                "POST /account/two-factor/start",
                "GET /account/two-factor/setup",
                "POST /account/two-factor/setup",
                "POST /account/two-factor/disable",
                "GET /sign-in/code",
                "POST /sign-in/code");
        allow(Set.of(ADMIN, SUPERVISOR), "POST /admin/users/{user}/second-factor");
        allow(ADMINS, "GET /admin/second-factor", "POST /admin/second-factor");
        // Alerts: the agencies that must act read and work them; administrators set the rules
        allow(
                CASEWORKERS,
                "GET /alerts",
                "GET /alerts/{id}",
                "POST /alerts/{id}/acknowledge",
                "POST /alerts/{id}/action",
                "POST /alerts/{id}/dismiss",
                "GET /alerts/meeting",
                "GET /alerts/meeting.csv",
                "GET /api/v1/alerts",
                "GET /api/v1/alerts/{id}",
                "POST /api/v1/alerts/{id}/acknowledge",
                "POST /api/v1/alerts/{id}/action",
                "POST /api/v1/alerts/{id}/dismiss");
        allow(ADMINS, "GET /alerts/settings", "POST /alerts/settings");
        // Statistics: published figures for analysts and supervisors; caseworkers record the facts behind them
        allow(
                Set.of(ANALYST, SUPERVISOR),
                "GET /statistics",
                "GET /statistics/{view}",
                "GET /statistics/{view}/{table}.csv",
                // The reconciliation drill-down: the role gets through; the page then shows analysts counts only.
                "GET /statistics/reconciliation/{authority}/{group}",
                "GET /statistics/reconciliation/{authority}/{group}.csv");
        allow(
                CASEWORKERS,
                "POST /records/{publicId}/reported-missing",
                "PUT /api/v1/records/{publicId}/reported-missing");
        // Networks (issue 10): caseworkers see hotspots and graphs (children by the child page's rules); a supervisor
        // merges places; cross-border flows are published figures
        allow(
                CASEWORKERS,
                "GET /network/hotspots",
                "GET /network/graph/{kind}/{id}",
                "GET /network/graph/{kind}/{id}/nodes.csv",
                "GET /network/graph/{kind}/{id}/edges.csv",
                "GET /network/graph/{kind}/{id}/graph.graphml",
                "GET /network/meeting-pack",
                "GET /network/meeting-pack.csv",
                "GET /network/places/{id}");
        allow(
                SUPERVISORS,
                "POST /network/places/{id}/merge",
                "POST /network/merges/{id}/unmerge",
                // The episodes behind a flow: the children a supervisor's agency works with
                "GET /network/flows/episodes");
        allow(Set.of(ANALYST, SUPERVISOR), "GET /network/flows");
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    ApplicationContext context;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    private List<String> endpoints() {
        Set<String> out = new TreeSet<>();
        context.getBeansOfType(RequestMappingHandlerMapping.class).values().forEach(m -> m.getHandlerMethods()
                .forEach((info, handler) -> {
                    if (!handler.getBeanType().getName().startsWith("org.sightline.")) {
                        return;
                    }
                    Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                    for (String path : info.getPatternValues()) {
                        for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                            out.add(method + " " + path);
                        }
                    }
                }));
        return List.copyOf(out);
    }

    private static final String MADE_UP = "6f1d1f4e-2c1b-4c8a-9d3e-0a1b2c3d4e5f";
    private static final Set<String> MULTIPART = Set.of(
            "POST /api/v1/imports",
            "POST /api/v1/ssda903/imports",
            "POST /api/v1/ssda903/previews",
            "POST /imports",
            "POST /ssda903/import");

    private static String concrete(String path) {
        return path.replace("{year}", "2025").replace("{file}", "header").replaceAll("\\{[^}]+}", MADE_UP);
    }

    @Test
    void everyEndpointAnswersEveryRoleAsThePolicySays() throws Exception {
        List<String> endpoints = endpoints();
        List<String> unlisted =
                endpoints.stream().filter(e -> !POLICY.containsKey(e)).toList();
        assertThat(unlisted).as("endpoints missing from the policy").isEmpty();
        assertThat(POLICY.keySet())
                .as("policy entries for endpoints that no longer exist")
                .isSubsetOf(endpoints);

        Map<String, SightlineUser> users = new LinkedHashMap<>();
        users.put(OFFICER, accounts.loadUserByUsername(data.user(data.agency("police_force"), OFFICER)));
        users.put(SOCIAL, accounts.loadUserByUsername(data.user(data.agency("local_authority"), SOCIAL)));
        users.put(CARE, accounts.loadUserByUsername(data.user(data.agency("care_provider"), CARE)));
        users.put(ANALYST, accounts.loadUserByUsername(data.user(data.agency("local_authority"), ANALYST)));
        users.put(SUPERVISOR, accounts.loadUserByUsername(data.user(data.agency("local_authority"), SUPERVISOR)));
        users.put(ADMIN, accounts.loadUserByUsername(data.user("SIGHTLINE", ADMIN)));

        List<String> wrong = new ArrayList<>();
        int refusals = 0;
        for (String endpoint : endpoints) {
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String path = concrete(endpoint.substring(endpoint.indexOf(' ') + 1));
            for (var entry : users.entrySet()) {
                int status;
                try {
                    // Arguments are bound before the role check: a request the handler could not even read would
                    // answer 400 to everyone, so each carries what its handler needs to reach the check.
                    var builder = MULTIPART.contains(endpoint)
                            ? multipart(HttpMethod.valueOf(method), path)
                            : request(HttpMethod.valueOf(method), path)
                                    .contentType("application/json")
                                    .content("{}");
                    status = mvc.perform(builder.param("year", "2025")
                                    .param("child", MADE_UP)
                                    .param("recordId", MADE_UP)
                                    .with(user(entry.getValue()))
                                    .with(csrf()))
                            .andReturn()
                            .getResponse()
                            .getStatus();
                } catch (Exception e) {
                    wrong.add(endpoint + " as " + entry.getKey() + ": failed with " + e.getCause());
                    continue;
                }
                if (status >= 500) {
                    wrong.add(endpoint + " as " + entry.getKey() + ": " + status);
                }
                boolean allowed = POLICY.get(endpoint).contains(entry.getKey());
                if (allowed == (status == 403)) {
                    wrong.add(endpoint + " as " + entry.getKey() + ": " + status
                            + (allowed ? ", expected through" : ", expected 403"));
                }
                if (status == 403) {
                    refusals++;
                    int audited = jdbc.sql(
                                    "SELECT count(*) FROM audit_event WHERE actor = ? AND action = 'ROLE_REFUSED' "
                                            + "AND subject_id = ?")
                            .params(entry.getValue().username(), method + " " + path)
                            .query(Integer.class)
                            .single();
                    if (audited == 0) {
                        wrong.add(endpoint + " as " + entry.getKey() + ": refused without an audit entry");
                    }
                }
            }
        }
        assertThat(wrong).as("endpoint × role answers against the policy").isEmpty();
        assertThat(refusals).as("refusals checked").isGreaterThan(100);
    }
}
