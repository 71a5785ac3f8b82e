package org.sightline.importexport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The lines an interrupted run committed, read from PostgreSQL's int8multirange text, e.g. {[2,12),[14,20)}. */
final class LineRanges implements LongPredicate {

    private static final Pattern RANGE = Pattern.compile("\\[(\\d+),(\\d+)\\)");

    private final long[] from;
    private final long[] to;

    private LineRanges(long[] from, long[] to) {
        this.from = from;
        this.to = to;
    }

    static LineRanges parse(String multirange) {
        List<long[]> ranges = new ArrayList<>();
        if (multirange != null) {
            Matcher m = RANGE.matcher(multirange);
            while (m.find()) {
                ranges.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
            }
        }
        return new LineRanges(
                ranges.stream().mapToLong(r -> r[0]).toArray(),
                ranges.stream().mapToLong(r -> r[1]).toArray());
    }

    /** PostgreSQL keeps a multirange's ranges sorted and disjoint, so a binary search finds the one a line is in. */
    @Override
    public boolean test(long line) {
        int low = 0;
        int high = from.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (line < from[mid]) {
                high = mid - 1;
            } else if (line >= to[mid]) {
                low = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }
}
