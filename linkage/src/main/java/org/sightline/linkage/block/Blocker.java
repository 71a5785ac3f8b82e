package org.sightline.linkage.block;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import org.sightline.linkage.model.LinkType;
import org.sightline.linkage.normalise.PreparedRecord;

/**
 * Generates candidate pairs from the union of blocking rules, each pair once. A pair produced by rule r is dropped
 * when an earlier rule already produced it (the earlier rule's key agrees and, in an oversized block, the two records
 * were within its window), so no pair set is ever materialised for de-duplication. Oversized blocks are compared
 * by sorted neighbourhood (sorted by the records' other values, each record against the next window-1), which
 * keeps the pair count linear in the block size.
 */
public final class Blocker {
    /** Computes the comparison pattern of records i and j. */
    @FunctionalInterface
    public interface PatternFunction {
        long pattern(int i, int j);
    }

    private final List<BlockingRule> rules;
    private final LinkType linkType;
    private final int maxBlockSize;
    private final int window;
    private final int threads;

    public Blocker(List<BlockingRule> rules, LinkType linkType, int maxBlockSize, int window, int threads) {
        this.rules = List.copyOf(rules);
        this.linkType = linkType;
        this.maxBlockSize = maxBlockSize;
        this.window = window;
        this.threads = threads;
    }

    /** Per-rule block structure. */
    private static final class RuleBlocks {
        final int[] keyId; // per record, -1 = no key
        final int[] pos; // per record: rank inside an oversized block, else -1
        final int[] start; // CSR offsets per key id
        final int[] members; // record indexes grouped by key id
        int oversized;
        long largest;

        RuleBlocks(int[] keyId, int[] pos, int[] start, int[] members) {
            this.keyId = keyId;
            this.pos = pos;
            this.start = start;
            this.members = members;
        }
    }

    /**
     * Generates the pairs; {@code progress} receives the number of the rule being processed (0-based).
     * The result is the same for any number of threads.
     */
    public Result generate(PreparedRecord[] recs, PatternFunction fn, IntConsumer progress) {
        return generate(recs, fn, progress, estimate -> {});
    }

