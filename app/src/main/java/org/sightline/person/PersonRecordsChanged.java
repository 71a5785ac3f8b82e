package org.sightline.person;

import java.util.List;

/**
 * Published inside the writing transaction whenever person records are created or their details change: one event
 * per record for forms and the API, one per batch for imports. Listeners (identity resolution) run synchronously in
 * the same transaction, so a record is matched before its save commits.
 *
 * @param created ids of records created
 * @param changed ids of records whose details changed
 */
public record PersonRecordsChanged(List<Long> created, List<Long> changed) {

    public PersonRecordsChanged {
        created = List.copyOf(created);
        changed = List.copyOf(changed);
    }

    public boolean isEmpty() {
        return created.isEmpty() && changed.isEmpty();
    }
}
