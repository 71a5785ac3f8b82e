package org.sightline.person;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One owner writes {@code person_record}: SQL in main sources outside {@code org.sightline.person} must not insert,
 * update, delete, copy into or merge into the table. Others call {@link PersonRecords}. Test fixtures may still write.
 */
class PersonRecordOwnerTest {

    /** A write statement naming person_record as its target (not person_record_id, not a read). */
    static final Pattern WRITE = Pattern.compile(
            "\\b(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|COPY|MERGE\\s+INTO|TRUNCATE(\\s+TABLE)?)\\s+(ONLY\\s+)?person_record\\b(?!_)",
            Pattern.CASE_INSENSITIVE);

    static List<String> writes(String source) {
        List<String> found = new ArrayList<>();
        Matcher m = WRITE.matcher(source);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    @Test
    void onlyThePersonPackageWritesPersonRecords() throws IOException {
        Path main = Path.of("src/main/java/org/sightline");
        assertThat(main).isDirectory();
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (file.startsWith(main.resolve("person"))) {
                    continue;
                }
                for (String write : writes(Files.readString(file))) {
                    offenders.add(main.relativize(file) + ": " + write);
                }
            }
        }
        assertThat(offenders)
                .as("SQL writing person_record outside org.sightline.person")
                .isEmpty();
    }

    @Test
    void theDetectorFindsTheWritesThatUsedToBeElsewhere() {
        // Statements as intake, importexport, ssda903 and identity held them before person became the only writer.
        assertThat(
                        writes(
                                """
                INSERT INTO person_record (agency_id, record_ref, given_name) VALUES (?, ?, ?) RETURNING id"""))
                .hasSize(1);
        assertThat(writes("  UPDATE person_record t SET\n given_name = s.given_name"))
                .hasSize(1);
        assertThat(writes("UPDATE person_record SET identity_id = ? WHERE identity_id = ?"))
                .hasSize(1);
        assertThat(writes("update\n  person_record pr SET identity_id = r.identity_id"))
                .hasSize(1);
        assertThat(writes("COPY person_record FROM STDIN WITH (FORMAT csv)")).hasSize(1);
        assertThat(writes("delete from person_record where id = ?")).hasSize(1);
        assertThat(writes("MERGE INTO person_record t USING stage s ON t.id = s.id"))
                .hasSize(1);
        // Reads, and writes of other tables that mention the column person_record_id, are not writes of the table.
        assertThat(writes("SELECT id FROM person_record WHERE public_id = ?")).isEmpty();
        assertThat(writes("INSERT INTO person_alias (person_record_id, full_name)"))
                .isEmpty();
        assertThat(writes("UPDATE ssda903_child SET mother = ? WHERE person_record_id = ?"))
                .isEmpty();
        assertThat(writes("UPDATE person_record_note SET x = 1")).isEmpty();
    }
}
