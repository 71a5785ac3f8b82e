package org.sightline.synth;

/**
 * Receives the generated population row by row, so a caller can stream it anywhere (for example
 * PostgreSQL {@code COPY}) without writing and re-reading CSV.
 *
 * <p>Contract: calls come from one thread, in a deterministic order for a given config. Each
 * {@code values} array has {@code table.columns().size()} entries, exactly as they would appear in
 * the CSV file; an empty string means an empty cell (never {@code null}). The array is not reused,
 * so it may be kept. A row always arrives after the rows it references: agencies, locations, adults,
 * vehicles and phones first; then, chunk by chunk of children, person records before the episodes,
 * concerns, associations and placements that point at them; truth networks last.
 * {@link #finish()} is called once after the last row.
 */
public interface PopulationSink {

    void accept(Table table, String[] values);

    /** Called once when generation is complete (not called if generation fails). */
    default void finish() {}
}
