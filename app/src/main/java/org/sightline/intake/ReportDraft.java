package org.sightline.intake;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.sightline.web.FieldError;

/**
 * A missing report being typed, kept in the HTTP session between the question pages so the journey works without
 * JavaScript. Holds the answers as typed; nothing is saved until the check-your-answers page is confirmed.
 */
class ReportDraft implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    static final String SESSION_KEY = "intake.reportDraft";

    record NewChild(String givenName, String familyName, String dobDay, String dobMonth, String dobYear, String sex)
            implements Serializable {

        String dateOfBirthIso() {
            if (blank(dobYear)) {
                return null;
            }
            String iso = dobYear.strip();
            if (!blank(dobMonth)) {
                iso += "-" + pad(dobMonth);
                if (!blank(dobDay)) {
                    iso += "-" + pad(dobDay);
                }
            } else if (!blank(dobDay)) {
                return "?";
            }
            return iso;
        }
    }

    record Circumstances(
            String reporterName,
            String reporterRole,
            String reporterRelationship,
            String reportedAtDay,
            String reportedAtMonth,
            String reportedAtYear,
            String reportedAtTime,
            String lastSeenAtDay,
            String lastSeenAtMonth,
            String lastSeenAtYear,
            String lastSeenAtTime,
            String lastSeenPlace,
            String lastSeenPostcode,
            String missingFrom,
            String category)
            implements Serializable {

        Instant reportedAt(List<FieldError> errors) {
            return IntakeForms.dateTime(
                    "reportedAt", reportedAtDay, reportedAtMonth, reportedAtYear, reportedAtTime, true, errors);
        }

        Instant lastSeenAt(List<FieldError> errors) {
            return IntakeForms.dateTime(
                    "lastSeenAt", lastSeenAtDay, lastSeenAtMonth, lastSeenAtYear, lastSeenAtTime, false, errors);
        }
    }

    record Grab(
            String description,
            String clothing,
            String associates,
            String placesFrequented,
            String phones,
            String vulnerabilities)
            implements Serializable {}

    UUID subjectRecordId;
    /** The chosen record's name and agency, for the check page (read under an audited view). */
    String subjectLabel;

    NewChild newChild;
    Circumstances circumstances;
    Grab grab;

    public UUID subjectRecordId() {
        return subjectRecordId;
    }

    public String subjectLabel() {
        return subjectLabel;
    }

    public NewChild newChild() {
        return newChild;
    }

    boolean hasSubject() {
        return subjectRecordId != null || newChild != null;
    }

    /** The API request this draft amounts to; date-time entry problems are added to {@code errors}. */
    EpisodeRequests.NewEpisode toRequest(List<FieldError> errors) {
        EpisodeRequests.NewPerson person = newChild == null
                ? null
                : new EpisodeRequests.NewPerson(
                        newChild.givenName(), newChild.familyName(), newChild.dateOfBirthIso(), newChild.sex());
        Circumstances c = circumstances == null
                ? new Circumstances(
                        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)
                : circumstances;
        Grab g = grab == null ? new Grab(null, null, null, null, null, null) : grab;
        return new EpisodeRequests.NewEpisode(
                subjectRecordId,
                person,
                new EpisodeRequests.Reporter(c.reporterName(), c.reporterRole(), c.reporterRelationship()),
                c.reportedAt(errors),
                c.lastSeenAt(errors),
                c.lastSeenPlace(),
                c.lastSeenPostcode(),
                c.missingFrom(),
                c.category(),
                new EpisodeRequests.GrabProfile(
                        g.description(),
                        g.clothing(),
                        g.associates(),
                        g.placesFrequented(),
                        g.phones(),
                        g.vulnerabilities()));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String pad(String s) {
        String t = s.strip();
        return t.length() == 1 ? "0" + t : t;
    }
}
