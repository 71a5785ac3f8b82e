package org.sightline.concern;

import java.util.List;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.network.EntityKind;
import org.sightline.network.NetworkRequests;
import org.sightline.network.NetworkService;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.web.FieldError;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Link an adult, place, vehicle or phone: choose the kind, then find an existing one or add a new one. */
@Controller
class ConcernLinkController {

    private final ConcernService concerns;

    ConcernLinkController(ConcernService concerns) {
        this.concerns = concerns;
    }

    /** Everything a new-entity form can carry; only the fields of the chosen kind are read. */
    record NewEntityForm(
            String givenName,
            String familyName,
            String dobDay,
            String dobMonth,
            String dobYear,
            String sex,
            String locationKind,
            String name,
            String postcode,
            String registration,
            String make,
            String colour,
            String number,
            String type,
            String existingChoice,
            String checked) {

        /** What is compared with known adults or places (typo-tolerant), or blank for other kinds. */
        String typed(String kind) {
            return switch (kind) {
                case "adult" -> (trim(givenName) + " " + trim(familyName)).strip();
                case "location" -> (trim(name) + " " + trim(postcode)).strip();
                default -> "";
            };
        }

        NewEntityForm checkedFor(String kind) {
            return new NewEntityForm(
                    givenName,
                    familyName,
                    dobDay,
                    dobMonth,
                    dobYear,
                    sex,
                    locationKind,
                    name,
                    postcode,
                    registration,
                    make,
                    colour,
                    number,
                    type,
                    existingChoice,
                    typed(kind));
        }

        ConcernRequests.Link toRequest(String kind) {
            return switch (kind) {
                case "adult" -> new ConcernRequests.Link(
                        kind,
                        type,
                        null,
                        new NetworkRequests.NewAdult(givenName, familyName, isoDate(), sex),
                        null,
                        null,
                        null);
                case "location" -> new ConcernRequests.Link(
                        kind,
                        type,
                        null,
                        null,
                        new NetworkRequests.NewLocation(locationKind, name, postcode),
                        null,
                        null);
                case "vehicle" -> new ConcernRequests.Link(
                        kind, type, null, null, null, new NetworkRequests.NewVehicle(registration, make, colour), null);
                default -> new ConcernRequests.Link(
                        kind, type, null, null, null, null, new NetworkRequests.NewPhone(number));
            };
        }

        /** Day/month/year boxes as yyyy[-mm[-dd]] so the service applies the same partial-date rules as the API. */
        private String isoDate() {
            String y = trim(dobYear);
            String m = trim(dobMonth);
            String d = trim(dobDay);
            if (y.isEmpty() && m.isEmpty() && d.isEmpty()) {
                return null;
            }
            StringBuilder sb = new StringBuilder(y);
            if (!m.isEmpty() || !d.isEmpty()) {
                sb.append('-').append(m.length() == 1 ? "0" + m : m);
            }
            if (!d.isEmpty()) {
                sb.append('-').append(d.length() == 1 ? "0" + d : d);
            }
            return sb.toString();
        }

        private static String trim(String s) {
            return s == null ? "" : s.strip();
        }
    }

    @GetMapping("/concerns/{id}/links/new")
    @PreAuthorize(Roles.CASEWORK)
    String chooseKind(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @RequestParam(required = false) String kind,
            @RequestParam(required = false) String next,
            Model model) {
        if (next != null) {
            if (kind != null && EntityKind.ENTITY_CODES.contains(kind)) {
                return "redirect:/concerns/" + id + "/links/new/" + kind;
            }
            model.addAttribute("errors", List.of(new FieldError("kind", "concern.error.kind.required")));
        }
        model.addAttribute("concern", concerns.view(user, id));
        model.addAttribute("kinds", EntityKind.ENTITY_CODES);
        return "concern/link-kind";
    }

    @GetMapping("/concerns/{id}/links/new/{kind}")
    @PreAuthorize(Roles.CASEWORK)
    String linkPage(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @PathVariable String kind,
            Model model) {
        if (!EntityKind.ENTITY_CODES.contains(kind)) {
            return "redirect:/concerns/" + id + "/links/new";
        }
        return linkModel(user, id, kind, null, model);
    }

    /** POSTed: names, registrations and numbers searched for must not travel in a URL. */
    @PostMapping("/concerns/{id}/links/new/{kind}/search")
    @PreAuthorize(Roles.CASEWORK)
    String linkSearch(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @PathVariable String kind,
            @RequestParam(required = false) String q,
            Model model) {
        if (!EntityKind.ENTITY_CODES.contains(kind)) {
            return "redirect:/concerns/" + id + "/links/new";
        }
        model.addAttribute("q", q);
        model.addAttribute("results", concerns.searchLinkable(user, kind, q == null ? "" : q));
        return linkModel(user, id, kind, null, model);
    }

