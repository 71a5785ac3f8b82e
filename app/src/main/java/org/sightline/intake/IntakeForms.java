package org.sightline.intake;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sightline.shared.ClockConfiguration;
import org.sightline.shared.InvalidRequestException;
import org.sightline.shared.Violation;
import org.sightline.web.FieldError;
import org.springframework.context.MessageSource;
import org.springframework.context.NoSuchMessageException;
import org.springframework.stereotype.Component;

/**
 * Form helpers shared by the episode pages: GOV.UK date-and-time entry in Europe/London, and the mapping of the
 * service's rule violations to the error summary and the field (templates call it as {@code @intakeForms}).
 */
@Component("intakeForms")
class IntakeForms {

    /** Fields entered as day/month/year/time: their error links to the day input. */
    private static final Set<String> DATE_TIME_FIELDS =
            Set.of("reportedAt", "lastSeenAt", "foundAt", "checkedAt", "at");

    private static final Pattern TIME = Pattern.compile("^(\\d{1,2})[:.]?(\\d{2})$");

    private final MessageSource messages;

    IntakeForms(MessageSource messages) {
        this.messages = messages;
    }

    public List<String> sexes() {
        return List.of("female", "male", "not_known", "not_recorded");
    }

    public List<String> missingFrom() {
        return List.of("home", "care", "other");
    }

    public List<String> categories() {
        return List.of("missing", "away");
    }

    public List<String> interviewOutcomes() {
        return List.of("offered", "accepted", "declined", "completed");
    }

    public boolean has(List<FieldError> errors, String field) {
        return errors != null && errors.stream().anyMatch(e -> e.field().equals(field));
    }

    /** The aria-describedby value for a field: its hint and its error, or null when there is neither. */
    public String describedBy(List<FieldError> errors, String field, boolean hint) {
        String ids = ((hint ? field + "-hint " : "") + (has(errors, field) ? field + "-error" : "")).trim();
        return ids.isEmpty() ? null : ids;
    }

    /** The page's id for a service field name: {@code reporter.name} → {@code reporterName}, dates → their day input. */
    static String fieldId(String field) {
        if (DATE_TIME_FIELDS.contains(field)) {
            return field + "Day";
        }
        return switch (field) {
            case "newPerson.dateOfBirth" -> "dobDay";
            case "reporter.name" -> "reporterName";
            case "reporter.role" -> "reporterRole";
            case "reporter.relationship" -> "reporterRelationship";
            default -> field.substring(field.lastIndexOf('.') + 1);
        };
    }

    /** Adds the violations of the fields this page asks for, skipping fields that already show an error. */
    void addViolations(InvalidRequestException e, Predicate<String> onThisPage, List<FieldError> errors) {
        for (Violation v : e.violations()) {
            String id = fieldId(v.field());
            if (onThisPage.test(v.field()) && !has(errors, id)) {
                errors.add(new FieldError(id, messageKey(v)));
            }
        }
    }

    /** Puts errors in the order the fields appear on the page, as the GOV.UK error summary expects. */
    static List<FieldError> inPageOrder(List<FieldError> errors, List<String> pageOrder) {
        List<FieldError> sorted = new ArrayList<>(errors);
        sorted.sort(java.util.Comparator.comparingInt(e -> {
            int i = pageOrder.indexOf(e.field());
            return i < 0 ? Integer.MAX_VALUE : i;
        }));
        return sorted;
    }

    /** {@code intake.error.<field>.<rule>}, or a plain fallback so a new rule never shows a raw key. */
    String messageKey(Violation v) {
        String key = "intake.error." + v.field() + "." + v.rule();
        try {
            messages.getMessage(key, null, Locale.UK);
            return key;
        } catch (NoSuchMessageException e) {
            return "intake.error.fallback";
        }
    }

    /**
     * A date and time as typed in Europe/London. Blank is null (an error when required); at a clock change the
     * earlier of two possible instants is taken, and a time that does not exist moves forward by the gap.
     */
    static Instant dateTime(
            String field,
            String day,
            String month,
            String year,
            String time,
            boolean required,
            List<FieldError> errors) {
        List<String> parts = new ArrayList<>(List.of(nz(day), nz(month), nz(year), nz(time)));
        String id = field + "Day";
        if (parts.stream().allMatch(String::isEmpty)) {
            if (required) {
                errors.add(new FieldError(id, "intake.error." + field + ".required"));
            }
            return null;
        }
        if (parts.stream().anyMatch(String::isEmpty)) {
            errors.add(new FieldError(id, "intake.error." + field + ".incomplete"));
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.of(
                    Integer.parseInt(parts.get(2)), Integer.parseInt(parts.get(1)), Integer.parseInt(parts.get(0)));
            if (date.getYear() < 1990 || date.getYear() > 2100) {
                throw new DateTimeException("year");
            }
        } catch (NumberFormatException | DateTimeException e) {
            errors.add(new FieldError(id, "intake.error." + field + ".real"));
            return null;
        }
        Matcher m = TIME.matcher(parts.get(3));
        LocalTime t;
        try {
            if (!m.matches()) {
                throw new DateTimeException("time");
            }
            t = LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (DateTimeException e) {
            errors.add(new FieldError(id, "intake.error." + field + ".time"));
            return null;
        }
        return ZonedDateTime.ofLocal(LocalDateTime.of(date, t), ClockConfiguration.DISPLAY_ZONE, null)
                .toInstant();
    }

    private static String nz(String s) {
        return s == null ? "" : s.strip();
    }
}
