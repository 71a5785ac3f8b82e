package org.sightline.ssda903;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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

    /** By ONS code (the agency code) or by the DfE 3-digit LA number of a live authority. */
    Optional<Authority> authority(String codeOrNumber) {
        String code = codeOrNumber == null ? "" : codeOrNumber.strip().toUpperCase(Locale.ROOT);
        return jdbc.sql("""
                SELECT a.id, a.code, a.name,
                       (SELECT la.la_number FROM ref_local_authority la
                        WHERE la.ons_code = a.code AND la.valid_to IS NULL ORDER BY la.valid_from DESC LIMIT 1)
                FROM agency a
                WHERE a.agency_type = 'local_authority' AND a.active
                  AND (upper(a.code) = :code OR a.code IN (SELECT ons_code FROM ref_local_authority
                                                         WHERE la_number = :code AND valid_to IS NULL))
                ORDER BY a.id LIMIT 1""")
                .param("code", code)
                .query((rs, n) -> new Authority(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .optional();
    }

    /**
     * The authority's looked-after children it is responsible for, with their whole history. Two records of the
     * authority with the same CHILD id are one child (the older record gives the Header facts).
     */
    List<Child> children(Authority la, List<Note> notes) {
        record Rec(long id, String child, String sex, LocalDate dob, String ethnic, String upn, String mother,
                   LocalDate mcDob) {
        }
        List<Rec> records = jdbc.sql("""
                SELECT pr.id, pr.local_child_id, pr.sex, pr.dob_year, pr.dob_month, pr.dob_day, pr.ethnicity_code,
                       pr.ethnicity_scheme, pr.ethnicity_status, pr.upn, sc.mother, sc.mc_dob
                FROM person_record pr LEFT JOIN ssda903_child sc ON sc.person_record_id = pr.id
                WHERE pr.agency_id = :agency AND pr.care_status = 'looked_after'
                  AND coalesce(pr.local_child_id, '') <> ''
                  AND (pr.responsible_authority IS NULL OR pr.responsible_authority = :code)
                ORDER BY pr.id""")
                .param("agency", la.agencyId()).param("code", la.code())
                .query((rs, n) -> new Rec(rs.getLong(1), rs.getString(2).strip(), sex(rs.getString(3)), dob(rs),
                        ethnic(rs.getString(7), rs.getString(8), rs.getString(9)), nz(rs.getString(10)),
                        rs.getObject(11) == null ? "" : String.valueOf(rs.getInt(11)), localDate(rs.getDate(12))))
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
        jdbc.sql("""
                SELECT ce.person_record_id, ce.decom, ce.rne, ce.ls, ce.cin, ce.place, ce.place_provider, ce.dec, ce.rec,
                       ce.reason_place_change, ce.home_post, ce.pl_post, ce.urn
                FROM care_episode ce WHERE ce.agency_id = :agency ORDER BY ce.decom""")
                .param("agency", la.agencyId())
                .query((rs, n) -> {
                    String child = childOf.get(rs.getLong(1));
                    if (child != null) {
                        episodes.computeIfAbsent(child, k -> new ArrayList<>()).add(new Episode(localDate(rs.getDate(2)),
                                nz(rs.getString(3)), nz(rs.getString(4)), nz(rs.getString(5)), nz(rs.getString(6)),
                                nz(rs.getString(7)), localDate(rs.getDate(8)), nz(rs.getString(9)), nz(rs.getString(10)),
                                nz(rs.getString(11)), nz(rs.getString(12)), nz(rs.getString(13))));
                    }
                    return 0;
                }).list();
        Map<String, List<Placement>> placements = new HashMap<>();
        jdbc.sql("""
                SELECT p.person_record_id, p.placement_start, p.placement_end, p.placement_type, p.postcode
                FROM person_placement p JOIN person_record pr ON pr.id = p.person_record_id
                WHERE pr.agency_id = :agency""")
                .param("agency", la.agencyId())
                .query((rs, n) -> {
                    String child = childOf.get(rs.getLong(1));
                    if (child != null) {
                        placements.computeIfAbsent(child, k -> new ArrayList<>()).add(new Placement(localDate(rs.getDate(2)),
                                localDate(rs.getDate(3)), rs.getString(4), rs.getString(5)));
                    }
                    return 0;
                }).list();
        Map<String, List<Period>> periods = new HashMap<>();
        // Calendar dates as the DfE counts them: in England's time zone. SSDA903-imported rows keep their own dates.
        jdbc.sql("""
                SELECT me.person_record_id, me.category,
                       coalesce(mp.mis_start, (coalesce(me.last_seen_at, me.reported_at) AT TIME ZONE 'Europe/London')::date),
                       CASE WHEN mp.missing_episode_id IS NOT NULL THEN mp.mis_end
                            ELSE (me.found_at AT TIME ZONE 'Europe/London')::date END
                FROM missing_episode me LEFT JOIN ssda903_missing_period mp ON mp.missing_episode_id = me.id
                WHERE me.agency_id = :agency""")
                .param("agency", la.agencyId())
                .query((rs, n) -> {
                    String child = childOf.get(rs.getLong(1));
                    if (child != null) {
                        periods.computeIfAbsent(child, k -> new ArrayList<>()).add(new Period(
                                "away".equals(rs.getString(2)) ? "A" : "M", localDate(rs.getDate(3)), localDate(rs.getDate(4))));
                    }
                    return 0;
                }).list();
        List<Child> out = new ArrayList<>();
        for (Rec r : first.values()) {
            List<Episode> held = episodes.getOrDefault(r.child(), List.of());
            boolean derived = held.isEmpty();
            List<Episode> eps = derived
                    ? ExportBuilder.fromPlacements(placements.getOrDefault(r.child(), List.of()), r.child(), notes)
                    : held;
            out.add(new Child(r.child(), r.sex(), r.dob(), r.ethnic(), r.upn(), r.mother(), r.mcDob(), eps, derived,
                    periods.getOrDefault(r.child(), List.of())));
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
