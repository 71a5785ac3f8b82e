package org.sightline.alert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.shared.InvalidRequestException;
import org.sightline.web.FieldError;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Administrators change the rules' thresholds and switch rules off, everywhere or per area; each save is a version. */
@Controller
class AlertSettingsController {

    private final AlertSettings settings;

    AlertSettingsController(AlertSettings settings) {
        this.settings = settings;
    }

    @GetMapping("/alerts/settings")
    @PreAuthorize(Roles.ADMINISTRATION)
    String page(Model model) {
        AlertSettings.Current current = settings.current();
        RuleSettings s = current.settings();
        Map<String, String> off = new LinkedHashMap<>();
        Rules.ALL.forEach(r -> off.put(
                r.code(),
                String.join(
                        ",",
                        s.offInAreas() == null
                                ? List.of()
                                : s.offInAreas().getOrDefault(r.code(), java.util.Set.of()))));
        List<String> enabled = Rules.ALL.stream()
                .map(Rule::code)
                .filter(c -> !s.disabled().contains(c))
                .toList();
        return show(
                model,
                current.version(),
                new AlertSettings.Form(
                        Integer.toString(s.repeatCount()),
                        Integer.toString(s.repeatWindowDays()),
                        Integer.toString(s.lookedAfterHours()),
                        Integer.toString(s.placeOtherChildren()),
                        Integer.toString(s.returnInterviewHours()),
                        String.join(",", s.screeningBands()),
                        Integer.toString(s.underAge()),
                        enabled,
                        off,
                        ""),
                List.of());
    }

    @PostMapping("/alerts/settings")
    @PreAuthorize(Roles.ADMINISTRATION)
    String save(
            @AuthenticationPrincipal SightlineUser user,
            @RequestParam MultiValueMap<String, String> params,
            Model model,
            RedirectAttributes redirect) {
        Map<String, String> off = new LinkedHashMap<>();
        Rules.ALL.forEach(r -> off.put(r.code(), params.getFirst("off-" + r.code())));
        List<String> enabled = new ArrayList<>(params.getOrDefault("enabled", List.of()));
        AlertSettings.Form form = new AlertSettings.Form(
                params.getFirst("repeatCount"),
                params.getFirst("repeatWindowDays"),
                params.getFirst("lookedAfterHours"),
                params.getFirst("placeOtherChildren"),
                params.getFirst("returnInterviewHours"),
                params.getFirst("screeningBands"),
                params.getFirst("underAge"),
                enabled,
                off,
                params.getFirst("note"));
        try {
            redirect.addFlashAttribute("saved", settings.save(user, form));
        } catch (InvalidRequestException e) {
            return show(
                    model,
                    settings.current().version(),
                    form,
                    e.violations().stream()
                            .map(v -> new FieldError(
                                    v.field().startsWith("offInAreas-")
                                            ? "off-" + v.field().substring(11)
                                            : v.field(),
                                    "alert.settings.error."
                                            + (v.field().startsWith("offInAreas-") ? "offInAreas" : v.field())))
                            .toList());
        }
        return "redirect:/alerts/settings";
    }

    private String show(Model model, int version, AlertSettings.Form form, List<FieldError> errors) {
        model.addAttribute("version", version);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("rules", Rules.ALL.stream().map(Rule::code).toList());
        model.addAttribute("history", settings.history());
        return "alerts/settings";
    }
}
