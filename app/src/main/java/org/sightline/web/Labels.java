package org.sightline.web;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What pages show for stored codes and missing values ({@code ${@labels....}}): a code list's label, an agency's
 * name for its code, "Not recorded" for nothing. One place, so that no page shows a raw code or "null".
 */
@Component("labels")
public class Labels {

    private final MessageSource messages;
    private final JdbcClient jdbc;

    Labels(MessageSource messages, JdbcClient jdbc) {
        this.messages = messages;
        this.jdbc = jdbc;
    }

    /**
     * The label of {@code code} in the code list {@code list} (message {@code code.<list>.<code>}); a value that is
     * not a code of the list is free text as typed, shown as it is; nothing is "Not recorded".
     */
    public String code(String list, String code) {
        if (code == null || code.isBlank()) {
            return notRecorded();
        }
        return messages.getMessage(
                "code." + list + "." + code.strip().toLowerCase(Locale.ROOT), null, code.strip(), locale());
    }

    /**
     * An agency or authority by its code (agency code, ONS code of a local authority or police force area): its
     * name; an unknown code as it is; nothing is "Not recorded".
     */
    public String agency(String code) {
        if (code == null || code.isBlank()) {
            return notRecorded();
        }
        return jdbc.sql(
                        """
                SELECT name FROM (
                  SELECT name, 1 AS pref FROM agency WHERE code = :c
                  UNION ALL SELECT name, 2 FROM (SELECT name FROM ref_local_authority WHERE ons_code = :c
                                                 ORDER BY valid_from DESC LIMIT 1) la
                  UNION ALL SELECT force_name, 3 FROM ref_police_force WHERE ons_pfa_code = :c OR police_uk_force_id = :c
                ) n ORDER BY pref LIMIT 1""")
                .param("c", code.strip())
                .query(String.class)
                .optional()
                .orElse(code.strip());
    }

    /** The non-blank parts joined by {@code separator}, or "Not recorded" when there are none. */
    public String join(String separator, String... parts) {
        String joined = parts(separator, parts);
        return joined.isEmpty() ? notRecorded() : joined;
    }

    /** The non-blank parts joined by {@code separator}; "" when there are none (for a line shown only if non-empty). */
    public String parts(String separator, String... parts) {
        return Arrays.stream(parts)
                .filter(Objects::nonNull)
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.joining(separator));
    }

    /** The value, or "Not recorded" when there is none. */
    public String orNotRecorded(Object value) {
        return value == null || value.toString().isBlank() ? notRecorded() : value.toString();
    }

    public String notRecorded() {
        return messages.getMessage("value.not_recorded", null, locale());
    }

    private static Locale locale() {
        return LocaleContextHolder.getLocale();
    }
}
