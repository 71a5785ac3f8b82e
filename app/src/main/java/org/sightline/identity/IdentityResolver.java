package org.sightline.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sightline.audit.AuditEntry;
import org.sightline.audit.AuditLog;
import org.sightline.linkage.Constraints;
import org.sightline.linkage.LinkResult;
import org.sightline.linkage.Linker;
import org.sightline.linkage.ReviewItem;
import org.sightline.linkage.ScoredPair;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.profile.Profile;
import org.sightline.linkage.score.Explanation;
import org.sightline.person.PersonRecords;
import org.sightline.shared.Progress;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Resolves agencies' person records into identities with the linkage engine (batch), keeping the evidence of
 * every link and the uncertain pairs for review. Supervisors' decisions go back in as must-/cannot-link
 * constraints, and identity ids stay stable across runs: a cluster keeps the id most of its records had.
 */
@Service
public class IdentityResolver {

    /** The engine profile for the standard person layout; shipped from linkage/profiles. */
    static final String PROFILE = "linkage/sightline_person.yaml";

    /** The shipped profile, parsed once. */
    static final Profile PROFILE_LOADED = loadProfile();

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Profile profile;
    private final LinkageRecords linkageRecords;
    private final PersonRecords people;
    private final IdentityModels models;
    private final OnlineResolution online;

