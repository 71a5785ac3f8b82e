package org.sightline.network;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.sightline.access.Roles;
import org.sightline.access.SightlineUser;
import org.sightline.shared.ClockConfiguration;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.web.FieldError;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Network pages (issue 10): hotspots, the graph around a child, adult, place or concern (a table first, a drawing
 * over it when JavaScript runs, downloads for analysts' tools), a place with its recordings and a supervisor's merge,
 * and the cross-border flow matrix. Filters are area codes, dates, kinds and association types: nothing personal in
 * a URL.
 */
@Controller
class NetworkController {

    private final Hotspots hotspots;
    private final NetworkGraph graphs;
    private final Flows flows;
    private final NetworkService network;
    private final GraphExport export;
    private final MeetingPack pack;
    private final MessageSource messages;
    private final Clock clock;

    NetworkController(
            Hotspots hotspots,
            NetworkGraph graphs,
            Flows flows,
            NetworkService network,
            GraphExport export,
            MeetingPack pack,
            MessageSource messages,
            Clock clock) {
        this.pack = pack;
        this.hotspots = hotspots;
        this.graphs = graphs;
        this.flows = flows;
        this.network = network;
        this.export = export;
        this.messages = messages;
        this.clock = clock;
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ClockConfiguration.DISPLAY_ZONE);
    }

    /** The area asked for, or null with an error when it is too long to be an area code. */
    private static String area(String area, List<FieldError> errors) {
        if (area != null && area.length() > 40) {
            errors.add(new FieldError("area", "network.error.area.format"));
            return null;
        }
        return area;
    }

    private String message(String key, Locale locale) {
        return messages.getMessage(key, null, locale);
    }

    /** The errors and the area and period filters as the hotspots, meeting pack and flows pages show them back. */
    private static void filters(
            Model model, List<FieldError> errors, String area, String from, String to, Period period) {
        model.addAttribute("errors", errors);
        model.addAttribute("area", area == null ? "" : area);
        model.addAttribute("from", from == null ? period.from().toString() : from);
        model.addAttribute("to", to == null ? period.to().toString() : to);
    }

    @GetMapping("/network/hotspots")
    @PreAuthorize(Roles.CASEWORK)
    String hotspots(
            @AuthenticationPrincipal SightlineUser user,
            @RequestParam(required = false) String kind,
            @RequestParam(required = false) String area,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            Model model) {
        List<FieldError> errors = new ArrayList<>();
        Period period = Period.parse(from, to, today(), errors);
        String areaCode = area(area, errors);
        Hotspots.Kind k = Hotspots.Kind.of(kind);
        filters(model, errors, areaCode, from, to, period);
        model.addAttribute("kind", k.code());
        model.addAttribute("kinds", Hotspots.Kind.values());
        List<Hotspots.Hotspot> ranked = errors.isEmpty() ? hotspots.rank(user, k, areaCode, period) : List.of();
        model.addAttribute("hotspots", ranked);
        model.addAttribute("map", k == Hotspots.Kind.PLACES && !ranked.isEmpty() ? HotspotMap.of(ranked) : null);
        return "network/hotspots";
    }

    /**
     * What the graph page and its downloads are asked for, bound from the path ({@code kind}, {@code id}) and the
     * query string (the filters), so that the page and every download read them alike.
     */
    record GraphQuery(String kind, UUID id, String hops, String from, String to, List<String> type) {}

    private record GraphRequest(NetworkNodes.Key start, int hops, Period period, Set<String> types) {}

    private GraphRequest graphRequest(SightlineUser user, GraphQuery q, List<FieldError> errors) {
        NetworkNodes.Key start = graphs.start(user, q.kind(), q.id());
        int n = 2;
        if (q.hops() != null && !q.hops().isBlank()) {
            try {
                n = Integer.parseInt(q.hops().strip());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > NetworkGraph.MAX_HOPS) {
                errors.add(new FieldError("hops", "network.error.hops"));
                n = 2;
            }
        }
        Period period = Period.parse(q.from(), q.to(), today(), errors);
        if (q.from() == null || q.from().isBlank()) {
            period =
                    new Period(LocalDate.of(2000, 1, 1), period.to()); // the whole history unless a period is asked for
        }
        Set<String> types = new LinkedHashSet<>();
        if (q.type() != null) {
            q.type().stream()
                    .filter(t -> t != null && t.matches("[a-z_]{1,40}"))
                    .forEach(types::add);
        }
        return new GraphRequest(start, n, period, types);
    }

    /** The graph a download asks for; filters it cannot read are left at their defaults, as the page shows them. */
    private NetworkGraph.Graph graphFor(SightlineUser user, GraphQuery q) {
        GraphRequest r = graphRequest(user, q, new ArrayList<>());
        return graphs.around(user, r.start(), r.hops(), r.period(), r.types());
    }

    @GetMapping("/network/graph/{kind}/{id}")
    @PreAuthorize(Roles.CASEWORK)
    String graph(@AuthenticationPrincipal SightlineUser user, GraphQuery q, Model model) {
        List<FieldError> errors = new ArrayList<>();
        GraphRequest r = graphRequest(user, q, errors);
        NetworkGraph.Graph g = graphs.around(user, r.start(), r.hops(), r.period(), r.types());
        model.addAttribute("errors", errors);
        model.addAttribute("startKind", q.kind());
        model.addAttribute("startId", q.id());
        model.addAttribute("graph", g);
        model.addAttribute("hops", Integer.toString(r.hops()));
        model.addAttribute("from", q.from() == null ? "" : q.from());
        model.addAttribute("to", q.to() == null ? "" : q.to());
        model.addAttribute("types", r.types());
        model.addAttribute("labels", export.labels(g, Locale.UK));
        model.addAttribute("query", export.query(r.hops(), q.from(), q.to(), r.types()));
        return "network/graph";
    }

    @GetMapping("/network/graph/{kind}/{id}/nodes.csv")
    @PreAuthorize(Roles.CASEWORK)
    ResponseEntity<byte[]> nodesCsv(@AuthenticationPrincipal SightlineUser user, GraphQuery q) {
        return download(export.nodesCsv(graphFor(user, q), Locale.UK), "network-nodes.csv", "text/csv");
    }

    @GetMapping("/network/graph/{kind}/{id}/edges.csv")
    @PreAuthorize(Roles.CASEWORK)
    ResponseEntity<byte[]> edgesCsv(@AuthenticationPrincipal SightlineUser user, GraphQuery q) {
        return download(export.edgesCsv(graphFor(user, q), Locale.UK), "network-edges.csv", "text/csv");
    }

    @GetMapping("/network/graph/{kind}/{id}/graph.graphml")
    @PreAuthorize(Roles.CASEWORK)
    ResponseEntity<byte[]> graphml(@AuthenticationPrincipal SightlineUser user, GraphQuery q) {
        return download(export.graphml(graphFor(user, q), Locale.UK), "network.graphml", "application/graphml+xml");
    }

    private static ResponseEntity<byte[]> download(String body, String file, String type) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"")
                .contentType(MediaType.parseMediaType(type + ";charset=UTF-8"))
                .body(body.getBytes(StandardCharsets.UTF_8));
    }

    /** An area and a period, as the meeting pack page and its download take them. */
    record PackQuery(String area, String from, String to) {}

    @GetMapping("/network/meeting-pack")
    @PreAuthorize(Roles.CASEWORK)
    String meetingPack(@AuthenticationPrincipal SightlineUser user, PackQuery q, Model model, Locale locale) {
        List<FieldError> errors = new ArrayList<>();
        Period period = Period.parse(q.from(), q.to(), today(), errors);
        String area = area(q.area(), errors);
        filters(model, errors, area, q.from(), q.to(), period);
        model.addAttribute("pack", errors.isEmpty() ? pack.build(user, area, period, locale) : null);
        return "network/meeting-pack";
    }

    @GetMapping("/network/meeting-pack.csv")
    @PreAuthorize(Roles.CASEWORK)
    ResponseEntity<byte[]> meetingPackCsv(@AuthenticationPrincipal SightlineUser user, PackQuery q, Locale locale) {
        List<FieldError> errors = new ArrayList<>();
        Period period = Period.parse(q.from(), q.to(), today(), errors);
        String area = area(q.area(), errors);
        if (!errors.isEmpty()) {
            return ResponseEntity.badRequest()
                    .contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                    .body(messages.getMessage(errors.get(0).messageKey(), null, locale)
                            .getBytes(StandardCharsets.UTF_8));
        }
        return download(pack.exportCsv(user, area, period, locale), "meeting-pack.csv", "text/csv");
    }

    @GetMapping("/network/places/{id}")
    @PreAuthorize(Roles.CASEWORK)
    String place(@AuthenticationPrincipal SightlineUser user, @PathVariable UUID id, Model model) {
        model.addAttribute("place", network.place(user, id));
        model.addAttribute("canMerge", user.hasRole(Roles.SUPERVISOR));
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", List.of());
        }
        return "network/place";
    }

    @PostMapping("/network/places/{id}/merge")
    @PreAuthorize(Roles.SUPERVISION)
    String merge(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @RequestParam(required = false) UUID into,
            @RequestParam(required = false) String reason,
            Model model,
            RedirectAttributes redirect) {
        try {
            network.merge(user, id, into, reason);
        } catch (InvalidRequestException e) {
            model.addAttribute(
                    "errors",
                    e.violations().stream()
                            .map(v -> new FieldError(v.field(), "network.error.merge." + v.field() + "." + v.rule()))
                            .toList());
            model.addAttribute("reason", reason);
            return place(user, id, model);
        }
        redirect.addFlashAttribute("banner", "network.banner.merged");
        return "redirect:/network/places/" + into;
    }

    @PostMapping("/network/merges/{id}/unmerge")
    @PreAuthorize(Roles.SUPERVISION)
    String unmerge(
            @AuthenticationPrincipal SightlineUser user,
            @PathVariable UUID id,
            @RequestParam(required = false) UUID place,
            RedirectAttributes redirect) {
        try {
            network.unmerge(user, id);
            redirect.addFlashAttribute("banner", "network.banner.unmerged");
        } catch (ConflictException e) {
            redirect.addFlashAttribute("banner", "network.banner.mergedAgain");
        }
        return place == null ? "redirect:/network/hotspots" : "redirect:/network/places/" + place;
    }

    @GetMapping("/network/flows")
    @PreAuthorize(Roles.STATISTICS)
    String flows(
            @AuthenticationPrincipal SightlineUser user,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            Model model,
            Locale locale) {
        List<FieldError> errors = new ArrayList<>();
        Period period = Period.parse(from, to, today(), errors);
        filters(model, errors, null, from, to, period);
        model.addAttribute(
                "matrix",
                errors.isEmpty()
                        ? flows.matrix(
                                user,
                                period,
                                message("network.flows.notKnown", locale),
                                message("network.flows.notRecorded", locale))
                        : null);
        model.addAttribute("drill", Flows.entitled(user));
        return "network/flows";
    }

    /** The episodes behind one flow, for a supervisor: children the agency may open, the rest only counted. */
    @GetMapping("/network/flows/episodes")
    @PreAuthorize(Roles.SUPERVISION)
    String flowEpisodes(
            @AuthenticationPrincipal SightlineUser user,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String home,
            @RequestParam(required = false) String found,
            Model model,
            Locale locale) {
        List<FieldError> errors = new ArrayList<>();
        Period period = Period.parse(from, to, today(), errors);
        String homeCode = area(home == null || home.isBlank() ? null : home.strip(), errors);
        String foundCode = area(found == null || found.isBlank() ? null : found.strip(), errors);
        if (homeCode == null || foundCode == null) {
            errors.add(new FieldError("back", "network.error.flow.required"));
        }
        filters(model, errors, null, from, to, period);
        model.addAttribute(
                "list",
                errors.isEmpty()
                        ? flows.episodes(
                                user,
                                period,
                                homeCode,
                                foundCode,
                                message("network.flows.notKnown", locale),
                                message("network.flows.notRecorded", locale))
                        : null);
        return "network/flow-episodes";
    }
}
