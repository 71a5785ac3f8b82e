package org.sightline.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Disabling an account, resetting its password or changing its role or agency ends the account's open sessions
 * (issue 11): over real HTTP, the session's next request gets the sign-in page, while other people's sessions go on.
 */
@IntegrationTest
class OpenSessionsTest {

    @LocalServerPort
    int port;

    @Autowired
    TestData data;

    @Autowired
    UserAccounts accounts;

    @Autowired
    JdbcClient jdbc;

    private WebSession signedIn(String username) {
        WebSession web = new WebSession(port);
        assertThat(web.signIn(username)).isEqualTo("/");
        assertThat(web.get("/records").statusCode()).isEqualTo(200);
        return web;
    }

    private String id(String username) {
        return accounts.loadUserByUsername(username).publicId().toString();
    }

    private String details(String action, String id) {
        return jdbc.sql("SELECT details FROM audit_event WHERE action = ? AND subject_id = ? ORDER BY id DESC LIMIT 1")
                .params(action, id)
                .query(String.class)
                .single();
    }

    @Test
    void disablingAnAccountEndsItsSessionsAndOnlyItsOwn() {
        String agency = data.agency("police_force");
        String officer = data.user(agency, Roles.POLICE_OFFICER);
        String colleague = data.user(agency, Roles.POLICE_OFFICER);
        WebSession desk = signedIn(officer);
        WebSession phone = signedIn(officer);
        WebSession other = signedIn(colleague);
        WebSession admin = new WebSession(port);
        assertThat(admin.signIn(data.user("SIGHTLINE", Roles.ADMIN))).isEqualTo("/");

        String id = id(officer);
        admin.post("/admin/users/" + id, "/admin/users/" + id + "/enabled", Map.of("enabled", "false"));
        assertThat(jdbc.sql("SELECT enabled FROM app_user WHERE username = ?")
                        .param(officer)
                        .query(Boolean.class)
                        .single())
                .isFalse();

        // Both of the account's sessions get the sign-in page on their next request, saying why.
        assertThat(desk.path(desk.get("/records"))).isEqualTo("/sign-in?ended");
        assertThat(desk.get("/sign-in?ended").body()).contains("Your session has ended");
        assertThat(desk.path(desk.get("/records"))).endsWith("/sign-in");
        assertThat(phone.path(phone.get("/"))).isEqualTo("/sign-in?ended");
        assertThat(details("USER_DISABLED", id)).isEqualTo("sessions ended=2");
        // Another user's session and the administrator's go on.
        assertThat(other.get("/records").statusCode()).isEqualTo(200);
        assertThat(admin.get("/admin/users").statusCode()).isEqualTo(200);
        // And the disabled account cannot sign in again.
        assertThat(new WebSession(port).signIn(officer)).isEqualTo("/sign-in?error");
    }

    @Test
    void aPasswordResetOrAChangeOfRoleOrAgencyEndsTheSessions() {
        String officer = data.user(data.agency("police_force"), Roles.POLICE_OFFICER);
        String social = data.user(data.agency("local_authority"), Roles.SOCIAL_WORKER);
        WebSession officerSession = signedIn(officer);
        WebSession socialSession = signedIn(social);
        WebSession admin = new WebSession(port);
        assertThat(admin.signIn(data.user("SIGHTLINE", Roles.ADMIN))).isEqualTo("/");

        String officerId = id(officer);
        admin.post("/admin/users/" + officerId, "/admin/users/" + officerId + "/password", Map.of());
        assertThat(officerSession.path(officerSession.get("/records"))).isEqualTo("/sign-in?ended");
        assertThat(details("USER_PASSWORD_RESET", officerId)).isEqualTo("sessions ended=1");
        assertThat(socialSession.get("/records").statusCode()).isEqualTo(200);

        // The social worker becomes an analyst in another agency: the session that held the old role ends.
        String socialId = id(social);
        String elsewhere = data.agency("local_authority");
        admin.post(
                "/admin/users/" + socialId,
                "/admin/users/" + socialId + "/access",
                Map.of("role", Roles.ANALYST, "agency", elsewhere));
        assertThat(socialSession.path(socialSession.get("/records"))).isEqualTo("/sign-in?ended");
        assertThat(details("USER_ACCESS_CHANGED", socialId)).endsWith("sessions ended=1");
        // Signed in again, the new role applies: analysts do not read records.
        WebSession again = new WebSession(port);
        assertThat(again.signIn(social, TestData.PASSWORD)).isEqualTo("/");
        assertThat(again.get("/records").statusCode()).isEqualTo(403);
        assertThat(again.get("/statistics").statusCode()).isEqualTo(200);
    }
}
