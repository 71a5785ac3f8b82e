package org.sightline.linkage.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sightline.linkage.LinkResult;
import org.sightline.linkage.LinkageConfig;
import org.sightline.linkage.Linker;
import org.sightline.linkage.block.BlockingRuleSpec;
import org.sightline.linkage.compare.ComparisonSpec;
import org.sightline.linkage.model.FieldSpec;
import org.sightline.linkage.model.FieldType;
import org.sightline.linkage.model.Record;

class OnlineIndexTest {
    private static final LinkageConfig CONFIG = LinkageConfig.builder()
            .field(FieldSpec.of("given_name", FieldType.GIVEN_NAME))
            .field(FieldSpec.of("family_name", FieldType.FAMILY_NAME))
            .field(new FieldSpec("dob", FieldType.DATE, "yyyy-MM-dd", null))
            .comparison(ComparisonSpec.of("given_name"))
            .comparison(ComparisonSpec.of("family_name"))
            .comparison(ComparisonSpec.of("dob"))
            .blockingRule(BlockingRuleSpec.of("dob", "dob"))
            .blockingRule(BlockingRuleSpec.of("family", "family_name"))
            .priorRule(List.of("given_name", "family_name", "dob"))
            .uSamplePairs(20_000)
            .build();

    private static Record r(String id, String g, String f, String dob) {
        return new Record(id, "", new String[] {g, f, dob});
    }

    private static OnlineIndex trained() {
        List<Record> recs = records(300);
        LinkResult res = new Linker(CONFIG).link(recs);
        return OnlineIndex.of(res, recs);
    }

    private static OnlineIndex trained(int n) {
        List<Record> recs = records(n);
        return OnlineIndex.of(new Linker(CONFIG).link(recs), recs);
    }

