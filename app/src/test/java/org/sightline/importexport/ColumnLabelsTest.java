package org.sightline.importexport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.sightline.web.MessageBundleTestAccess;

/** Every standard column has a human label, and the correction form places each error under its own field only. */
class ColumnLabelsTest {

    @Test
    void everyStandardColumnHasAHumanLabel() throws Exception {
        Properties messages = MessageBundleTestAccess.allMessages();
        List<String> missing = new ArrayList<>();
        for (ImportKind kind : ImportKind.values()) {
            kind.columns().forEach(c -> {
                if (!messages.containsKey("import.column." + c.name())) {
                    missing.add(kind.code() + "." + c.name());
                }
            });
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void theApiDocumentListsEveryKind() {
        // OpenAPI annotations need constants: the list in ImportApiController must follow ImportKind.
        io.swagger.v3.oas.annotations.Parameter kind = java.util.Arrays.stream(
                        ImportApiController.class.getDeclaredMethods())
                .filter(m -> m.getName().equals("create"))
                .flatMap(m -> java.util.Arrays.stream(m.getParameters()))
                .map(p -> p.getAnnotation(io.swagger.v3.oas.annotations.Parameter.class))
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElseThrow();
        assertThat(kind.schema().allowableValues())
                .containsExactly(java.util.Arrays.stream(ImportKind.values())
                        .map(ImportKind::code)
                        .toArray(String[]::new));
    }

    @Test
    void eachErrorIsShownOnceUnderTheFieldItConcerns() {
        RowError dob = new RowError("E1003", 3, "dob", "must be a real date as yyyy-mm-dd, yyyy-mm or yyyy");
        RowError sex = new RowError("E1004", 3, "sex", "must be one of male, female, unknown");
        RowError fields =
                new RowError("E1001", 3, "family_name", "required column family_name is missing from the header");
        Map<String, String> raw = new java.util.LinkedHashMap<>();
        raw.put("Ref", "BR-2");
        raw.put("DOB", "2011-13-40");
        raw.put("Gender", "x");
        raw.put("Ignored", "y");
        QuarantinedRow row = new QuarantinedRow(
                java.util.UUID.randomUUID(), 3, "BR-2", raw, List.of(dob, sex, fields), "quarantined", null, 0);
        // A mapping profile: the file's own column names feed standard columns; "Ignored" feeds none.
        QuarantineForm form = QuarantineForm.of(row, Map.of("Ref", "record_ref", "DOB", "dob", "Gender", "sex"));
        assertThat(form.fields()).extracting(QuarantineForm.Field::id).containsExactly("v0", "v1", "v2", "v3");
        assertThat(form.fields().get(0).errors()).isEmpty();
        assertThat(form.fields().get(1).errors()).containsExactly(dob);
        assertThat(form.fields().get(2).errors()).containsExactly(sex);
        assertThat(form.fields().get(3).column()).isNull();
        assertThat(form.rowErrors()).containsExactly(fields);
        assertThat(form.problems()).extracting(QuarantineForm.Problem::field).containsExactly("v0", "v1", "v2");
        assertThat(form.line()).isNull();

        // A row with the wrong number of fields is corrected whole, as one CSV line: its problems link there.
        RowError count = new RowError("E1008", 3, null, "the row has 5 fields, the header has 4");
        QuarantineForm whole = QuarantineForm.of(
                new QuarantinedRow(row.id(), 3, "BR-2", raw, List.of(count), "quarantined", null, 0),
                Map.of("Ref", "record_ref"));
        assertThat(whole.line()).isEqualTo("BR-2,2011-13-40,x,y");
        assertThat(whole.problems()).extracting(QuarantineForm.Problem::field).containsExactly("line");
    }
}
