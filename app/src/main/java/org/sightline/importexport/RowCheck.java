package org.sightline.importexport;

import java.util.Map;

/** The validate stage of the pipeline: a standard kind's {@link RowValidator} or an {@link ImportTable}'s. */
interface RowCheck {

    /** {@link RowValidator.Valid} or {@link RowValidator.Invalid}. */
    Object validate(long line, String[] fields);

    /** The row as received, keyed by the file's column names, for the quarantine. */
    Map<String, String> raw(String[] fields);

    /** Fields in file order from a raw map (as edited in the quarantine). */
    String[] fieldsOf(Map<String, String> raw);
}
