package org.sightline.concern;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sightline.shared.Violation;
import org.sightline.web.FieldError;

/** Web-form helpers: session drafts for multi-page flows and the mapping of service rules to messages. */
final class ConcernForms {

    private ConcernForms() {}

    /**
     * Service violations as GOV.UK field errors: the field id is the last part of the field path, the message key
     * {@code concern.error.<field path without indexes>.<rule>}.
     */
    static List<FieldError> errors(List<Violation> violations) {
        List<FieldError> errors = new ArrayList<>();
        for (Violation v : violations) {
            String path = v.field().replaceAll("\\[\\d+]", "");
            String id = path.substring(path.lastIndexOf('.') + 1);
            FieldError e = new FieldError(id, "concern.error." + path + "." + v.rule());
            if (!errors.contains(e)) {
                errors.add(e);
            }
        }
        return errors;
    }

    /** A concern being raised, kept in the session between question pages (no JavaScript needed). */
    static final class RaiseDraft implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        List<String> indicators = new ArrayList<>();
        String summary;
        /** When the concern arose: now (when it is raised), on a date given below, or not known. */
        String when = "now";

        String day;
        String month;
        String year;

        /**
         * The date as the service reads it (raisedOn): null for now, not_known, or yyyy, yyyy-mm, yyyy-mm-dd from the
         * parts given (a day without a month, or a part that is not a number, is kept as typed and refused).
         */
        String raisedOn() {
            if ("not_known".equals(when)) {
                return "not_known";
            }
            if (!"date".equals(when)) {
                return null;
            }
            String d = day == null ? "" : day.strip();
            String m = month == null ? "" : month.strip();
            String y = year == null ? "" : year.strip();
            if (y.isEmpty() || (m.isEmpty() && !d.isEmpty())) {
                return "missing";
            }
            return y + (m.isEmpty() ? "" : "-" + m) + (d.isEmpty() ? "" : "-" + d);
        }

        static String key(Object recordId) {
            return "concern-draft-" + recordId;
        }
    }

    /** A screening being answered section by section. */
    static final class ScreeningDraft implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        final String instrumentCode;
        final int instrumentVersion;
        final Map<String, Set<String>> answers = new LinkedHashMap<>();
        /** Sections the user has been through, so "check answers" is reachable only at the end. */
        final java.util.Set<String> seen = new java.util.HashSet<>();
        /** Items pre-ticked from the concern's indicators, so the pages can say where the ticks came from. */
        final java.util.Set<String> prefilled = new java.util.HashSet<>();

        ScreeningDraft(String instrumentCode, int instrumentVersion) {
            this.instrumentCode = instrumentCode;
            this.instrumentVersion = instrumentVersion;
        }

        static String key(Object concernId) {
            return "screening-draft-" + concernId;
        }
    }
}