    private String linkModel(SightlineUser user, UUID id, String kind, NewEntityForm form, Model model) {
        model.addAttribute("concern", concerns.view(user, id));
        model.addAttribute("kind", kind);
        model.addAttribute("types", EntityKind.entity(kind).orElseThrow().linkTypes());
        model.addAttribute("locationKinds", NetworkService.LOCATION_KINDS);
        model.addAttribute("sexes", NetworkService.SEXES);
        model.addAttribute(
                "form",
                form == null
                        ? new NewEntityForm(
                                null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                                null, null)
                        : form);
        return "concern/link";
    }

    @PostMapping("/concerns/{id}/links/new/{kind}/existing")
    @PreAuthorize(Roles.CASEWORK)
    String linkExisting(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @PathVariable String kind,
            @RequestParam(required = false) UUID existingId,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) String q,
            Model model,
            RedirectAttributes redirect) {
        return save(
                user,
                id,
                kind,
                new ConcernRequests.Link(kind, type, existingId, null, null, null, null),
                null,
                q,
                model,
                redirect);
    }

    @PostMapping("/concerns/{id}/links/new/{kind}")
    @PreAuthorize(Roles.CASEWORK)
    String linkNew(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @PathVariable String kind,
            NewEntityForm form,
            Model model,
            RedirectAttributes redirect) {
        if (!EntityKind.ENTITY_CODES.contains(kind)) {
            return "redirect:/concerns/" + id + "/links/new";
        }
        // At report time: a valid new adult or place is first compared with those the agency already knows (typos
        // tolerated); when some may be the same, the user picks one or says none of these (no JavaScript needed).
        String typed = form.typed(kind);
        if (!typed.isEmpty() && concerns.validateLink(form.toRequest(kind)).isEmpty()) {
            List<ConcernViews.Linkable> suggestions = concerns.searchLinkable(user, kind, typed);
            if (!suggestions.isEmpty()) {
                model.addAttribute("suggestions", suggestions);
                if (!typed.equals(form.checked())) {
                    return linkModel(user, id, kind, form.checkedFor(kind), model);
                }
                String choice = form.existingChoice() == null
                        ? ""
                        : form.existingChoice().strip();
                UUID existing = suggestions.stream()
                        .map(ConcernViews.Linkable::id)
                        .filter(e -> e.toString().equals(choice))
                        .findFirst()
                        .orElse(null);
                if (existing != null) {
                    return save(
                            user,
                            id,
                            kind,
                            new ConcernRequests.Link(kind, form.type(), existing, null, null, null, null),
                            form,
                            null,
                            model,
                            redirect);
                }
                if (!choice.equals("new")) {
                    model.addAttribute(
                            "errors",
                            List.of(new FieldError("existingChoice", "network.error.existingChoice.required")));
                    return linkModel(user, id, kind, form, model);
                }
            }
        }
        return save(user, id, kind, form.toRequest(kind), form, null, model, redirect);
    }

    private String save(
            SightlineUser user,
            UUID id,
            String kind,
            ConcernRequests.Link request,
            NewEntityForm form,
            String q,
            Model model,
            RedirectAttributes redirect) {
        List<FieldError> errors;
        try {
            concerns.link(user, id, request);
            redirect.addFlashAttribute("banner", "concern.banner.linked." + kind);
            return "redirect:/concerns/" + id;
        } catch (InvalidRequestException e) {
            errors = ConcernForms.errors(e.violations()).stream()
                    .map(f -> f.field().equals("dateOfBirth") ? new FieldError("dobDay", f.messageKey()) : f)
                    // A known one chosen among the suggestions of the new-entity form: the error belongs there.
                    .map(f -> f.field().equals("existingId") && form != null
                            ? new FieldError("existingChoice", f.messageKey())
                            : f)
                    .toList();
        } catch (ConflictException e) {
            errors =
                    List.of(new FieldError(form == null ? "existingId" : "type", "concern.error.conflict." + e.rule()));
        }
        model.addAttribute("errors", errors);
        model.addAttribute("q", q);
        if (q != null) {
            model.addAttribute("results", concerns.searchLinkable(user, kind, q));
        }
        return linkModel(user, id, kind, form, model);
    }
}
