package org.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Supervisors manage their own agency's accounts (issue 11) over real HTTP: they list, create, disable and reset
 * them, but cannot give a role above their own, put an account in another agency, change their own access, or see or
 * touch another agency's accounts or an administrator's (answered as not found, and audited).
 */
@IntegrationTest
class SupervisorAccountsTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    private String id(String username) {
        return accounts.loadUserByUsername(username).publicId().toString();
    }

    private boolean enabled(String username) {
        return jdbc.sql("SELECT enabled FROM app_user WHERE username = ?")
                .param(username)
                .query(Boolean.class)
                .single();
    }

    @Test
    void aSupervisorManagesTheirOwnAgencysAccountsOnly() {
        String agency = data.agency("local_authority");
        String otherAgency = data.agency("local_authority");
        String supervisor = data.user(agency, Roles.SUPERVISOR);
        String colleague = data.user(agency, Roles.SOCIAL_WORKER);
        String localAdmin = data.user(agency, Roles.ADMIN);
        String stranger = data.user(otherAgency, Roles.SOCIAL_WORKER);
        WebSession web = new WebSession(port);
        assertThat(web.signIn(supervisor)).isEqualTo("/");

        // The list holds their agency's accounts, not another agency's nor an administrator's.
        String list = web.get("/admin/users").body();
        assertThat(list)
                .contains(colleague)
                .contains(supervisor)
                .doesNotContain(stranger)
                .doesNotContain(localAdmin);
        assertThat(list).doesNotContain("/admin/second-factor");

        // Another agency's account, or an administrator's, is not found, and the refusal is audited.
        assertThat(web.get("/admin/users/" + id(stranger)).statusCode()).isEqualTo(404);
        assertThat(web.get("/admin/users/" + id(localAdmin)).statusCode()).isEqualTo(404);
        HttpResponse<String> disableStranger = web.post(
                "/admin/users/" + id(colleague),
                "/admin/users/" + id(stranger) + "/enabled",
                Map.of("enabled", "false"));
        assertThat(disableStranger.statusCode()).isEqualTo(404);
        assertThat(enabled(stranger)).isTrue();
        assertThat(web.post("/admin/users/" + id(colleague), "/admin/users/" + id(stranger) + "/password", Map.of())
                        .statusCode())
                .isEqualTo(404);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'ACCOUNT_REFUSED' AND actor = ?")
                        .param(supervisor)
                        .query(Integer.class)
                        .single())
                .isEqualTo(4);

        // The new account form offers their agency only and no administrator role; a forged post is refused.
        String form = web.get("/admin/users/new").body();
        assertThat(form).contains("value=\"" + agency + "\"").doesNotContain("value=\"" + otherAgency + "\"");
        assertThat(form).doesNotContain("value=\"ADMIN\"");
        HttpResponse<String> forged = web.post(
                "/admin/users/new",
                "/admin/users/new",
                Map.of(
                        "displayName",
                        "Test Person",
                        "username",
                        TestData.unique("made").toLowerCase(),
                        "agency",
                        otherAgency,
                        "role",
                        Roles.ADMIN));
        assertThat(forged.statusCode()).isEqualTo(200);
        assertThat(forged.body())
                .contains("You manage the accounts of your own agency only")
                .contains("You cannot give a role above your own");

        // An account in their own agency, through check answers.
        String username = TestData.unique("made").toLowerCase();
        HttpResponse<String> draft = web.post(
                "/admin/users/new",
                "/admin/users/new",
                Map.of("displayName", "Test Person", "username", username, "agency", agency, "role", Roles.CARE_STAFF));
        assertThat(web.path(draft)).isEqualTo("/admin/users/new/check");
        HttpResponse<String> created = web.post("/admin/users/new/check", "/admin/users/new/check", Map.of());
        assertThat(created.body()).contains("Account created");
        assertThat(accounts.loadUserByUsername(username).agencyCode()).isEqualTo(agency);

        // Disable and reset a colleague; a supervisor-made change ends the colleague's session like an admin's.
        WebSession colleagues = new WebSession(port);
        assertThat(colleagues.signIn(colleague)).isEqualTo("/");
        String colleagueId = id(colleague);
        web.post("/admin/users/" + colleagueId, "/admin/users/" + colleagueId + "/enabled", Map.of("enabled", "false"));
        assertThat(enabled(colleague)).isFalse();
        assertThat(colleagues.path(colleagues.get("/records"))).isEqualTo("/sign-in?ended");
        HttpResponse<String> reset =
                web.post("/admin/users/" + colleagueId, "/admin/users/" + colleagueId + "/password", Map.of());
        assertThat(reset.body()).contains("id=\"oneTime\"");

        // Promoting a colleague to administrator, moving them elsewhere, or changing their own access is refused.
        HttpResponse<String> promote = web.post(
                "/admin/users/" + colleagueId,
                "/admin/users/" + colleagueId + "/access",
                Map.of("role", Roles.ADMIN, "agency", agency));
        assertThat(promote.body()).contains("You cannot give a role above your own");
        HttpResponse<String> move = web.post(
                "/admin/users/" + colleagueId,
                "/admin/users/" + colleagueId + "/access",
                Map.of("role", Roles.SOCIAL_WORKER, "agency", otherAgency));
        assertThat(move.body()).contains("You manage the accounts of your own agency only");
        String self = id(supervisor);
        HttpResponse<String> own = web.post(
                "/admin/users/" + self,
                "/admin/users/" + self + "/access",
                Map.of("role", Roles.SOCIAL_WORKER, "agency", agency));
        assertThat(own.body()).contains("You cannot change your own role or agency");
        assertThat(accounts.loadUserByUsername(colleague).roles()).containsExactly(Roles.SOCIAL_WORKER);
        assertThat(accounts.loadUserByUsername(supervisor).roles()).containsExactly(Roles.SUPERVISOR);

        // The policy page stays with administrators.
        assertThat(web.get("/admin/second-factor").statusCode()).isEqualTo(403);
    }
}
