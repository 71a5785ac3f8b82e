package org.sightline.person;

import java.util.List;

/**
 * Published inside the writing transaction whenever person records are created or their details change: one event
 * per record for forms and the API, one per batch for imports. Listeners (identity resolution) run synchronously in
 * the same transaction, so a record is matched before its save commits.
 *
 * @param created  ids of records created
 * @param changed  ids of records whose details changed
 * @param bulkLoad the demo population loader's COPY load, which its caller hands to a batch relink straight after
 *                 (one by one, 31,630 records took 83 s under load; the relink takes seconds and resolves them all)
 */
public record PersonRecordsChanged(List<Long> created, List<Long> changed, boolean bulkLoad) {

    public PersonRecordsChanged {
        created = List.copyOf(created);
        changed = List.copyOf(changed);
    }

    public PersonRecordsChanged(List<Long> created, List<Long> changed) {
        this(created, changed, false);
    }

    public boolean isEmpty() {
        return created.isEmpty() && changed.isEmpty();
    }
}