    /**
     * As {@link #generate(PreparedRecord[], PatternFunction, IntConsumer)}; {@code beforePairs} receives an estimate
     * of the number of pairs (from a sample of the blocks, before any pair is made) and may throw to stop the run
     * early, e.g. when the pairs would not fit in memory.
     */
    public Result generate(PreparedRecord[] recs, PatternFunction fn, IntConsumer progress, LongConsumer beforePairs) {
        int n = recs.length;
        RuleBlocks[] built = new RuleBlocks[rules.size()];
        // keys per rule and record (null = no key), dropped once the rule's blocks are built
        @Nullable String[][] keys = new String[rules.size()][];
        CandidatePairs out = new CandidatePairs();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sightline-blocking");
            t.setDaemon(true);
            return t;
        });
        try {
            // keys of every rule for every record, computed in parallel slices
            List<Future<?>> keyJobs = new ArrayList<>();
            for (int q = 0; q < rules.size(); q++) {
                keys[q] = new String[n];
                int slices = threads * 2;
                for (int sl = 0; sl < slices; sl++) {
                    int qq = q;
                    int from = (int) ((long) n * sl / slices);
                    int to = (int) ((long) n * (sl + 1) / slices);
                    keyJobs.add(pool.submit(() -> {
                        for (int i = from; i < to; i++) {
                            keys[qq][i] = rules.get(qq).key(recs[i]);
                        }
                    }));
                }
            }
            for (Future<?> f : keyJobs) {
                f.get();
            }
            // block structure of every rule first: agreement on any rule is then an int comparison
            List<Future<RuleBlocks>> builds = new ArrayList<>();
            for (int q = 0; q < rules.size(); q++) {
                int qq = q;
                @Nullable String[] ruleKeys = keys[q];
                builds.add(pool.submit(() -> build(ruleKeys, recs)));
            }
            for (int q = 0; q < rules.size(); q++) {
                built[q] = builds.get(q).get();
                keys[q] = null; // the strings are no longer needed
            }
            beforePairs.accept(estimateNewPairs(built, recs));
            for (int r = 0; r < rules.size(); r++) {
                progress.accept(r);
                final int rr = r;
                RuleBlocks rb = built[r];
                int blocks = rb.start.length - 1;
                // Chunks of roughly equal pair work, processed in parallel and joined in order.
                List<int[]> chunks = new ArrayList<>();
                long target = Math.max(20_000, estimatePairs(rb) / (threads * 8L) + 1);
                int from = 0;
                long acc = 0;
                for (int k = 0; k < blocks; k++) {
                    long s = rb.start[k + 1] - rb.start[k];
                    acc += s > maxBlockSize ? s * (window - 1) : s * (s - 1) / 2;
                    if (acc >= target) {
                        chunks.add(new int[] {from, k + 1});
                        from = k + 1;
                        acc = 0;
                    }
                }
                if (from < blocks) {
                    chunks.add(new int[] {from, blocks});
                }
                // At most a few chunks in flight, each merged and dropped in order: memory holds the pairs once plus
                // a few chunks, not every chunk's buffer of the rule until the rule is done.
                int ahead = threads * 2;
                List<@Nullable Future<CandidatePairs>> futures = new ArrayList<>();
                for (int c = 0; c < chunks.size(); c++) {
                    futures.add(null);
                }
                for (int c = 0; c < Math.min(ahead, chunks.size()); c++) {
                    int[] ch = chunks.get(c);
                    futures.set(c, pool.submit(() -> pairsOf(rr, built, recs, ch[0], ch[1], fn)));
                }
                for (int c = 0; c < chunks.size(); c++) {
                    int next = c + ahead;
                    if (next < chunks.size()) {
                        int[] ch = chunks.get(next);
                        futures.set(next, pool.submit(() -> pairsOf(rr, built, recs, ch[0], ch[1], fn)));
                    }
                    out.addAll(Objects.requireNonNull(futures.get(c)).get());
                    futures.set(c, null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("blocking interrupted", e);
        } catch (ExecutionException e) {
            throw rethrow(e);
        } finally {
            pool.shutdownNow();
        }
        out.trim();
        long[] perRule = new long[rules.size()];
        boolean[] paired = new boolean[n];
        for (int i = 0; i < out.size(); i++) {
            perRule[out.rule(i)]++;
            paired[out.a(i)] = true;
            paired[out.b(i)] = true;
        }
        int unpaired = 0;
        for (boolean p : paired) {
            unpaired += p ? 0 : 1;
        }
        List<RuleStats> stats = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            RuleBlocks rb = built[r];
            int withoutKey = 0;
            for (int k : rb.keyId) {
                withoutKey += k < 0 ? 1 : 0;
            }
            int alone = 0;
            for (int k = 0; k + 1 < rb.start.length; k++) {
                alone += rb.start[k + 1] - rb.start[k] == 1 ? 1 : 0;
            }
            stats.add(new RuleStats(
                    rules.get(r).name(), perRule[r], rb.start.length - 1, rb.largest, rb.oversized, withoutKey, alone));
        }
        return new Result(out, List.copyOf(stats), unpaired);
    }

    /**
     * The pairs; per rule, what it added; and the records in no candidate pair at all (label-free: a record alone
     * can only be linked to nothing, so when most people have several records a high count is lost recall).
     */
    public record Result(CandidatePairs pairs, List<RuleStats> rules, int recordsWithoutPair) {}

    /**
     * What one rule contributed: the new pairs it added (pairs earlier rules made are not counted again), its
     * blocks, and the records it can pair with nothing: those without its key (a key field missing) and those alone
     * in their block.
     */
    public record RuleStats(
            String rule,
            long newPairs,
            int blocks,
            long largestBlock,
            int oversizedBlocks,
            int recordsWithoutKey,
            int recordsAloneInBlock) {
        /** Records this rule gives no pair. */
        public int recordsWithoutPair() {
            return recordsWithoutKey + recordsAloneInBlock;
        }
    }

    /** A worker's failure as it was: a RuntimeException or an Error (OutOfMemoryError reaches the caller as such). */
    static RuntimeException rethrow(ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof Error err) {
            throw err;
        }
        return c instanceof RuntimeException re ? re : new IllegalStateException(c);
    }

    /** One block in this many is counted when estimating the pairs. */
    private static final int SAMPLE = 16;

    /**
     * Pairs the run will make, estimated before making any: in every 16th block of each rule the pairs that no
     * earlier rule already makes are counted exactly (the same test as generation, without comparing), and the
     * rule's total is scaled by the share found new.
     */
    private long estimateNewPairs(RuleBlocks[] built, PreparedRecord[] recs) {
        long total = 0;
        for (int r = 0; r < built.length; r++) {
            RuleBlocks rb = built[r];
            long sampled = 0;
            long fresh = 0;
            for (int k = 0; k + 1 < rb.start.length; k += SAMPLE) {
                int s = rb.start[k];
                int e = rb.start[k + 1];
                long size = e - s;
                boolean big = size > maxBlockSize;
                // a huge block (a large max_block_size) is itself sampled, a row in every step
                long raw = big ? size * (window - 1) : size * (size - 1) / 2;
                int step = (int) Math.max(1, raw / 200_000);
                for (int x = s; x < e; x += step) {
                    int limit = big ? Math.min(e, x + window) : e;
                    for (int y = x + 1; y < limit; y++) {
                        int i = rb.members[x];
                        int j = rb.members[y];
                        sampled++;
                        if (!(linkType == LinkType.LINK_ONLY && recs[i].source() == recs[j].source())
                                && !coveredEarlier(built, r, i, j)) {
                            fresh++;
                        }
                    }
                }
            }
            if (sampled > 0) {
                total += (long) ((double) estimatePairs(rb) * fresh / sampled);
            }
        }
        return total;
    }

    private long estimatePairs(RuleBlocks rb) {
        long total = 0;
        for (int k = 0; k + 1 < rb.start.length; k++) {
            long s = rb.start[k + 1] - rb.start[k];
            total += s > maxBlockSize ? s * (window - 1) : s * (s - 1) / 2;
        }
        return total;
    }

    private CandidatePairs pairsOf(
            int r, RuleBlocks[] built, PreparedRecord[] recs, int fromBlock, int toBlock, PatternFunction fn) {
        RuleBlocks rb = built[r];
        CandidatePairs out = new CandidatePairs(1024);
        // (a worker's share grows a block at a time; merged into the run's pairs and dropped)
        for (int k = fromBlock; k < toBlock; k++) {
            int s = rb.start[k];
            int e = rb.start[k + 1];
            int size = e - s;
            if (size < 2) {
                continue;
            }
            boolean big = size > maxBlockSize;
            for (int x = s; x < e; x++) {
                int limit = big ? Math.min(e, x + window) : e;
                for (int y = x + 1; y < limit; y++) {
                    int i = rb.members[x];
                    int j = rb.members[y];
                    if (linkType == LinkType.LINK_ONLY && recs[i].source() == recs[j].source()) {
                        continue;
                    }
                    if (coveredEarlier(built, r, i, j)) {
                        continue;
                    }
                    int lo = Math.min(i, j);
                    int hi = Math.max(i, j);
                    out.add(lo, hi, fn.pattern(lo, hi), r, agreeMask(built, r, i, j));
                }
            }
        }
        return out;
    }

    /** Rules whose keys agree for i and j. */
    private long agreeMask(RuleBlocks[] built, int r, int i, int j) {
        long mask = 1L << r;
        for (int q = 0; q < built.length; q++) {
            int ki = built[q].keyId[i];
            if (ki >= 0 && ki == built[q].keyId[j]) {
                mask |= 1L << q;
            }
        }
        return mask;
    }

    private boolean coveredEarlier(RuleBlocks[] built, int r, int i, int j) {
        for (int q = 0; q < r; q++) {
            RuleBlocks b = built[q];
            int ki = b.keyId[i];
            if (ki >= 0 && ki == b.keyId[j]) {
                int pi = b.pos[i];
                if (pi < 0 || Math.abs(pi - b.pos[j]) < window) {
                    return true;
                }
            }
        }
        return false;
    }

    private RuleBlocks build(@Nullable String[] ruleKeys, PreparedRecord[] recs) {
        int n = recs.length;
        int[] keyId = new int[n];
        int[] pos = new int[n];
        Arrays.fill(pos, -1);
        Map<String, Integer> ids = new HashMap<>();
        int[] counts = new int[16];
        for (int i = 0; i < n; i++) {
            String key = ruleKeys[i];
            if (key == null) {
                keyId[i] = -1;
                continue;
            }
            Integer id = ids.get(key);
            if (id == null) {
                id = ids.size();
                ids.put(key, id);
                if (id >= counts.length) {
                    counts = Arrays.copyOf(counts, counts.length * 2);
                }
            }
            keyId[i] = id;
            counts[id]++;
        }
        int k = ids.size();
        int[] start = new int[k + 1];
        for (int i = 0; i < k; i++) {
            start[i + 1] = start[i] + counts[i];
        }
        int[] members = new int[start[k]];
        int[] fill = Arrays.copyOf(start, k);
        for (int i = 0; i < n; i++) {
            int id = keyId[i];
            if (id >= 0) {
                members[fill[id]++] = i;
            }
        }
        RuleBlocks rb = new RuleBlocks(keyId, pos, start, members);
        for (int b = 0; b < k; b++) {
            int size = rb.start[b + 1] - rb.start[b];
            rb.largest = Math.max(rb.largest, size);
            if (size > maxBlockSize) {
                rb.oversized++;
                sortBlock(rb, b, recs);
            }
        }
        return rb;
    }

    /** Sorted neighbourhood: order an oversized block by the records' values so near-duplicates sit together. */
    private void sortBlock(RuleBlocks rb, int block, PreparedRecord[] recs) {
        int s = rb.start[block];
        int e = rb.start[block + 1];
        Integer[] m = new Integer[e - s];
        String[] sortKey = new String[recs.length > 0 ? e - s : 0];
        for (int x = s; x < e; x++) {
            m[x - s] = x - s;
            sortKey[x - s] = sortKeyOf(recs[rb.members[x]]);
        }
        int[] orig = Arrays.copyOfRange(rb.members, s, e);
        Arrays.sort(m, (p, q) -> {
            int c = sortKey[p].compareTo(sortKey[q]);
            return c != 0 ? c : Integer.compare(orig[p], orig[q]);
        });
        for (int x = 0; x < m.length; x++) {
            rb.members[s + x] = orig[m[x]];
            rb.pos[orig[m[x]]] = x;
        }
    }

    private static String sortKeyOf(PreparedRecord r) {
        StringBuilder b = new StringBuilder(64);
        for (int f = 0; f < r.fieldCount(); f++) {
            String v = r.value(f);
            b.append(v == null ? "" : v).append('|');
        }
        return b.toString();
    }
}
