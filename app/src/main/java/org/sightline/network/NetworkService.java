package org.sightline.network;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.sightline.access.SightlineUser;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.linkage.compare.JaroWinkler;
import org.sightline.person.PartialDate;
import org.sightline.shared.ConflictException;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.Like;
import org.sightline.shared.NotFoundException;
import org.sightline.shared.References;
import org.sightline.shared.Violation;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one owner of the network's tables: adults of concern, places (each agency's recording in {@code location},
 * matched to a {@code place} by the database's key, see V0780), vehicles, phones and the typed associations between
 * them and children's records, episodes and concerns. Concerns and episodes link through here; every write is
 * audited in the caller's transaction.
 */
@Service
public class NetworkService {

    static final int SHORT_MAX = 200;
    public static final List<String> LOCATION_KINDS =
            List.of("address", "hotel", "takeaway", "park", "car_park", "station", "other");
    public static final List<String> SEXES = List.of("male", "female", "not_known", "not_recorded");

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;

    NetworkService(JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    // ---- entities ---------------------------------------------------------------------------------------------

    /** Checks the request's shape, the association type for the kind, and a new entity's fields, without saving. */
    public List<Violation> validate(NetworkRequests.Entity request, String type) {
        List<Violation> v = new ArrayList<>();
        EntityKind kind = EntityKind.entity(request.kind()).orElse(null);
        if (kind == null) {
            v.add(new Violation(
                    "kind",
                    blank(request.kind()) ? "required" : "one-of",
                    "must be one of " + EntityKind.ENTITY_CODES));
            return v;
        }
        if (!blank(type) && !kind.linkTypes().contains(type)) {
            v.add(new Violation("type", "one-of", "for " + kind.code() + " must be one of " + kind.linkTypes()));
        }
        Object newEntity =
                switch (kind) {
                    case ADULT -> request.adult();
                    case LOCATION -> request.location();
                    case VEHICLE -> request.vehicle();
                    default -> request.phone();
                };
        long others = Stream.of(request.adult(), request.location(), request.vehicle(), request.phone())
                .filter(o -> o != null && o != newEntity)
                .count();
        if (others > 0) {
            v.add(new Violation(
                    kind.code(), "kind-mismatch", "give only the " + kind.code() + " object for kind " + kind.code()));
        }
        if ((request.existingId() == null) == (newEntity == null)) {
            v.add(new Violation(
                    "existingId", "one-of", "give either existingId or a new " + kind.code() + ", not both"));
            return v;
        }
        if (newEntity == null) {
            return v;
        }
        switch (kind) {
            case ADULT -> {
                var a = request.adult();
                if (blank(a.givenName()) && blank(a.familyName())) {
                    v.add(new Violation("adult.familyName", "required", "give a family name or a given name"));
                }
                maxLength(v, "adult.givenName", a.givenName());
                maxLength(v, "adult.familyName", a.familyName());
                try {
                    PartialDate.parseIso(a.dateOfBirth());
                } catch (IllegalArgumentException e) {
                    v.add(new Violation(
                            "adult.dateOfBirth", "format", "must be yyyy, yyyy-mm or yyyy-mm-dd, a real date"));
                }
                if (!blank(a.sex()) && !SEXES.contains(a.sex())) {
                    v.add(new Violation("adult.sex", "one-of", "must be one of " + SEXES));
                }
            }
            case LOCATION -> {
                var l = request.location();
                if (blank(l.kind()) || !LOCATION_KINDS.contains(l.kind())) {
                    v.add(new Violation(
                            "location.kind",
                            blank(l.kind()) ? "required" : "one-of",
                            "must be one of " + LOCATION_KINDS));
                }
                if (blank(l.name()) && blank(l.postcode())) {
                    v.add(new Violation("location.name", "required", "give a name or a postcode"));
                }
                maxLength(v, "location.name", l.name());
                if (!blank(l.postcode()) && !validPostcode(l.postcode())) {
                    v.add(new Violation("location.postcode", "format", "must be a UK postcode, for example LS1 4AP"));
                }
                if (!blank(l.uprn()) && !l.uprn().strip().matches("[0-9]{1,12}")) {
                    v.add(new Violation("location.uprn", "format", "must be a UPRN: up to 12 digits"));
                }
            }
            case VEHICLE -> {
                var ve = request.vehicle();
                if (blank(ve.registration())) {
                    v.add(new Violation(
                            "vehicle.registration", "required", "give the registration as seen, even if partial"));
                } else if (!ve.registration().strip().matches("[A-Za-z0-9 ?]{1,10}")) {
                    v.add(new Violation(
                            "vehicle.registration",
                            "format",
                            "letters, digits, spaces and ? for unread characters, up to 10"));
                }
                maxLength(v, "vehicle.make", ve.make());
                maxLength(v, "vehicle.colour", ve.colour());
            }
            default -> {
                var p = request.phone();
                if (blank(p.number())) {
                    v.add(new Violation("phone.number", "required", "give the phone number"));
                } else if (!p.number().strip().matches("\\+?[0-9 ()-]{6,20}")) {
                    v.add(new Violation(
                            "phone.number", "format", "must be a phone number: digits, spaces, +, ( ) and -"));
                }
            }
        }
        return v;
    }

    static boolean validPostcode(String postcode) {
        return postcode.strip().matches("(?i)[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}");
    }

    /**
     * The entity a (valid) request names: an existing one the user's agency may use, or a new one recorded by it.
     * {@code via} says, for the audit, what the entity is being linked to.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public NetworkViews.Entity resolve(SightlineUser user, NetworkRequests.Entity request, String via) {
        EntityKind kind = EntityKind.entity(request.kind()).orElseThrow();
        if (request.existingId() != null) {
            return jdbc.sql("SELECT e.id, e.public_id, e." + kind.refColumn() + " FROM " + kind.table()
                            + " e JOIN agency a ON a.id = e.agency_id WHERE e.public_id = :id AND " + kind.visibleSql())
                    .param("id", request.existingId())
                    .param("agencyId", user.agencyId())
                    .query((rs, n) ->
                            new NetworkViews.Entity(kind, rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3)))
                    .optional()
                    .orElseThrow(() -> new InvalidRequestException(
                            "existingId", "not-found", "no " + kind.code() + " with this id that your agency holds"));
        }
        String ref = References.next(kind.refPrefix());
        NetworkViews.Entity created =
                switch (kind) {
                    case ADULT -> {
                        var a = request.adult();
                        var dob = PartialDate.parseIso(a.dateOfBirth());
                        yield jdbc.sql(
                                        """
                        INSERT INTO adult_of_concern (agency_id, adult_ref, given_name, family_name, dob_year, dob_month,
                                                      dob_day, sex) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, public_id""")
                                .params(
                                        user.agencyId(),
                                        ref,
                                        strip(a.givenName()),
                                        strip(a.familyName()),
                                        dob.year(),
                                        dob.month(),
                                        dob.day(),
                                        blank(a.sex()) ? "not_recorded" : a.sex())
                                .query((rs, n) ->
                                        new NetworkViews.Entity(kind, rs.getLong(1), rs.getObject(2, UUID.class), ref))
                                .single();
                    }
                    case LOCATION -> insertLocation(
                            user.agencyId(),
                            ref,
                            request.location().kind(),
                            request.location().name(),
                            request.location().postcode(),
                            request.location().uprn(),
                            null);
                    case VEHICLE -> jdbc.sql(
                                    """
                    INSERT INTO vehicle (agency_id, vehicle_ref, registration, make, colour) VALUES (?, ?, ?, ?, ?)
                    RETURNING id, public_id""")
                            .params(
                                    user.agencyId(),
                                    ref,
                                    request.vehicle().registration().strip().toUpperCase(),
                                    strip(request.vehicle().make()),
                                    strip(request.vehicle().colour()))
                            .query((rs, n) ->
                                    new NetworkViews.Entity(kind, rs.getLong(1), rs.getObject(2, UUID.class), ref))
                            .single();
                    default -> jdbc.sql(
                                    "INSERT INTO phone (agency_id, phone_ref, number) VALUES (?, ?, ?) RETURNING id, public_id")
                            .params(
                                    user.agencyId(),
                                    ref,
                                    request.phone().number().strip())
                            .query((rs, n) ->
                                    new NetworkViews.Entity(kind, rs.getLong(1), rs.getObject(2, UUID.class), ref))
                            .single();
                };
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "CREATE", kind.table(), ref)
                .withDetails("via=" + via));
        return created;
    }

    private NetworkViews.Entity insertLocation(
            long agencyId, String ref, String kind, String name, String postcode, String uprn, String areaCode) {
        return jdbc.sql(
                        """
                INSERT INTO location (agency_id, location_ref, kind, name, postcode, uprn, area_code)
                VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id, public_id""")
                .params(
                        agencyId,
                        ref,
                        kind,
                        strip(name),
                        blank(postcode) ? null : postcode.strip().toUpperCase(),
                        strip(uprn),
                        areaCode)
                .query((rs, n) ->
                        new NetworkViews.Entity(EntityKind.LOCATION, rs.getLong(1), rs.getObject(2, UUID.class), ref))
                .single();
    }

    // ---- associations -----------------------------------------------------------------------------------------

    public boolean associated(EntityKind fromKind, long fromId, EntityKind toKind, long toId, String type) {
        return jdbc.sql(
                        """
                SELECT EXISTS (SELECT 1 FROM association WHERE from_kind = ? AND from_id = ? AND to_kind = ?
                               AND to_id = ? AND association_type = ?)""")
                .params(fromKind.code(), fromId, toKind.code(), toId, type)
                .query(Boolean.class)
                .single();
    }

    /** Records a typed association, by the user's agency, observed at {@code observedAt}; audited. */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID associate(
            SightlineUser user,
            EntityKind fromKind,
            long fromId,
            EntityKind toKind,
            long toId,
            String type,
            Instant observedAt) {
        Instant now = clock.instant();
        UUID id = jdbc.sql(
                        """
                INSERT INTO association (agency_id, from_kind, from_id, to_kind, to_id, association_type, observed_at,
                                         created_at, recorded_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING public_id""")
                .params(
                        user.agencyId(),
                        fromKind.code(),
                        fromId,
                        toKind.code(),
                        toId,
                        type,
                        ts(observedAt == null ? now : observedAt),
                        ts(now),
                        user.username())
                .query(UUID.class)
                .single();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "ASSOCIATE", "association", id.toString())
                .withDetails("from=" + fromKind.code() + ";to=" + toKind.code() + ";type=" + type));
        return id;
    }

    /** The adults, places, vehicles and phones linked from {@code fromKind/fromId}, in the order linked. */
    public List<NetworkViews.Linked> linkedFrom(EntityKind fromKind, long fromId) {
        return jdbc.sql(
                        """
                SELECT x.public_id, x.to_kind, x.association_type, x.created_at, t.public_id AS target_id, t.ref,
                       t.description, ag.name AS held_by
                FROM association x
                JOIN LATERAL (
                    SELECT public_id, adult_ref AS ref, agency_id,
                           trim(coalesce(given_name, '') || ' ' || coalesce(family_name, '')) AS description
                    FROM adult_of_concern WHERE x.to_kind = 'adult' AND id = x.to_id
                    UNION ALL
                    SELECT public_id, location_ref, agency_id,
                           concat_ws(', ', name, postcode) FROM location WHERE x.to_kind = 'location' AND id = x.to_id
                    UNION ALL
                    SELECT public_id, vehicle_ref, agency_id,
                           concat_ws(', ', registration, make, colour) FROM vehicle WHERE x.to_kind = 'vehicle' AND id = x.to_id
                    UNION ALL
                    SELECT public_id, phone_ref, agency_id, number FROM phone WHERE x.to_kind = 'phone' AND id = x.to_id
                ) t ON true
                JOIN agency ag ON ag.id = t.agency_id
                WHERE x.from_kind = ? AND x.from_id = ? ORDER BY x.created_at, x.id""")
                .params(fromKind.code(), fromId)
                .query((rs, n) -> new NetworkViews.Linked(
                        rs.getObject("public_id", UUID.class),
                        rs.getString("to_kind"),
                        rs.getString("association_type"),
                        rs.getObject("target_id", UUID.class),
                        rs.getString("ref"),
                        rs.getString("description"),
                        rs.getString("held_by"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    /** Adults, places, vehicles and phones the user's agency holds (places etc. also from the national register). */
    @Transactional
    public List<NetworkViews.Linkable> search(SightlineUser user, String kindCode, String query, String purpose) {
        EntityKind kind = EntityKind.entity(kindCode)
                .orElseThrow(() ->
                        new InvalidRequestException("kind", "one-of", "must be one of " + EntityKind.ENTITY_CODES));
        String q = query == null ? "" : query.strip().toLowerCase();
        if (q.length() < 2) {
            return List.of();
        }
        String match =
                switch (kind) {
                    case ADULT -> "(lower(e.family_name) LIKE :q OR lower(e.given_name) LIKE :q OR lower(e.adult_ref) = :exact)";
                    case LOCATION -> "(lower(e.name) LIKE :anywhere OR replace(lower(e.postcode), ' ', '') LIKE :nospace OR lower(e.location_ref) = :exact)";
                    case VEHICLE -> "(replace(lower(e.registration), ' ', '') LIKE :nospace OR lower(e.vehicle_ref) = :exact)";
                    default -> "(regexp_replace(e.number, '[^0-9]', '', 'g') LIKE :digits OR lower(e.phone_ref) = :exact)";
                };
        String description =
                switch (kind) {
                    case ADULT -> "trim(coalesce(e.given_name, '') || ' ' || coalesce(e.family_name, '')) || coalesce(' (' || e.dob_year || ')', '')";
                    case LOCATION -> "concat_ws(', ', e.name, e.postcode, e.kind)";
                    case VEHICLE -> "concat_ws(', ', e.registration, e.make, e.colour)";
                    default -> "e.number";
                };
        String like = Like.escape(q);
        List<NetworkViews.Linkable> found = jdbc.sql("SELECT e.public_id, e." + kind.refColumn() + ", " + description
                        + ", a.name FROM " + kind.table() + " e JOIN agency a ON a.id = e.agency_id WHERE "
                        + kind.visibleSql()
                        + " AND " + match + " ORDER BY 3, e.id LIMIT 20")
                .param("agencyId", user.agencyId())
                .param("q", like + "%")
                .param("anywhere", "%" + like + "%")
                .param("nospace", "%" + like.replace(" ", "") + "%")
                .param("exact", q)
                .param("digits", "%" + q.replaceAll("[^0-9]", "") + "%")
                .query((rs, n) -> new NetworkViews.Linkable(
                        rs.getObject(1, UUID.class), kind.code(), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
        if (kind == EntityKind.PHONE && q.replaceAll("[^0-9]", "").isEmpty()) {
            found = found.stream().filter(l -> l.ref().equalsIgnoreCase(q)).toList();
        }
        if (found.size() < 20 && (kind == EntityKind.ADULT || kind == EntityKind.LOCATION)) {
            found = withNearMisses(user, kind, q, found);
        }
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "SEARCH", kind.table(), null)
                .withDetails("purpose=" + purpose + ";results=" + found.size()));
        return found;
    }

    /** How alike a typed name or address must be to a known one (Jaro-Winkler) to be offered. */
    static final double NEAR_MISS = 0.88;

    /**
     * Typo tolerance, so the network grows without duplicates: known adults whose name, and known places whose
     * normalised address, is within {@link #NEAR_MISS} of what was typed, after the exact matches. Candidates are
     * blocked on the first letter (adults) or on the postcode or first word (places) to stay few.
     */
    private List<NetworkViews.Linkable> withNearMisses(
            SightlineUser user, EntityKind kind, String q, List<NetworkViews.Linkable> exact) {
        record Candidate(NetworkViews.Linkable linkable, String compared) {}
        List<Candidate> candidates;
        String typed;
        if (kind == EntityKind.ADULT) {
            typed = q;
            candidates = jdbc.sql(
                            """
                    SELECT e.public_id, e.adult_ref,
                           trim(coalesce(e.given_name, '') || ' ' || coalesce(e.family_name, '')) || coalesce(' (' || e.dob_year || ')', ''),
                           a.name, lower(trim(coalesce(e.given_name, '') || ' ' || coalesce(e.family_name, ''))),
                           lower(coalesce(e.family_name, ''))
                    FROM adult_of_concern e JOIN agency a ON a.id = e.agency_id
                    WHERE e.agency_id = :agencyId
                      AND (lower(left(e.family_name, 1)) = :first OR lower(left(e.given_name, 1)) = :first)
                    LIMIT 2000""")
                    .param("agencyId", user.agencyId())
                    .param("first", q.substring(0, 1))
                    .query((rs, n) -> {
                        NetworkViews.Linkable l = new NetworkViews.Linkable(
                                rs.getObject(1, UUID.class),
                                kind.code(),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4));
                        // Whichever is closer: the whole name or the family name alone.
                        String whole = rs.getString(5);
                        String family = rs.getString(6);
                        return new Candidate(l, alike(q, whole) >= alike(q, family) ? whole : family);
                    })
                    .list();
        } else {
            typed = jdbc.sql("SELECT coalesce(network_address_norm(?), '')")
                    .param(q)
                    .query(String.class)
                    .single();
            String postcode = jdbc
                    .sql(
                            "SELECT network_postcode_norm(substring(? from '(?i)[a-z]{1,2}[0-9][a-z0-9]? ?[0-9][a-z]{2}'))")
                    .param(q)
                    .query(String.class)
                    .list()
                    .stream()
                    .filter(java.util.Objects::nonNull)
                    .findFirst()
                    .orElse(null);
            if (typed.isEmpty()) {
                return exact;
            }
            candidates = jdbc.sql(
                            """
                    SELECT e.public_id, e.location_ref, concat_ws(', ', e.name, e.postcode, e.kind), a.name, e.address_norm
                    FROM location e JOIN agency a ON a.id = e.agency_id
                    WHERE (e.agency_id = :agencyId OR a.agency_type = 'national') AND e.address_norm IS NOT NULL
                      AND (e.postcode_norm = :postcode OR (CAST(:postcode AS text) IS NULL
                           AND split_part(e.address_norm, ' ', 1) = split_part(:typed, ' ', 1)))
                    LIMIT 2000""")
                    .param("agencyId", user.agencyId())
                    .param("postcode", postcode)
                    .param("typed", typed)
                    .query((rs, n) -> new Candidate(
                            new NetworkViews.Linkable(
                                    rs.getObject(1, UUID.class),
                                    kind.code(),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4)),
                            rs.getString(5)))
                    .list();
        }
        java.util.Set<UUID> seen = new java.util.HashSet<>(
                exact.stream().map(NetworkViews.Linkable::id).toList());
        List<NetworkViews.Linkable> out = new ArrayList<>(exact);
        candidates.stream()
                .filter(c -> !seen.contains(c.linkable().id()))
                .map(c -> java.util.Map.entry(c.linkable(), alike(typed, c.compared())))
                .filter(e -> e.getValue() >= NEAR_MISS)
                .sorted(java.util.Map.Entry.<NetworkViews.Linkable, Double>comparingByValue()
                        .reversed())
                .limit(20 - exact.size())
                .forEach(e -> out.add(e.getKey()));
        return out;
    }

    /**
     * How alike typed and known text are: the better of Jaro-Winkler and the share of characters left unedited
     * (Levenshtein). Jaro-Winkler alone misses a dropped letter in a long name with repeated letters
     * ("Fetherstonehaugh…" for "Featherstonehaugh…" scores 0.87: its greedy matching pairs a later "a" with the
     * dropped one's neighbour); one edit in twenty characters is plainly the same name. Short names keep
     * Jaro-Winkler's judgement, as one edit in five characters is a fifth of the name.
     */
    static double alike(String typed, String known) {
        int longest = Math.max(typed.length(), known.length());
        if (longest == 0) {
            return 1.0;
        }
        int edits = new org.apache.commons.text.similarity.LevenshteinDistance(
                        (int) Math.floor(longest * (1 - NEAR_MISS)))
                .apply(typed, known);
        double kept = edits < 0 ? 0 : 1.0 - (double) edits / longest;
        return Math.max(JaroWinkler.similarity(typed, known), kept);
    }

    /** A known place that may be the one being typed: one agency's recording of it describes it. */
    public record PlaceSuggestion(UUID id, String description, String heldBy, int recordings) {}

    /** How alike typed and known address text must be when the postcodes are the same, and when they differ. */
    static final double SAME_POSTCODE = 0.80;

    static final double OTHER_POSTCODE = 0.93;

    /**
     * At report time: known places that may be the one typed, so the user can choose it rather than start another
     * (places show to every agency as recorded, as on the network pages). Nothing when the text already matches a
     * place's key exactly (it will be joined to it anyway). With a postcode: places with that postcode whose address
     * is alike (or every place there when no address was typed), then places in the same postcode district whose
     * address is very alike (a mistyped postcode); without one, as nothing says where it is ("Bus station"): places
     * the user's agency (or the national register) recorded whose address is very alike and starts with the same
     * word. Best first, at most ten; audited as a search.
     */
    @Transactional
    public List<PlaceSuggestion> suggestPlaces(SightlineUser user, String place, String postcode, String purpose) {
        if (blank(place) && blank(postcode)) {
            return List.of();
        }
        record Typed(String address, String postcode, boolean known) {}
        Typed typed = jdbc.sql(
                        """
                SELECT a, p, EXISTS (SELECT 1 FROM place WHERE address_key = p || '|' || a)
                FROM (SELECT network_address_norm(:place) AS a, network_postcode_norm(:postcode) AS p) t""")
                .param("place", place)
                .param("postcode", postcode != null && validPostcode(postcode) ? postcode : null)
                .query((rs, n) -> new Typed(rs.getString(1), rs.getString(2), rs.getBoolean(3)))
                .single();
        if (typed.known() || (typed.address() == null && typed.postcode() == null)) {
            return List.of();
        }
        record Candidate(long place, String address, String postcode, PlaceSuggestion suggestion) {}
        // The postcode district: the outward code, all but the last three characters.
        String district = typed.postcode() == null
                ? null
                : typed.postcode().substring(0, typed.postcode().length() - 3);
        List<Candidate> candidates = jdbc.sql(
                        """
                SELECT l.place_id, l.address_norm, l.postcode_norm, p.public_id,
                       concat_ws(', ', l.name, l.postcode), a.name,
                       count(*) OVER (PARTITION BY l.place_id)::int
                FROM location l JOIN place p ON p.id = l.place_id JOIN agency a ON a.id = l.agency_id
                WHERE (CAST(:postcode AS text) IS NOT NULL AND l.postcode_norm LIKE :district || '%'
                       AND length(l.postcode_norm) = length(:district) + 3)
                   OR (CAST(:postcode AS text) IS NULL AND l.address_norm IS NOT NULL
                       AND split_part(l.address_norm, ' ', 1) = split_part(:address, ' ', 1)
                       AND (l.agency_id = :agencyId OR a.agency_type = 'national'))
                ORDER BY l.id LIMIT 5000""")
                .param("postcode", typed.postcode())
                .param("district", district == null ? "" : district)
                .param("agencyId", user.agencyId())
                .param("address", typed.address() == null ? "" : typed.address())
                .query((rs, n) -> new Candidate(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        new PlaceSuggestion(
                                rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.getInt(7))))
                .list();
        java.util.Map<Long, java.util.Map.Entry<PlaceSuggestion, Double>> best = new java.util.HashMap<>();
        for (Candidate c : candidates) {
            boolean samePostcode = typed.postcode() != null && typed.postcode().equals(c.postcode());
            double score;
            if (typed.address() == null) {
                score = samePostcode ? 1.0 : 0.0;
            } else if (c.address() == null) {
                score = samePostcode ? SAME_POSTCODE : 0.0;
            } else {
                // Elsewhere than the typed postcode, the house and flat numbers must agree: "10 High Street" is
                // not "12 High Street" however alike the words.
                double alike = samePostcode || numbers(typed.address()).equals(numbers(c.address()))
                        ? JaroWinkler.similarity(typed.address(), c.address())
                        : 0;
                score = alike >= (samePostcode ? SAME_POSTCODE : OTHER_POSTCODE) ? alike + (samePostcode ? 1 : 0) : 0;
            }
            if (score > 0
                    && (!best.containsKey(c.place()) || best.get(c.place()).getValue() < score)) {
                best.put(c.place(), java.util.Map.entry(c.suggestion(), score));
            }
        }
        List<PlaceSuggestion> out = best.values().stream()
                .sorted(java.util.Map.Entry.<PlaceSuggestion, Double>comparingByValue()
                        .reversed()
                        .thenComparing(e -> e.getKey().description()))
                .limit(10)
                .map(java.util.Map.Entry::getKey)
                .toList();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "SEARCH", "place", null)
                .withDetails("purpose=" + purpose + ";results=" + out.size()));
        return out;
    }

    private static List<String> numbers(String address) {
        return java.util.Arrays.stream(address.split(" "))
                .filter(w -> !w.isEmpty() && Character.isDigit(w.charAt(0)))
                .toList();
    }

    // ---- episodes ---------------------------------------------------------------------------------------------

    /**
     * Where a child was found, as the finding agency recorded it: a place recording of its own (matched to the place
     * by its key) and a {@code found_at} association from the episode, observed when found. The place's area is the
     * finding agency's (a force finds children in its own area). Nothing is recorded without a place or postcode.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordFound(SightlineUser user, long episodeId, String place, String postcode, Instant foundAt) {
        recordFound(user, episodeId, place, postcode, foundAt, null);
    }

    /**
     * As {@link #recordFound(SightlineUser, long, String, String, Instant)}; when the user chose a known place
     * ({@link #suggestPlaces}), the recording is of that place whatever its spelling, and a place its spelling made
     * anew now stands for the chosen one, so the next recording spelt the same way joins it too.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordFound(
            SightlineUser user, long episodeId, String place, String postcode, Instant foundAt, UUID knownPlace) {
        if (blank(place) && blank(postcode)) {
            return;
        }
        Long chosen = knownPlace == null
                ? null
                : jdbc.sql("SELECT id FROM place WHERE public_id = ? AND merged_into IS NULL")
                        .param(knownPlace)
                        .query(Long.class)
                        .optional()
                        .orElseThrow(() -> new InvalidRequestException(
                                "placeChoice", "not-found", "no current place with this id"));
        String ref = References.next(EntityKind.LOCATION.refPrefix());
        NetworkViews.Entity location = insertLocation(
                user.agencyId(),
                ref,
                "address",
                place,
                postcode != null && validPostcode(postcode) ? postcode : null,
                null,
                jdbc.sql("SELECT coalesce(area_code, code) FROM agency WHERE id = ?")
                        .param(user.agencyId())
                        .query(String.class)
                        .single());
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "CREATE", "location", ref)
                .withDetails("via=episode-found" + (chosen == null ? "" : ";chosen=" + knownPlace)));
        if (chosen != null) {
            // The place the spelling matched, if made just now for this recording alone, leads to the chosen one.
            jdbc.sql(
                            """
                    UPDATE place SET merged_into = :chosen FROM location l
                    WHERE l.id = :location AND place.id = l.matched_place_id AND place.id <> :chosen
                      AND place.merged_into IS NULL
                      AND NOT EXISTS (SELECT 1 FROM location o WHERE o.matched_place_id = place.id AND o.id <> l.id)
                      AND NOT EXISTS (SELECT 1 FROM place_merge m WHERE m.into_place_id = place.id)""")
                    .param("chosen", chosen)
                    .param("location", location.id())
                    .update();
            jdbc.sql("UPDATE location SET place_id = ? WHERE id = ?")
                    .params(chosen, location.id())
                    .update();
        }
        associate(user, EntityKind.EPISODE, episodeId, EntityKind.LOCATION, location.id(), "found_at", foundAt);
    }

    /**
     * {@link #recordFound} for a bulk import's batch, set-based: each of the agency's episodes named by {@code
     * episodeRefs} that has a found place or postcode and no {@code found_at} link yet gets a place recording of the
     * importing agency and the link (a re-import, or an episode found on the page since, adds none). One audit entry
     * for the batch, naming the run. Returns how many were linked.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int recordFoundImported(
            long agencyId, String agencyCode, String actor, List<String> episodeRefs, String via) {
        if (episodeRefs.isEmpty()) {
            return 0;
        }
        List<Long> episodes = jdbc.sql(
                        """
                SELECT e.id FROM missing_episode e
                WHERE e.agency_id = :agency AND e.episode_ref = ANY(:refs)
                  AND (nullif(btrim(e.found_place), '') IS NOT NULL OR nullif(btrim(e.found_postcode), '') IS NOT NULL)
                  AND NOT EXISTS (SELECT 1 FROM association x WHERE x.from_kind = 'episode' AND x.from_id = e.id
                                  AND x.association_type = 'found_at')
                ORDER BY e.id""")
                .param("agency", agencyId)
                .param("refs", episodeRefs.toArray(String[]::new))
                .query(Long.class)
                .list();
        if (episodes.isEmpty()) {
            return 0;
        }
        String[] refs = episodes.stream()
                .map(e -> References.next(EntityKind.LOCATION.refPrefix()))
                .toArray(String[]::new);
        // As recordFound: a postcode that is not one is left out (the address text may still match), and the
        // place's area is the importing agency's. Rows go in in the order of the place key the location trigger
        // derives (network_match_place): an import writes batches on two connections at once, and two batches that
        // create the same new places in different orders deadlocked on the place's unique key (a 100,000-episode
        // import stopped with E1000).
        int linked = jdbc.sql(
                        """
                WITH r AS (SELECT * FROM unnest(CAST(:episodes AS bigint[]), CAST(:refs AS text[])) AS r(episode_id, ref)),
                found AS (
                  SELECT r.ref, nullif(btrim(e.found_place), '') AS name,
                         CASE WHEN btrim(e.found_postcode) ~* '^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$'
                              THEN upper(btrim(e.found_postcode)) END AS postcode
                  FROM r JOIN missing_episode e ON e.id = r.episode_id),
                loc AS (
                  INSERT INTO location (agency_id, location_ref, kind, name, postcode, area_code)
                  SELECT :agency, f.ref, 'address', f.name, f.postcode,
                         (SELECT coalesce(area_code, code) FROM agency WHERE id = :agency)
                  FROM found f
                  ORDER BY network_postcode_norm(f.postcode), network_address_norm(f.name), f.ref
                  RETURNING id, location_ref)
                INSERT INTO association (agency_id, from_kind, from_id, to_kind, to_id, association_type, observed_at,
                                         created_at, recorded_by)
                SELECT :agency, 'episode', r.episode_id, 'location', loc.id, 'found_at',
                       coalesce(e.found_at, e.reported_at), :now, :actor
                FROM loc JOIN r ON r.ref = loc.location_ref JOIN missing_episode e ON e.id = r.episode_id""")
                .param("episodes", episodes.toArray(Long[]::new))
                .param("refs", refs)
                .param("agency", agencyId)
                .param("now", ts(clock.instant()))
                .param("actor", actor)
                .update();
        audit.record(AuditEntry.of(actor, agencyCode, "ASSOCIATE", "association", null)
                .withDetails("via=" + via + ";from=episode;to=location;type=found_at;count=" + linked));
        return linked;
    }

    // ---- places -----------------------------------------------------------------------------------------------

    /**
     * A supervisor says two places are one: every recording of {@code from} moves to {@code into}, and later
     * recordings matching {@code from}'s key go there too. Undone by {@link #unmerge}.
     */
    @Transactional
    public UUID merge(SightlineUser user, UUID from, UUID into, String reason) {
        List<Violation> v = new ArrayList<>();
        if (blank(reason)) {
            v.add(new Violation("reason", "required", "say why these are the same place"));
        } else if (reason.length() > 1000) {
            v.add(new Violation("reason", "max-length", "must be 1000 characters or fewer"));
        }
        if (into == null) {
            v.add(new Violation("into", "required", "choose the place to merge into"));
        } else if (into.equals(from)) {
            v.add(new Violation("into", "different", "must be another place"));
        }
        if (!v.isEmpty()) {
            throw new InvalidRequestException(v);
        }
        long fromId = currentPlace(from);
        long intoId = jdbc.sql("SELECT id FROM place WHERE public_id = ? AND merged_into IS NULL")
                .param(into)
                .query(Long.class)
                .optional()
                .orElseThrow(() -> new InvalidRequestException("into", "not-found", "no current place with this id"));
        List<Long> moved = jdbc.sql("UPDATE location SET place_id = ? WHERE place_id = ? RETURNING id")
                .params(intoId, fromId)
                .query(Long.class)
                .list();
        jdbc.sql("UPDATE place SET merged_into = ? WHERE id = ?")
                .params(intoId, fromId)
                .update();
        UUID mergeId = jdbc.sql(
                        """
                INSERT INTO place_merge (from_place_id, into_place_id, location_ids, reason, merged_by, merged_agency, merged_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING public_id""")
                .params(
                        fromId,
                        intoId,
                        moved.toArray(Long[]::new),
                        reason.strip(),
                        user.username(),
                        user.agencyCode(),
                        ts(clock.instant()))
                .query(UUID.class)
                .single();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "PLACE_MERGED", "place", from.toString())
                .withDetails("into=" + into + ";merge=" + mergeId + ";recordings=" + moved.size()));
        return mergeId;
    }

    /** Undoes a merge: the recordings it moved go back, and the place stands on its own again. */
    @Transactional
    public void unmerge(SightlineUser user, UUID mergeId) {
        record Merge(long id, long from, long into, Long[] locations, UUID fromPublic) {}
        Merge m = jdbc.sql(
                        """
                SELECT m.id, m.from_place_id, m.into_place_id, m.location_ids, p.public_id FROM place_merge m
                JOIN place p ON p.id = m.from_place_id WHERE m.public_id = ? AND m.unmerged_at IS NULL""")
                .param(mergeId)
                .query((rs, n) -> new Merge(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        (Long[]) rs.getArray(4).getArray(),
                        rs.getObject(5, UUID.class)))
                .optional()
                .orElseThrow(() -> new NotFoundException("merge"));
        boolean later = jdbc.sql(
                        """
                SELECT EXISTS (SELECT 1 FROM place_merge WHERE from_place_id = ? AND unmerged_at IS NULL AND id > ?)""")
                .params(m.into(), m.id())
                .query(Boolean.class)
                .single();
        if (later) {
            throw new ConflictException("merged-again", "The place was merged again since; undo that merge first.");
        }
        // The recordings moved, and those that arrived since matching the merged place's key.
        int back = jdbc.sql(
                        """
                UPDATE location SET place_id = ? WHERE place_id = ? AND (id = ANY(?) OR matched_place_id = ?)""")
                .params(m.from(), m.into(), m.locations(), m.from())
                .update();
        jdbc.sql("UPDATE place SET merged_into = NULL WHERE id = ?")
                .param(m.from())
                .update();
        jdbc.sql("UPDATE place_merge SET unmerged_by = ?, unmerged_at = ? WHERE id = ?")
                .params(user.username(), ts(clock.instant()), m.id())
                .update();
        audit.record(AuditEntry.of(
                        user.username(),
                        user.agencyCode(),
                        "PLACE_UNMERGED",
                        "place",
                        m.fromPublic().toString())
                .withDetails("merge=" + mergeId + ";recordings=" + back));
    }

    /** One agency's recording of a place. */
    public record Recording(
            String ref,
            String heldBy,
            String kind,
            String name,
            String postcode,
            String uprn,
            String area,
            String normalised) {}

    /** Another current place that may be the same (same postcode), for a supervisor to merge. */
    public record Candidate(UUID id, String description, int recordings) {}

    public record MergeLine(
            UUID id,
            UUID from,
            UUID into,
            String reason,
            String mergedBy,
            Instant mergedAt,
            String unmergedBy,
            Instant unmergedAt) {

        public boolean undone() {
            return unmergedAt != null;
        }
    }

    public record PlaceView(
            UUID id, UUID mergedInto, List<Recording> recordings, List<Candidate> candidates, List<MergeLine> merges) {}

    /** A place: every agency's recording of it, places that may be the same, and its merges. */
    @Transactional
    public PlaceView place(SightlineUser user, UUID publicId) {
        record P(long id, UUID mergedInto) {}
        P p = jdbc.sql(
                        """
                SELECT p.id, m.public_id FROM place p LEFT JOIN place m ON m.id = p.merged_into WHERE p.public_id = ?""")
                .param(publicId)
                .query((rs, n) -> new P(rs.getLong(1), rs.getObject(2, UUID.class)))
                .optional()
                .orElseThrow(() -> new NotFoundException("place"));
        List<Recording> recordings = jdbc.sql(
                        """
                SELECT l.location_ref, a.name, l.kind, l.name, l.postcode, l.uprn, network_area_name(l.area_code),
                       concat_ws(' | ', l.postcode_norm, l.address_norm)
                FROM location l JOIN agency a ON a.id = l.agency_id
                WHERE l.place_id = ? OR (l.matched_place_id = ? AND ?) ORDER BY l.id""")
                .params(p.id(), p.id(), p.mergedInto() != null)
                .query((rs, n) -> new Recording(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8)))
                .list();
        List<Candidate> candidates = p.mergedInto() != null
                ? List.of()
                : jdbc.sql(
                                """
                SELECT o.public_id, min(concat_ws(', ', l.name, l.postcode)), count(*)::int
                FROM location mine JOIN location l ON l.postcode_norm = mine.postcode_norm AND l.place_id <> mine.place_id
                JOIN place o ON o.id = l.place_id AND o.merged_into IS NULL
                WHERE mine.place_id = ? GROUP BY o.public_id ORDER BY 2 LIMIT 20""")
                        .param(p.id())
                        .query((rs, n) -> new Candidate(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3)))
                        .list();
        List<MergeLine> merges = jdbc.sql(
                        """
                SELECT m.public_id, f.public_id, i.public_id, m.reason, coalesce(u.display_name, m.merged_by), m.merged_at,
                       coalesce(v.display_name, m.unmerged_by), m.unmerged_at
                FROM place_merge m JOIN place f ON f.id = m.from_place_id JOIN place i ON i.id = m.into_place_id
                LEFT JOIN app_user u ON u.username = m.merged_by LEFT JOIN app_user v ON v.username = m.unmerged_by
                WHERE m.from_place_id = ? OR m.into_place_id = ? ORDER BY m.id""")
                .params(p.id(), p.id())
                .query((rs, n) -> new MergeLine(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getTimestamp(6).toInstant(),
                        rs.getString(7),
                        rs.getTimestamp(8) == null ? null : rs.getTimestamp(8).toInstant()))
                .list();
        audit.record(AuditEntry.of(user.username(), user.agencyCode(), "VIEW", "place", publicId.toString()));
        return new PlaceView(publicId, p.mergedInto(), recordings, candidates, merges);
    }

    private long currentPlace(UUID publicId) {
        return jdbc.sql("SELECT id FROM place WHERE public_id = ? AND merged_into IS NULL")
                .param(publicId)
                .query(Long.class)
                .optional()
                .orElseThrow(() -> new NotFoundException("place"));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static void maxLength(List<Violation> v, String field, String value) {
        if (value != null && value.length() > SHORT_MAX) {
            v.add(new Violation(field, "max-length", "must be " + SHORT_MAX + " characters or fewer"));
        }
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String strip(String s) {
        return blank(s) ? null : s.strip();
    }

    static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }
}
