package org.sightline.linkage.block;

import java.util.Arrays;

/**
 * Candidate pairs in column form (record indexes a &lt; b, the comparison pattern, the rule that produced the pair).
 * Growable while built by one thread; read-only afterwards.
 */
public final class CandidatePairs {
    private int[] a;
    private int[] b;
    private long[] pattern;
    private byte[] rule;
    private long[] agree;
    private int size;

    public CandidatePairs(int capacity) {
        int c = Math.max(16, capacity);
        a = new int[c];
        b = new int[c];
        pattern = new long[c];
        rule = new byte[c];
        agree = new long[c];
    }

    public void add(int x, int y, long p, int r, long agreeMask) {
        if (size == a.length) {
            int c = a.length + (a.length >> 1);
            a = Arrays.copyOf(a, c);
            b = Arrays.copyOf(b, c);
            pattern = Arrays.copyOf(pattern, c);
            rule = Arrays.copyOf(rule, c);
            agree = Arrays.copyOf(agree, c);
        }
        a[size] = x;
        b[size] = y;
        pattern[size] = p;
        rule[size] = (byte) r;
        agree[size] = agreeMask;
        size++;
    }

    void addAll(CandidatePairs o) {
        for (int i = 0; i < o.size; i++) {
            add(o.a[i], o.b[i], o.pattern[i], o.rule[i], o.agree[i]);
        }
    }

    public int size() {
        return size;
    }

    public int a(int i) {
        return a[i];
    }

    public int b(int i) {
        return b[i];
    }

    public long pattern(int i) {
        return pattern[i];
    }

    /** The rule that produced pair i (the first whose block holds both records). */
    public int rule(int i) {
        return rule[i];
    }

    /** Bit r set when the two records share rule r's key (whichever rule produced the pair). */
    public long agreeingRules(int i) {
        return agree[i];
    }
}
