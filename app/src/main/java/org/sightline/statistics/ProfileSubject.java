package org.sightline.statistics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One child (or adult) of a profile, its facts gathered across all its records by the most-informative rule
 * ({@link Fact}), in two steps so that the first can be kept ({@link VictimAggregate}): {@link Gatherer} reads the
 * records into what does not depend on the as-at date, and {@link #at} settles the rest — the age band, and reported
 * missing, which an episode reported by the as-at date makes yes.
 *
 * @param settled         each fact that does not depend on the as-at date: a code, or NOT_KNOWN / NOT_RECORDED /
 *                        CONFLICTING
 * @param conflicting     the known values of each fact whose records disagree (listed for correction)
 * @param recordedMissing reported missing as the records say it, yes when any says yes (victims; null for adults)
 * @param firstEpisode    the earliest report of a missing episode of any of its records, if any
 * @param dobs            the date of birth of each record that has a year, as year, month, day (month or day null
 *                        where not recorded)
 */
record ProfileSubject(
        long id,
        int records,
        Map<String, String> settled,
        Map<String, List<String>> conflicting,
        String recordedMissing,
        Instant firstEpisode,
        List<Integer[]> dobs) {

    /** The dimensions a profile counts, in the order it shows them. */
    static List<String> dimensions(ProfileKind kind) {
        return kind == ProfileKind.VICTIM
                ? List.of(
                        "sex",
                        "ethnicity",
                        "ethnic_group",
                        "reported_missing",
                        "looked_after",
                        "age_band",
                        "cp_plan",
                        "known_to_social_care")
                : List.of("sex", "ethnicity", "ethnic_group", "age_band");
    }

    /** Each dimension's value for this subject as at a date, and the conflicts to list, in dimension order. */
    record Resolved(Map<String, String> values, List<Profile.Conflict> conflicts) {}

    /** {@code asAtEnd}: the instant the as-at day ends in London ({@link Profiles#endOf}), worked out once per profile. */
    Resolved at(ProfileKind kind, LocalDate asAt, Instant asAtEnd) {
        Map<String, String> values = new LinkedHashMap<>();
        List<Profile.Conflict> conflicts = new ArrayList<>();
        for (String d : dimensions(kind)) {
            switch (d) {
                case "reported_missing" -> values.put(
                        d, firstEpisode != null && firstEpisode.isBefore(asAtEnd) ? "YES" : recordedMissing);
                case "age_band" -> {
                    Fact f = new Fact();
                    for (Integer[] dob : dobs) {
                        f.add(Profiles.ageBand(dob[0], dob[1], dob[2], asAt, kind));
                    }
                    values.put(d, f.result());
                    if (Fact.CONFLICTING.equals(f.result())) {
                        conflicts.add(new Profile.Conflict(id, d, List.copyOf(f.known())));
                    }
                }
                default -> {
                    values.put(d, settled.get(d));
                    List<String> known = conflicting.get(d);
                    if (known != null) {
                        conflicts.add(new Profile.Conflict(id, d, known));
                    }
                }
            }
        }
        return new Resolved(values, conflicts);
    }

    /**
     * Reads one subject's records as they stream past in subject order (columns: sex, ethnicity_status,
     * ethnicity_scheme, ethnicity_code, dob_year, dob_month, dob_day, and for victims care_status, cp_plan,
     * known_to_social_care, reported_missing, first_episode).
     */
    static final class Gatherer {

        private final ProfileKind kind;
        private final long id;
        private final Map<String, Fact> facts = new LinkedHashMap<>();
        private final Fact missing = new Fact();
        private final List<Integer[]> dobs = new ArrayList<>();
        private Instant firstEpisode;
        private int records;

        Gatherer(ProfileKind kind, long id) {
            this.kind = kind;
            this.id = id;
            for (String d : dimensions(kind)) {
                if (!d.equals("age_band") && !d.equals("reported_missing")) {
                    facts.put(d, new Fact());
                }
            }
        }

        long id() {
            return id;
        }

        void record(ResultSet rs) throws SQLException {
            records++;
            facts.get("sex").add(Profiles.sex(rs.getString("sex")));
            Ethnicities.Mapped e = Ethnicities.map(
                    rs.getString("ethnicity_status"), rs.getString("ethnicity_scheme"), rs.getString("ethnicity_code"));
            facts.get("ethnicity").add(e.detail());
            facts.get("ethnic_group").add(e.group());
            Integer year = (Integer) rs.getObject("dob_year");
            if (year != null) { // a date of birth without a year adds nothing to the age band
                dobs.add(new Integer[] {year, (Integer) rs.getObject("dob_month"), (Integer) rs.getObject("dob_day")});
            }
            if (kind == ProfileKind.VICTIM) {
                facts.get("looked_after").add(Profiles.care(rs.getString("care_status")));
                facts.get("cp_plan").add(Profiles.tri(rs.getString("cp_plan")));
                facts.get("known_to_social_care").add(Profiles.tri(rs.getString("known_to_social_care")));
                missing.add(Profiles.tri(rs.getString("reported_missing")));
                Timestamp episode = rs.getTimestamp("first_episode");
                if (episode != null
                        && (firstEpisode == null || episode.toInstant().isBefore(firstEpisode))) {
                    firstEpisode = episode.toInstant();
                }
            }
        }

        ProfileSubject finish() {
            Map<String, String> settled = new LinkedHashMap<>();
            Map<String, List<String>> conflicting = new LinkedHashMap<>();
            String group = facts.get("ethnic_group").result();
            for (Map.Entry<String, Fact> e : facts.entrySet()) {
                Fact f = e.getValue();
                // Two groups can come from details that are each only partly known: the detail conflicts too.
                String result = "ethnicity".equals(e.getKey()) && Fact.CONFLICTING.equals(group)
                        ? Fact.CONFLICTING
                        : f.result();
                settled.put(e.getKey(), result);
                if (Fact.CONFLICTING.equals(result) && f.known().size() > 1) {
                    conflicting.put(e.getKey(), List.copyOf(f.known()));
                }
            }
            // Any agency's "yes" settles it; one not knowing, or saying no, is no contradiction of a report it lacks.
            String recorded = kind != ProfileKind.VICTIM ? null : missing.has("YES") ? "YES" : missing.result();
            return new ProfileSubject(id, records, settled, conflicting, recorded, firstEpisode, dobs);
        }
    }
}
