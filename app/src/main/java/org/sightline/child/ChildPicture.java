package org.sightline.child;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.sightline.access.AgencyScope.ChildAccess;

/**
 * What a user may see of one child. With {@link ChildAccess#EXISTENCE_ONLY} only {@code holders} is filled: which
 * agencies hold records and whom to contact, never a name, date of birth or detail. Texts are resolved labels
 * (never codes); instants are UTC and formatted by the page.
 */
public record ChildPicture(UUID identityId, ChildAccess access, List<Holder> holders, Full picture) {

    /** An agency holding records of the child: the contact for a user who may only know that records exist. */
    public record Holder(String agencyName, String agencyType, int records) {}

    public record Full(
            String name,
            List<LinkedRecord> records,
            List<Fact> facts,
            Counts counts,
            CurrentRisk currentRisk,
            List<Entry> chronology,
            List<Connection> connections,
            GrabProfile grabProfile) {}

    /**
     * One agency's record, and why it is linked: the strongest stored link it takes part in, with the other
     * record's agency, in plain words ({@code why}); empty for a record linked by a supervisor's decision alone.
     */
    public record LinkedRecord(
            UUID publicId,
            String agencyName,
            String agencyType,
            String recordRef,
            String name,
            String dateOfBirth,
            String linkedWith,
            Double probability,
            boolean bySupervisor,
            List<String> why) {}

    /** A fact as each record holds it; {@code conflict} when records disagree on a recorded value. */
    public record Fact(String label, List<FactValue> values, boolean conflict) {}

    public record FactValue(String value, List<String> sources) {}

    /** Repeat missing, counted in incidents (one incident however many agencies recorded it). */
    public record Counts(int last30Days, int last90Days, int last365Days, int incidents, int episodeRecords) {}

    public record CurrentRisk(
            String riskGrade,
            Instant gradedAt,
            String gradedBy,
            String gradedByAgency,
            OpenEpisode openEpisode,
            String screeningBand,
            Instant screenedAt,
            String screenedByAgency) {}

    public record OpenEpisode(Instant missingSince, long hoursMissing, List<Source> sources) {}

    /**
     * One line of the chronology. {@code detail} is where the child was last seen or found, or who graded or
     * screened; {@code sources} has more than one entry when several agencies recorded the same step of the same
     * incident; {@code note} says when the incident crossed a force border; {@code alert} is set on an alert's entry;
     * {@code when}, when set, is the date as far as it is known (a concern dated only to a month: "March 2024"), shown
     * instead of {@code at}, which then only orders the entry (the start of that period; null when not known).
     */
    public record Entry(
            Instant at,
            String kind,
            String what,
            String detail,
            String note,
            List<Source> sources,
            Alert alert,
            String when) {
        public Entry(Instant at, String kind, String what, String detail, String note, List<Source> sources) {
            this(at, kind, what, detail, note, sources, null, null);
        }

        public Entry(
                Instant at, String kind, String what, String detail, String note, List<Source> sources, Alert alert) {
            this(at, kind, what, detail, note, sources, alert, null);
        }
    }

    /**
     * An alert raised about the child (kind "alert"): the rule in plain words, its explanation, the agencies it was
     * routed to, and its state for the viewer's agency ({@code state} and {@code href} null when it was not sent there).
     */
    public record Alert(
            UUID publicId, String rule, String explanation, List<String> routedTo, String state, String href) {}

    /** An agency's record of an event, linking to its episode or concern page. */
    public record Source(String agencyName, String ref, String href) {}

    public record Connection(String kind, String description, String how, String heldBy) {}

    public record GrabProfile(
            Instant recordedAt,
            String agencyName,
            String description,
            String clothing,
            String associates,
            String placesFrequented,
            String phones,
            String vulnerabilities) {}
}
