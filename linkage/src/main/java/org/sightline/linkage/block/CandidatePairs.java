package org.sightline.linkage.block;

import java.util.Arrays;

/**
 * Candidate pairs in column form (record indexes a &lt; b, the comparison pattern, the rule that produced the pair,
 * the rules whose keys agree), 25 bytes a pair. Held in fixed blocks of {@value #BLOCK} pairs, so growing never
 * copies what is already held (no copy-on-grow peak of 2.5 times the pairs) and {@link #trim()} leaves the last
 * block exactly sized. Built by one thread; read-only afterwards.
 */
public final class CandidatePairs {
    static final int SHIFT = 16;
    static final int BLOCK = 1 << SHIFT;
    private static final int MASK = BLOCK - 1;

    /** Bytes held per pair: a, b (int), pattern and agreeing rules (long), rule (byte). */
    public static final int BYTES_PER_PAIR = 4 + 4 + 8 + 8 + 1;

    // outer arrays index the blocks (only they are copied to grow: a few hundred references)
    private int[][] a = new int[0][];
    private int[][] b = new int[0][];
    private long[][] pattern = new long[0][];
    private byte[][] rule = new byte[0][];
    private long[][] agree = new long[0][];
    private int blocks;
    private final int firstBlock;
    private int size;
    private int capacity;

    public CandidatePairs() {
        this(BLOCK);
    }

    /** A small first block for a small set (a worker's share of a rule, a test); later blocks are full-sized. */
    CandidatePairs(int firstBlock) {
        this.firstBlock = Math.min(BLOCK, Math.max(16, firstBlock));
    }

    public void add(int x, int y, long p, int r, long agreeMask) {
        if (size == capacity) {
            grow();
        }
        int blk = size >>> SHIFT;
        int off = size & MASK;
        a[blk][off] = x;
        b[blk][off] = y;
        pattern[blk][off] = p;
        rule[blk][off] = (byte) r;
        agree[blk][off] = agreeMask;
        size++;
    }

    private void grow() {
        if (size == 0 && firstBlock < BLOCK) {
            allocate(firstBlock);
            return;
        }
        int last = blocks - 1;
        if (last >= 0 && a[last].length < BLOCK) {
            // the small first block: replace it by a full one (at most BLOCK pairs copied, once)
            int n = a[last].length;
            int[] na = new int[BLOCK];
            int[] nb = new int[BLOCK];
            long[] np = new long[BLOCK];
            byte[] nr = new byte[BLOCK];
            long[] ng = new long[BLOCK];
            System.arraycopy(a[last], 0, na, 0, n);
            System.arraycopy(b[last], 0, nb, 0, n);
            System.arraycopy(pattern[last], 0, np, 0, n);
            System.arraycopy(rule[last], 0, nr, 0, n);
            System.arraycopy(agree[last], 0, ng, 0, n);
            a[last] = na;
            b[last] = nb;
            pattern[last] = np;
            rule[last] = nr;
            agree[last] = ng;
            capacity = BLOCK;
            return;
        }
        allocate(BLOCK);
    }

    private void allocate(int n) {
        if (blocks == a.length) {
            int c = Math.max(4, blocks * 2);
            a = Arrays.copyOf(a, c);
            b = Arrays.copyOf(b, c);
            pattern = Arrays.copyOf(pattern, c);
            rule = Arrays.copyOf(rule, c);
            agree = Arrays.copyOf(agree, c);
        }
        a[blocks] = new int[n];
        b[blocks] = new int[n];
        pattern[blocks] = new long[n];
        rule[blocks] = new byte[n];
        agree[blocks] = new long[n];
        blocks++;
        capacity += n;
    }

    /** Appends all of {@code o}'s pairs, a block at a time. */
    void addAll(CandidatePairs o) {
        for (int i = 0; i < o.size; i++) {
            int blk = i >>> SHIFT;
            int off = i & MASK;
            add(o.a[blk][off], o.b[blk][off], o.pattern[blk][off], o.rule[blk][off], o.agree[blk][off]);
        }
    }

    /** Shrinks the last block to the pairs it holds; call once building is done. */
    void trim() {
        int last = blocks - 1;
        if (last < 0) {
            return;
        }
        int used = size - (last << SHIFT);
        if (used == a[last].length) {
            return;
        }
        a[last] = Arrays.copyOf(a[last], used);
        b[last] = Arrays.copyOf(b[last], used);
        pattern[last] = Arrays.copyOf(pattern[last], used);
        rule[last] = Arrays.copyOf(rule[last], used);
        agree[last] = Arrays.copyOf(agree[last], used);
        capacity = size;
    }

    /** Bytes held by the arrays (capacity, not just size). */
    public long bytes() {
        return (long) capacity * BYTES_PER_PAIR;
    }

    public int size() {
        return size;
    }

    public int a(int i) {
        return a[i >>> SHIFT][i & MASK];
    }

    public int b(int i) {
        return b[i >>> SHIFT][i & MASK];
    }

    public long pattern(int i) {
        return pattern[i >>> SHIFT][i & MASK];
    }

    /** The rule that produced pair i (the first whose block holds both records). */
    public int rule(int i) {
        return rule[i >>> SHIFT][i & MASK];
    }

    /** Bit r set when the two records share rule r's key (whichever rule produced the pair). */
    public long agreeingRules(int i) {
        return agree[i >>> SHIFT][i & MASK];
    }
}