    private static List<Record> records(int n) {
        String[] given = {"amy", "ben", "cara", "dev", "eli", "fay", "gus", "hana", "ivan", "jo"};
        String[] family = {"ash", "bell", "cole", "dean", "eve", "ford", "gray", "hart", "ives", "judd", "kerr"};
        List<Record> recs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String g = given[i % 10];
            String f = family[(i / 10) % 11];
            String dob = String.format("20%02d-%02d-%02d", i % 17, 1 + i % 12, 1 + i % 28);
            recs.add(r("p" + i, g, f, dob));
            if (i % 3 == 0) {
                recs.add(r("q" + i, g + "e", f, dob));
            }
        }
        return recs;
    }

    @Test
    void addUpdateRemoveAndMatch() {
        OnlineIndex idx = trained();
        int size = idx.size();
        idx.add(r("new1", "zebedee", "quartermaine", "2012-03-04"), "identity-z");
        assertThat(idx.size()).isEqualTo(size + 1);

        List<OnlineIndex.Candidate> best = idx.match(r("query", "zebedie", "quartermaine", "2012-03-04"), 3);
        assertThat(best).isNotEmpty();
        assertThat(best.get(0).identityId()).isEqualTo("identity-z");
        assertThat(best.get(0).probability()).isGreaterThan(0.9);
        assertThat(best.get(0).explanation().terms()).hasSize(3);

        // After an update the old values no longer find it; the identity is kept.
        assertThat(idx.update(r("new1", "yolanda", "pemberton", "1990-01-01"))).isTrue();
        assertThat(idx.identityOf("new1")).isEqualTo("identity-z");
        assertThat(idx.match(r("query", "zebedie", "quartermaine", "2012-03-04"), 3))
                .noneMatch(c -> c.identityId().equals("identity-z") && c.probability() > 0.5);
        assertThat(idx.match(r("query", "yolanda", "pemberton", "1990-01-01"), 1)
                        .get(0)
                        .identityId())
                .isEqualTo("identity-z");

        assertThat(idx.remove("new1")).isTrue();
        assertThat(idx.remove("new1")).isFalse();
        assertThat(idx.size()).isEqualTo(size);
        assertThat(idx.match(r("query", "yolanda", "pemberton", "1990-01-01"), 5))
                .noneMatch(c -> c.identityId().equals("identity-z"));
        assertThatThrownBy(() -> idx.add(r("p1", "a", "b", "2010-01-01"), "x")).hasMessageContaining("already indexed");
    }

    @Test
    void agreementScoresTheQueryAgainstEveryRecordOfTheIdentityAndFollowsMoves() {
        OnlineIndex idx = trained();
        idx.add(r("z1", "zebedee", "quartermaine", "2012-03-04"), "chain");
        idx.add(r("z2", "zebedee", "quartermaine", "2012-03-04"), "chain");
        idx.add(r("y1", "yolanda", "pemberton", "1990-01-01"), "chain");
        Record query = r("q", "zebedee", "quartermaine", "2012-03-04");
        // The toy model's weights are low; what matters is that the same child scores far above another child.
        double w = idx.match(query, 1).get(0).weight() - 1;
        // Two of the chain's three records are this child; the third is someone else entirely.
        assertThat(idx.agreement(query, List.of("chain"), w, id -> false, 50))
                .isEqualTo(new OnlineIndex.Agreement(3, 2));
        // Skipped ids and the query's own id are not scored; a moved record counts for its new identity only.
        assertThat(idx.agreement(query, List.of("chain"), w, "z2"::equals, 50))
                .isEqualTo(new OnlineIndex.Agreement(2, 1));
        assertThat(idx.agreement(
                        r("z1", "zebedee", "quartermaine", "2012-03-04"), List.of("chain"), w, id -> false, 50))
                .isEqualTo(new OnlineIndex.Agreement(2, 1));
        idx.reassign("y1", "other");
        assertThat(idx.agreement(query, List.of("chain"), w, id -> false, 50))
                .isEqualTo(new OnlineIndex.Agreement(2, 2));
        assertThat(idx.agreement(query, List.of("chain", "other"), w, id -> false, 50))
                .isEqualTo(new OnlineIndex.Agreement(3, 2));
        idx.remove("z2");
        assertThat(idx.agreement(query, List.of("chain"), w, id -> false, 50))
                .isEqualTo(new OnlineIndex.Agreement(1, 1));
        // Beyond max records, an even sample.
        assertThat(idx.agreement(query, List.of("chain", "other"), w, id -> false, 1)
                        .scored())
                .isEqualTo(1);
    }

    @Test
    void batchIdentitiesAreFoundAgain() {
        OnlineIndex idx = trained();
        String expected = idx.identityOf("p3");
        assertThat(idx.identityOf("q3")).isEqualTo(expected);
        List<OnlineIndex.Candidate> c = idx.match(r("x", "dev", "ash", "2003-04-04"), 2);
        assertThat(c.get(0).identityId()).isEqualTo(expected);
    }

    @Test
    void anOverlayHoldsItsOwnRecordsAndScoresThemWithTheBaseFrequencies() {
        OnlineIndex base = trained(1_200);
        assertThat(base.size()).isGreaterThanOrEqualTo(OnlineIndex.MIN_TF_RECORDS);
        OnlineIndex overlay = base.overlay();
        overlay.add(r("o1", "zebedee", "quill", "2001-02-03"), "pending");
        Record query = r("x", "zebedee", "quill", "2001-02-03");
        assertThat(base.match(query, 5)).noneMatch(c -> c.identityId().equals("pending"));
        double inOverlay = overlay.match(query, 1).get(0).weight();
        // The same record held by the base scores the same: the overlay used the base's term frequencies.
        base.add(r("o1", "zebedee", "quill", "2001-02-03"), "committed");
        double inBase = base.match(query, 1).get(0).weight();
        assertThat(inOverlay).isCloseTo(inBase, org.assertj.core.data.Offset.offset(0.05));
        // An overlay of its own would have counted one record: frequencies of 1/1, far weaker agreement.
        OnlineIndex alone =
                new OnlineIndex(CONFIG, new Linker(CONFIG).link(records(1_200)).model());
        alone.add(r("o1", "zebedee", "quill", "2001-02-03"), "alone");
        assertThat(alone.match(query, 1).get(0).weight()).isCloseTo(inBase, org.assertj.core.data.Offset.offset(30.0));
    }

    @Test
    void termFrequenciesApplyOnlyOnceTheIndexHoldsEnoughRecords() {
        var model = new Linker(CONFIG).link(records(300)).model();
        OnlineIndex small = new OnlineIndex(CONFIG, model);
        small.add(r("a", "yolanda", "pemberton", "1990-01-01"), "one");
        small.add(r("b", "amy", "ash", "2003-04-04"), "two");
        Record query = r("x", "yolanda", "pemberton", "1990-01-01");
        // Two records: a name held once would look common (1 in 2) and exact agreement would be pushed far down.
        assertThat(small.match(query, 1).get(0).explanation().terms())
                .allSatisfy(t -> assertThat(t.tfAdjustment()).isZero());
        OnlineIndex large = trained();
        assertThat(large.size()).isGreaterThanOrEqualTo(OnlineIndex.MIN_TF_RECORDS);
        large.add(r("a", "yolanda", "pemberton", "1990-01-01"), "one");
        // Enough records: the rare name's agreement weighs more than the average exact agreement.
        assertThat(large.match(query, 1).get(0).explanation().terms().get(1).tfAdjustment())
                .isPositive();
    }

    @Test
    void probesFindCandidatesThatTheQueryAloneCannotBlock() {
        OnlineIndex idx = trained();
        Record misspeltNoDate = r("x", "dev", "asj", null);
        assertThat(idx.match(misspeltNoDate, 3)).isEmpty();
        List<OnlineIndex.Candidate> found = idx.match(misspeltNoDate, List.of(r("x", "dev", "asj", "2003-04-04")), 3);
        assertThat(found).extracting(OnlineIndex.Candidate::identityId).contains(idx.identityOf("p3"));
        // Scored against the query (no date of birth), not the probe.
        assertThat(found.get(0).explanation().terms().get(2).level()).isEqualTo("null");
    }
}
