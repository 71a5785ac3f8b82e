package org.sightline.linkage.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sightline.linkage.model.FieldSpec;
import org.sightline.linkage.model.FieldType;
import org.sightline.linkage.model.LinkType;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.normalise.NicknameTable;
import org.sightline.linkage.normalise.PreparedRecord;
import org.sightline.linkage.normalise.Preparer;

class BlockerTest {
    private static final List<FieldSpec> FIELDS =
            List.of(FieldSpec.of("given", FieldType.GIVEN_NAME), FieldSpec.of("family", FieldType.FAMILY_NAME));
    private static final Preparer PREPARER = new Preparer(FIELDS, NicknameTable.shipped());

    private static PreparedRecord[] records(String[][] rows) {
        PreparedRecord[] out = new PreparedRecord[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = PREPARER.prepare(new Record("r" + i, "", rows[i]), 0);
        }
        return out;
    }

    private static List<BlockingRule> rules(String... keys) {
        List<BlockingRule> out = new ArrayList<>();
        for (String k : keys) {
            out.add(BlockingRule.compile(new BlockingRuleSpec(k, List.of(k), true), FIELDS));
        }
        return out;
    }

    @Test
    void reportsRecordsEachRuleAndAllRulesLeaveWithoutAPair() {
        PreparedRecord[] recs = records(new String[][] {
            {"amy", "ash"}, // 0: family block with 1
            {"amy", "ash"}, // 1
            {"ben", null}, // 2: no family key; given block alone -> no pair at all
            {"cara", "cole"}, // 3: alone under family; given block with 4
            {"cara", "dean"}, // 4: alone under family
            {null, "eve"}, // 5: no given key; alone under family -> no pair at all
        });
        Blocker.Result r = new Blocker(rules("family", "given"), LinkType.DEDUPE, 1000, 10, 2)
                .generate(recs, (i, j) -> 0L, x -> {});
        // pairs: (0,1) by family; (3,4) by given; (0,1) again by given is not repeated
        assertThat(r.pairs().size()).isEqualTo(2);
        Blocker.RuleStats family = r.rules().get(0);
        assertThat(family.recordsWithoutKey()).isEqualTo(1); // record 2
        assertThat(family.recordsAloneInBlock()).isEqualTo(3); // 3, 4, 5
        Blocker.RuleStats given = r.rules().get(1);
        assertThat(given.recordsWithoutKey()).isEqualTo(1); // record 5
        assertThat(given.recordsAloneInBlock()).isEqualTo(1); // record 2 ("ben")
        assertThat(r.recordsWithoutPair()).isEqualTo(2); // records 2 and 5
    }

    /** Many small blocks and a big one: every pair once, the same set as counted by brute force. */
    @Test
    void pairsAcrossManyBlocksAreEachMadeOnceAndBlocksHoldThemExactly() {
        int n = 90_000;
        String[][] rows = new String[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = new String[] {"g" + (i % 30_000), "f" + (i % 7)};
        }
        PreparedRecord[] recs = records(rows);
        // given: 30,000 blocks of 3 (3 pairs each); family: 7 oversized blocks, windowed
        Blocker.Result r = new Blocker(rules("given"), LinkType.DEDUPE, 1000, 10, 2)
                .generate(recs, (i, j) -> (long) i * n + j, x -> {});
        assertThat(r.pairs().size()).isEqualTo(90_000);
        Set<Long> seen = new HashSet<>();
        for (int p = 0; p < r.pairs().size(); p++) {
            int a = r.pairs().a(p);
            int b = r.pairs().b(p);
            assertThat(a % 30_000).isEqualTo(b % 30_000);
            assertThat(r.pairs().pattern(p)).isEqualTo((long) a * n + b);
            assertThat(seen.add((long) a * n + b)).isTrue();
        }
        // more than one 64k block, the last exactly sized
        assertThat(r.pairs().bytes()).isEqualTo(90_000L * CandidatePairs.BYTES_PER_PAIR);
    }
}
