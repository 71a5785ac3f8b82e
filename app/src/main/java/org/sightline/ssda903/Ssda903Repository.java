package org.sightline.ssda903;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sightline.ssda903.ExportBuilder.Child;
import org.sightline.ssda903.ExportBuilder.Episode;
import org.sightline.ssda903.ExportBuilder.Note;
import org.sightline.ssda903.ExportBuilder.Period;
import org.sightline.ssda903.ExportBuilder.Placement;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads an authority's looked-after children, episodes and missing periods for the export. */
@Repository
class Ssda903Repository {

    private final JdbcClient jdbc;

    Ssda903Repository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The SSDA903 code lists as FIELD:CODE. */
    Set<String> codes() {
        return Set.copyOf(jdbc.sql("SELECT field || ':' || code FROM ref_ssda903_code")
                .query(String.class)
                .list());
    }

    /** The DfE ethnicity codes. */
    Set<String> ethnicityCodes() {
        return Set.copyOf(jdbc.sql("SELECT code FROM ref_ethnicity WHERE scheme = 'DFE'")
                .query(String.class)
                .list());
    }

    /**
     * The authority that existed during the collection year, by ONS code or DfE 3-digit LA number (a number can
     * pass from an abolished authority to its successor, e.g. 815 North Yorkshire in 2023, so the year decides).
     * An abolished authority has no agency of its own until its old returns are imported: one is made, inactive,
     * to hold them. When no authority with that code existed in the year, the message names when it did and,
     * for years after it was abolished, its successors (the authorities of its region that began the next day).
     */
    Authority authority(String codeOrNumber, CollectionYear year) {
        String code = codeOrNumber == null ? "" : codeOrNumber.strip().toUpperCase(Locale.ROOT);
        record Ref(String ons, String name, String number, LocalDate from, LocalDate to, String region) {}
        List<Ref> refs = jdbc.sql(
                        """
                SELECT ons_code, name, la_number, valid_from, valid_to, region_name FROM ref_local_authority
                WHERE country = 'England' AND (upper(ons_code) = :code OR la_number = :code)
                ORDER BY valid_from DESC""")
                .param("code", code)
                .query((rs, n) -> new Ref(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        localDate(rs.getDate(4)),
                        localDate(rs.getDate(5)),
                        rs.getString(6)))
                .list();
        if (refs.isEmpty()) {
            // An authority agency without reference data (set up locally) is taken as existing in every year.
            return jdbc.sql(
                            """
                    SELECT id, code, name FROM agency WHERE agency_type = 'local_authority' AND active AND upper(code) = ?""")
                    .param(code)
                    .query((rs, n) -> new Authority(rs.getLong(1), rs.getString(2), rs.getString(3), null))
                    .optional()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "--authority: no local authority with ONS code or DfE LA number '" + codeOrNumber + "'"));
        }
        for (Ref r : refs) {
            if (!r.from().isAfter(year.end()) && (r.to() == null || !r.to().isBefore(year.start()))) {
                jdbc.sql(
                                """
                        INSERT INTO agency (code, agency_type, name, area_code, active) VALUES (?, 'local_authority', ?, ?, false)
                        ON CONFLICT (code) DO NOTHING""")
                        .params(r.ons(), r.name(), r.ons())
                        .update();
                long id = jdbc.sql("SELECT id FROM agency WHERE code = ? AND agency_type = 'local_authority'")
                        .param(r.ons())
                        .query(Long.class)
                        .single();
                return new Authority(id, r.ons(), r.name(), r.number());
            }
        }
        Ref r = refs.get(0);
        StringBuilder message = new StringBuilder("--authority: " + r.name() + " (" + r.ons()
                + (r.number() == null ? "" : ", " + r.number()) + ") existed from " + Ssda903Dates.format(r.from())
                + (r.to() == null ? "" : " to " + Ssda903Dates.format(r.to())) + ", not in collection year "
                + year.endYear() + " (" + Ssda903Dates.format(year.start()) + " to " + Ssda903Dates.format(year.end())
                + ")");
        if (r.to() != null && r.to().isBefore(year.start())) {
            List<String> successors = jdbc.sql(
                            """
                    SELECT name || ' (' || ons_code || coalesce(', ' || la_number, '') || ')' FROM ref_local_authority
                    WHERE region_name = ? AND valid_from = ? ORDER BY name""")
                    .params(r.region(), Date.valueOf(r.to().plusDays(1)))
                    .query(String.class)
                    .list();
            if (!successors.isEmpty()) {
                message.append("; for later years use its successor(s): ").append(String.join(", ", successors));
            }
        }
        throw new IllegalArgumentException(message.toString());
    }

    /**
     * The authority's looked-after children it is responsible for, with their whole history. Two records of the
     * authority with the same CHILD id are one child (the older record gives the Header facts).
     */
    List<Child> children(Authority la, List<Note> notes) {
        record Rec(
                long id,
                String child,
                String sex,
                LocalDate dob,
                String ethnic,
                String upn,
                String mother,
                LocalDate mcDob,
                Set<Integer> headerYears) {}
        List<Rec> records = jdbc.sql(
                        """
                SELECT pr.id, pr.local_child_id, pr.sex, pr.dob_year, pr.dob_month, pr.dob_day, pr.ethnicity_code,
                       pr.ethnicity_scheme, pr.ethnicity_status, pr.upn, sc.mother, sc.mc_dob, sc.header_years
                FROM person_record pr LEFT JOIN ssda903_child sc ON sc.person_record_id = pr.id
                WHERE pr.agency_id = :agency AND pr.care_status = 'looked_after'
                  AND coalesce(pr.local_child_id, '') <> ''
                  AND (pr.responsible_authority IS NULL OR pr.responsible_authority = :code)
                ORDER BY pr.id""")
                .param("agency", la.agencyId())
                .param("code", la.code())
                .query((rs, n) -> new Rec(
                        rs.getLong(1),
                        rs.getString(2).strip(),
                        sex(rs.getString(3)),
                        dob(rs),
                        ethnic(rs.getString(7), rs.getString(8), rs.getString(9)),
                        nz(rs.getString(10)),
                        rs.getObject(11) == null ? "" : String.valueOf(rs.getInt(11)),
                        localDate(rs.getDate(12)),
                        years(rs.getArray(13))))
                .list();
        Map<Long, String> childOf = new HashMap<>();
        Map<String, Rec> first = new LinkedHashMap<>();
        for (Rec r : records) {
            childOf.put(r.id(), r.child());
            if (first.putIfAbsent(r.child(), r) != null) {
                notes.add(new Note(r.child(), "duplicate-record", 1));
            }
        }
        Map<String, List<Episode>> episodes = new HashMap<>();
        jdbc.sql(
                        """
                SELECT ce.person_record_id, ce.decom, ce.rne, ce.ls, ce.cin, ce.place, ce.place_provider, ce.dec, ce.rec,
                       ce.reason_place_change, ce.home_post, ce.pl_post, ce.urn
                FROM care_episode ce WHERE ce.agency_id = :agency ORDER BY ce.decom""")
                .param("agency", la.agencyId())
                .query((rs, n) -> {
                    String child = childOf.get(rs.getLong(1));
                    if (child != null) {
                        episodes.computeIfAbsent(child, k -> new ArrayList<>())
                                .add(new Episode(
                                        localDate(rs.getDate(2)),
                                        nz(rs.getString(3)),
                                        nz(rs.getString(4)),
                                        nz(rs.getString(5)),
                                        nz(rs.getString(6)),
                                        nz(rs.getString(7)),
                                        localDate(rs.getDate(8)),
                                        nz(rs.getString(9)),
                                        nz(rs.getString(10)),
                                        nz(rs.getString(11)),
                                        nz(rs.getString(12)),
                                        nz(rs.getString(13))));
                    }
                    return 0;
                })
                .list();
        Map<String, List<Placement>> placements = new HashMap<>();
        jdbc.sql(
                        """
                SELECT p.person_record_id, p.placement_start, p.placement_end, p.placement_type, p.postcode,
                       p.legal_status, p.category_of_need
                FROM person_placement p JOIN person_record pr ON pr.id = p.person_record_id
                WHERE pr.agency_id = :agency""")
                .param("agency", la.agencyId())
                .query((rs, n) -> {
                    String child = childOf.get(rs.getLong(1));
                    if (child != null) {
                        placements
                                .computeIfAbsent(child, k -> new ArrayList<>())
                                .add(new Placement(
                                        localDate(rs.getDate(2)),
                                        localDate(rs.getDate(3)),
                                        rs.getString(4),
                                        rs.getString(5),
                                        rs.getString(6),
                                        rs.getString(7)));
                    }
                    return 0;
                })
                .list();
        Map<String, List<Period>> periods = new HashMap<>();
        // Calendar dates as the DfE counts them: in England's time zone. SSDA903-imported rows keep their own dates.
        jdbc.sql(
                        """
                SELECT me.person_record_id, me.category, mp.missing_episode_id IS NOT NULL,
                       coalesce(mp.mis_start, (coalesce(me.last_seen_at, me.reported_at) AT TIME ZONE 'Europe/London')::date),
                       CASE WHEN mp.missing_episode_id IS NOT NULL THEN mp.mis_end
                            ELSE (me.found_at AT TIME ZONE 'Europe/London')::date END
                FROM missing_episode me LEFT JOIN ssda903_missing_period mp ON mp.missing_episode_id = me.id
                WHERE me.agency_id = :agency""")
                .param("agency", la.agencyId())
                .query((rs, n) -> {
                    String child = childOf.get(rs.getLong(1));
                    if (child != null) {
                        periods.computeIfAbsent(child, k -> new ArrayList<>())
                                .add(new Period(
                                        "away".equals(rs.getString(2)) ? "A" : "M",
                                        localDate(rs.getDate(4)),
                                        localDate(rs.getDate(5)),
                                        rs.getBoolean(3)));
                    }
                    return 0;
                })
                .list();
        List<Child> out = new ArrayList<>();
        for (Rec r : first.values()) {
            List<Episode> held = episodes.getOrDefault(r.child(), List.of());
            boolean derived = held.isEmpty();
            List<Episode> eps = derived
                    ? ExportBuilder.fromPlacements(placements.getOrDefault(r.child(), List.of()), r.child(), notes)
                    : held;
            out.add(new Child(
                    r.child(),
                    r.sex(),
                    r.dob(),
                    r.ethnic(),
                    r.upn(),
                    r.mother(),
                    r.mcDob(),
                    eps,
                    derived,
                    periods.getOrDefault(r.child(), List.of()),
                    r.headerYears()));
        }
        return out;
    }

    private static Set<Integer> years(java.sql.Array a) throws SQLException {
        if (a == null) {
            return java.util.Set.of();
        }
        Set<Integer> out = new HashSet<>();
        for (Object o : (Object[]) a.getArray()) {
            out.add(((Number) o).intValue());
        }
        return out;
    }

    private static String sex(String s) {
        return "male".equals(s) ? "1" : "female".equals(s) ? "2" : "";
    }

    /** Only a full date of birth is an SSDA903 DOB. */
    private static LocalDate dob(ResultSet rs) throws SQLException {
        if (rs.getObject(4) == null || rs.getObject(5) == null || rs.getObject(6) == null) {
            return null;
        }
        try {
            return LocalDate.of(rs.getInt(4), rs.getInt(5), rs.getInt(6));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** DfE codes pass through; refused is REFU; anything else (other schemes, unknown) is NOBT, not obtained. */
    private static String ethnic(String code, String scheme, String status) {
        if ("DFE".equals(scheme) && code != null && !code.isBlank()) {
            return code.strip();
        }
        return "refused".equals(status) ? "REFU" : "NOBT";
    }

    private static LocalDate localDate(Date d) {
        return d == null ? null : d.toLocalDate();
    }

    private static String nz(String s) {
        return s == null ? "" : s.strip();
    }
}
