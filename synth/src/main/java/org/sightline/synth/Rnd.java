package org.sightline.synth;

import java.util.List;
import java.util.SplittableRandom;

/** Small helpers over {@link SplittableRandom}; one instance per chunk of children, never shared. */
final class Rnd {

    private final SplittableRandom random;

    Rnd(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** SplitMix64 finaliser: spreads (seed, stream, index) into independent seeds. */
    static long mix(long seed, long stream, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (stream + 1) + 0xBF58476D1CE4E5B9L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    double uniform() {
        return random.nextDouble();
    }

    /** Uniform int in [lo, hi] inclusive. */
    int between(int lo, int hi) {
        return lo + random.nextInt(hi - lo + 1);
    }

    /** Uniform long in [lo, hi) (returns lo when the range is empty). */
    long betweenLong(long lo, long hi) {
        return hi <= lo ? lo : random.nextLong(lo, hi);
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    double gaussian() {
        return random.nextGaussian();
    }

    /** Log-normal with the given median and shape. */
    double logNormal(double median, double sigma) {
        return median * Math.exp(sigma * random.nextGaussian());
    }

    double exponential(double mean) {
        return -mean * Math.log(1.0 - random.nextDouble());
    }

    <T> T pick(T[] items) {
        return items[random.nextInt(items.length)];
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** Index into a cumulative weight array (last entry = total). */
    int pickCumulative(double[] cumulative) {
        double x = random.nextDouble() * cumulative[cumulative.length - 1];
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > x) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Picks a value from {@code values} with weights; arrays of equal length. */
    String weighted(String[] values, double[] cumulative) {
        return values[pickCumulative(cumulative)];
    }

    static double[] cumulative(double... weights) {
        double[] c = new double[weights.length];
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            s += weights[i];
            c[i] = s;
        }
        return c;
    }
}
