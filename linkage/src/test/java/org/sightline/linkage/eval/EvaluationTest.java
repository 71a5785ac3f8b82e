package org.sightline.linkage.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sightline.linkage.LinkResult;
import org.sightline.linkage.Linker;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.profile.Profile;

class EvaluationTest {
    private static final String PROFILE =
            """
            name: many_sources
            link_type: link_only
            csv: {id_column: id}
            fields:
              - {name: given_name, type: given_name}
            comparisons:
              - {field: given_name}
            blocking:
              rules:
                - {name: given, keys: [given_name]}
            training:
              u_sample_pairs: 2000
              prior: {probability: 0.01}
            """;

    /**
     * More than 31 sources, link_only: true pairs are counted across sources only. Entity E0 has records in sources 0
     * and 31, entity E1 in sources 1 and 0; every other record is alone. So there are exactly 2 true pairs, each
     * across two sources. A key packed as entity * 31 + source made (E0, source 31) and (E1, source 0) one "same
     * source" group and counted 1.
     */
    @Test
    void truePairsAcrossMoreThan31SourcesAreCountedOnce() {
        List<Record> records = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        records.add(new Record("r0", "s0", new String[] {"amy"}));
        truth.add("E0");
        records.add(new Record("r1", "s1", new String[] {"ben"}));
        truth.add("E1");
        for (int s = 2; s <= 30; s++) {
            records.add(new Record("r" + s, "s" + s, new String[] {"name" + s}));
            truth.add("alone" + s);
        }
        records.add(new Record("r31", "s31", new String[] {"amy"}));
        truth.add("E0");
        records.add(new Record("r32", "s0", new String[] {"ben"}));
        truth.add("E1");

        LinkResult r = new Linker(Profile.parse(PROFILE).config()).link(records);
        assertThat(r.sourceIndex(31)).isEqualTo(31);
        assertThat(r.sourceIndex(32)).isZero();
        Evaluation e = Evaluation.of(r, truth);
        assertThat(e.truePairs()).isEqualTo(2);
    }
}
