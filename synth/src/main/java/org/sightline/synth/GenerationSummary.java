package org.sightline.synth;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** What a generation run produced: rows per table and the elapsed wall time. */
public record GenerationSummary(Map<Table, Long> rowCounts, Duration elapsed) {

    public GenerationSummary {
        rowCounts = Collections.unmodifiableMap(new EnumMap<>(rowCounts));
    }

    public long rows(Table table) {
        return rowCounts.getOrDefault(table, 0L);
    }
}