    IdentityResolver(
            JdbcClient jdbc,
            AuditLog audit,
            LinkageRecords linkageRecords,
            PersonRecords people,
            IdentityModels models,
            OnlineResolution online) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.profile = PROFILE_LOADED;
        this.linkageRecords = linkageRecords;
        this.people = people;
        this.models = models;
        this.online = online;
    }

    public record Summary(int records, int identities, int links, int reviews, double seconds) {}

    private static Profile loadProfile() {
        try (InputStream in = new ClassPathResource(PROFILE).getInputStream();
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return Profile.parse(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("the shipped linkage profile " + PROFILE + " could not be read", e);
        }
    }

    @Transactional
    public Summary relinkAll(String actor, Progress progress) {
        long started = System.nanoTime();
        // No online resolution meanwhile: saves wait, then see the new identities and model.
        online.lock();
        List<Long> ids = new ArrayList<>();
        List<Long> previousIdentity = new ArrayList<>();
        List<Record> records = loadRecords(ids, previousIdentity);
        progress.total(4);
        progress.update(1);
        LinkResult result = new Linker(profile.config()).link(records, decisions(), (phase, fraction) -> {});
        progress.update(2);

        // Stable ids: each cluster takes the identity most of its records already had, unless another cluster took it.
        Map<Integer, List<Integer>> members = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            members.computeIfAbsent(result.cluster(i), k -> new ArrayList<>()).add(i);
        }
        Map<Long, Boolean> claimed = new HashMap<>();
        long[] identityOf = new long[records.size()];
        List<Integer> needNew = new ArrayList<>();
        for (var entry : members.entrySet()) {
            Long keep = mostCommon(entry.getValue(), previousIdentity);
            if (keep != null && claimed.putIfAbsent(keep, Boolean.TRUE) == null) {
                for (int i : entry.getValue()) {
                    identityOf[i] = keep;
                }
            } else {
                needNew.add(entry.getKey());
            }
        }
        List<Long> fresh = needNew.isEmpty()
                ? List.of()
                : jdbc.sql("INSERT INTO identity (created_at) SELECT now() FROM generate_series(1, ?) RETURNING id")
                        .param(needNew.size())
                        .query(Long.class)
                        .list();
        for (int c = 0; c < needNew.size(); c++) {
            for (int i : members.get(needNew.get(c))) {
                identityOf[i] = fresh.get(c);
            }
        }
        long[] recordIds = ids.stream().mapToLong(Long::longValue).toArray();
        people.assignIdentities(recordIds, identityOf);
        jdbc.sql("DELETE FROM identity i WHERE NOT EXISTS (SELECT 1 FROM person_record pr WHERE pr.identity_id = i.id)")
                .update();
        progress.update(3);

        int links = storeEvidence(result, ids, identityOf);
        int reviews = storeReviews(result, ids);
        models.save(profile.name(), result.model(), records.size());
        online.logChanged(List.of(), true);
        Summary summary =
                new Summary(records.size(), members.size(), links, reviews, (System.nanoTime() - started) / 1e9);
        audit.record(AuditEntry.of(actor, null, "RELINK", "identity", null)
                .withDetails(String.format(
                        "records=%d identities=%d links=%d reviews=%d",
                        summary.records(), summary.identities(), links, reviews)));
        progress.done(String.format(
                "%,d records resolved into %,d identities; %,d links, %,d pairs for review",
                summary.records(), summary.identities(), links, reviews));
        return summary;
    }

    private List<Record> loadRecords(List<Long> ids, List<Long> previousIdentity) {
        List<Record> records = new ArrayList<>();
        for (LinkageRecords.Held held : linkageRecords.all()) {
            ids.add(held.id());
            previousIdentity.add(held.identityId());
            records.add(held.record());
        }
        return records;
    }

    private Constraints decisions() {
        List<Constraints.Pair> must = new ArrayList<>();
        List<Constraints.Pair> cannot = new ArrayList<>();
        jdbc.sql("SELECT record_a, record_b, status FROM identity_review WHERE status <> 'open'")
                .query(rs -> {
                    Constraints.Pair pair = new Constraints.Pair(rs.getString(1), rs.getString(2));
                    ("must_link".equals(rs.getString(3)) ? must : cannot).add(pair);
                });
        return new Constraints(must, cannot);
    }

    private int storeEvidence(LinkResult result, List<Long> ids, long[] identityOf) {
        jdbc.sql("DELETE FROM identity_link WHERE source = 'engine'").update();
        double threshold = profile.config().matchWeight();
        List<Object[]> rows = new ArrayList<>();
        for (int p = 0; p < result.candidatePairCount(); p++) {
            ScoredPair pair = result.pair(p);
            if (pair.weight() >= threshold && result.cluster(pair.a()) == result.cluster(pair.b())) {
                rows.add(new Object[] {
                    identityOf[pair.a()],
                    Math.min(ids.get(pair.a()), ids.get(pair.b())),
                    Math.max(ids.get(pair.a()), ids.get(pair.b())),
                    pair.weight(),
                    pair.probability(),
                    evidence(result.explain(pair))
                });
            }
        }
        for (int from = 0; from < rows.size(); from += 5_000) {
            List<Object[]> batch = rows.subList(from, Math.min(rows.size(), from + 5_000));
            jdbc.sql(
                            """
                    INSERT INTO identity_link (identity_id, record_a, record_b, weight, probability, evidence, source)
                    SELECT *, 'engine' FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::float8[], ?::float8[], ?::text[])""")
                    .params(
                            column(batch, 0, Long.class),
                            column(batch, 1, Long.class),
                            column(batch, 2, Long.class),
                            column(batch, 3, Double.class),
                            column(batch, 4, Double.class),
                            column(batch, 5, String.class))
                    .update();
        }
        return rows.size();
    }

    private int storeReviews(LinkResult result, List<Long> ids) {
        Map<Long, Integer> index = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            index.put(ids.get(i), i);
        }
        int stored = 0;
        for (ReviewItem item : result.reviewQueue()) {
            long a = Long.parseLong(item.idA());
            long b = Long.parseLong(item.idB());
            String why = evidence(result.explain(index.get(a), index.get(b)));
            stored += jdbc.sql(
                            """
                    INSERT INTO identity_review (record_a, record_b, weight, probability, reason, evidence)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (record_a, record_b) DO NOTHING""")
                    .params(Math.min(a, b), Math.max(a, b), item.weight(), item.probability(), item.reason(), why)
                    .update();
        }
        return stored;
    }

    /** "comparison=level:+weight; ..." — level labels and weights only. */
    static String evidence(Explanation explanation) {
        StringBuilder s = new StringBuilder();
        for (Explanation.Term term : explanation.terms()) {
            if (!s.isEmpty()) {
                s.append("; ");
            }
            s.append(term.comparison()).append('=').append(term.level()).append(String.format(":%+.1f", term.total()));
        }
        return s.toString();
    }

    private static Long mostCommon(List<Integer> indexes, List<Long> previous) {
        Map<Long, Integer> counts = new HashMap<>();
        Long best = null;
        int bestCount = 0;
        for (int i : indexes) {
            Long id = previous.get(i);
            if (id != null) {
                int n = counts.merge(id, 1, Integer::sum);
                if (n > bestCount || n == bestCount && id < best) {
                    best = id;
                    bestCount = n;
                }
            }
        }
        return best;
    }

    @SuppressWarnings("unchecked")
    private static <T> T[] column(List<Object[]> rows, int index, Class<T> type) {
        T[] out = (T[]) java.lang.reflect.Array.newInstance(type, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            out[i] = type.cast(rows.get(i)[index]);
        }
        return out;
    }
}
