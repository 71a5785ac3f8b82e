package org.sightline.web;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
class SignInController {

    /** An OpenID Connect provider users may sign in with: its registration id (for the link) and its name. */
    record Provider(String id, String name) {}

    private final List<Provider> providers;

    SignInController(ObjectProvider<ClientRegistrationRepository> registrations) {
        List<Provider> found = new ArrayList<>();
        if (registrations.getIfAvailable() instanceof Iterable<?> all) {
            for (Object o : all) {
                ClientRegistration r = (ClientRegistration) o;
                found.add(new Provider(r.getRegistrationId(), r.getClientName()));
            }
        }
        this.providers = List.copyOf(found);
    }

    @GetMapping("/sign-in")
    @PreAuthorize("permitAll()")
    String signIn(@RequestParam(name = "locked", required = false) String locked, Model model) {
        model.addAttribute("oidcProviders", providers);
        // Minutes until a sign-in lock ends (access.DatabaseOutageEntryPoints); anything else in the address is
        // ignored.
        if (locked != null && locked.matches("\\d{1,4}")) {
            model.addAttribute("lockedMinutes", Integer.parseInt(locked));
        }
        return "sign-in";
    }
}
