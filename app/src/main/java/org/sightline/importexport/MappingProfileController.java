package org.sightline.importexport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.importexport.MappingProfiles.ProfileView;
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

/**
 * Mapping profiles on the web: one form, columns as "source column = standard column" lines and value maps as
 * "column: from = to" lines, so no JavaScript is needed to add rows.
 */
@Controller
class MappingProfileController {

    private final MappingProfiles profiles;

    MappingProfileController(MappingProfiles profiles) {
        this.profiles = profiles;
    }

    /** The form as typed. */
    record ProfileForm(
            String kind,
            String name,
            String columns,
            String values,
            String dateFormat,
            String dateTimeFormat,
            Integer version) {

        static ProfileForm of(ProfileView p) {
            StringBuilder columns = new StringBuilder();
            p.columnMap()
                    .forEach((from, to) ->
                            columns.append(from).append(" = ").append(to).append('\n'));
            StringBuilder values = new StringBuilder();
            p.valueMaps()
                    .forEach((column, map) -> map.forEach((from, to) -> values.append(column)
                            .append(": ")
                            .append(from)
                            .append(" = ")
                            .append(to)
                            .append('\n')));
            return new ProfileForm(
                    p.kind(),
                    p.name(),
                    columns.toString(),
                    values.toString(),
                    p.dateFormat(),
                    p.dateTimeFormat(),
                    p.version());
        }

        Map<String, String> columnMap(List<FieldError> errors) {
            Map<String, String> map = new LinkedHashMap<>();
            for (String line : (columns == null ? "" : columns).split("\\R")) {
                if (line.isBlank()) {
                    continue;
                }
                int eq = line.lastIndexOf('=');
                if (eq <= 0) {
                    errors.add(new FieldError("columns", "profile.error.columns"));
                    return map;
                }
                map.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
            return map;
        }

        Map<String, Map<String, String>> valueMaps(List<FieldError> errors) {
            Map<String, Map<String, String>> maps = new LinkedHashMap<>();
            for (String line : (values == null ? "" : values).split("\\R")) {
                if (line.isBlank()) {
                    continue;
                }
                int colon = line.indexOf(':');
                int eq = line.lastIndexOf('=');
                if (colon <= 0 || eq < colon) {
                    errors.add(new FieldError("values", "profile.error.values"));
                    return maps;
                }
                maps.computeIfAbsent(line.substring(0, colon).strip(), k -> new LinkedHashMap<>())
                        .put(
                                line.substring(colon + 1, eq).strip(),
                                line.substring(eq + 1).strip());
            }
            return maps;
        }
    }

    @GetMapping("/import-profiles")
    @PreAuthorize(Roles.IMPORTS)
    String list(@AuthenticationPrincipal SightlineUser user, Model model) {
        model.addAttribute("profiles", profiles.list(user));
        model.addAttribute("form", new ProfileForm(null, null, null, null, null, null, null));
        model.addAttribute(
                "kinds",
                List.of(ImportKind.values()).stream().map(ImportKind::code).toList());
        return "importexport/profiles";
    }

    @GetMapping("/import-profiles/{id}")
    @PreAuthorize(Roles.IMPORTS)
    String edit(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, Model model) {
        model.addAttribute("profileId", id);
        model.addAttribute("form", ProfileForm.of(profiles.get(user, id)));
        model.addAttribute(
                "kinds",
                List.of(ImportKind.values()).stream().map(ImportKind::code).toList());
        return "importexport/profile";
    }

    @PostMapping("/import-profiles")
    @PreAuthorize(Roles.IMPORTS)
    String create(@AuthenticationPrincipal SightlineUser user, ProfileForm form, Model model) {
        return save(user, null, form, model);
    }

    @PostMapping("/import-profiles/{id}")
    @PreAuthorize(Roles.IMPORTS)
    String update(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, ProfileForm form, Model model) {
        return save(user, id, form, model);
    }

    @PostMapping("/import-profiles/{id}/delete")
    @PreAuthorize(Roles.IMPORTS)
    String delete(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id) {
        profiles.delete(user, id);
        return "redirect:/import-profiles";
    }

    private String save(SightlineUser user, UUID id, ProfileForm form, Model model) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> columns = form.columnMap(errors);
        Map<String, Map<String, String>> values = form.valueMaps(errors);
        if (errors.isEmpty()) {
            try {
                if (id == null) {
                    profiles.create(
                            user, form.kind(), form.name(), columns, values, form.dateFormat(), form.dateTimeFormat());
                } else {
                    profiles.update(
                            user,
                            id,
                            form.version() == null ? -1 : form.version(),
                            form.kind(),
                            form.name(),
                            columns,
                            values,
                            form.dateFormat(),
                            form.dateTimeFormat());
                }
                return "redirect:/import-profiles";
            } catch (InvalidRequestException e) {
                e.violations().forEach(v -> errors.add(new FieldError(field(v.field()), "profile.error." + v.rule())));
            } catch (ConflictException e) {
                errors.add(new FieldError("name", "profile.error.stale"));
            }
        }
        model.addAttribute("errors", errors);
        model.addAttribute("form", form);
        model.addAttribute("profileId", id);
        model.addAttribute(
                "kinds",
                List.of(ImportKind.values()).stream().map(ImportKind::code).toList());
        if (id == null) {
            model.addAttribute("profiles", profiles.list(user));
            return "importexport/profiles";
        }
        return "importexport/profile";
    }

    private static String field(String violationField) {
        if (violationField.startsWith("columnMap")) {
            return "columns";
        }
        if (violationField.startsWith("valueMaps")) {
            return "values";
        }
        return violationField;
    }
}
