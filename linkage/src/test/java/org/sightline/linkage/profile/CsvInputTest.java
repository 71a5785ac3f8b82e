package org.sightline.linkage.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.linkage.model.Record;

class CsvInputTest {
    /** Repeated values are held once (national files repeat agency codes, sexes, birth dates and names). */
    @Test
    void repeatedValuesShareOneString(@TempDir Path dir) throws Exception {
        Profile profile = Profile.parse(
                """
                csv: {id_columns: [agency, ref], source_column: agency}
                fields:
                  - {name: given_name, column: first, type: given_name}
                  - {name: sex, type: code}
                comparisons:
                  - {field: given_name}
                blocking: {rules: [{name: g, keys: [given_name]}]}
                training: {prior: {probability: 0.01}}
                """);
        Path csv = dir.resolve("in.csv");
        Files.writeString(csv, "agency,ref,first,sex\nA1,R1,amy,female\nA1,R2,amy,female\nB2,R1,ben,male\n");
        List<Record> r = CsvInput.read(profile, List.of(csv), null, null).records();
        assertThat(r.get(0).value(0)).isEqualTo("amy").isSameAs(r.get(1).value(0));
        assertThat(r.get(0).value(1)).isSameAs(r.get(1).value(1));
        assertThat(r.get(0).source()).isEqualTo("A1").isSameAs(r.get(1).source());
        assertThat(r.get(2).value(0)).isEqualTo("ben");
        assertThat(r.stream().map(Record::id)).containsExactly("A1/R1", "A1/R2", "B2/R1");
    }
}
