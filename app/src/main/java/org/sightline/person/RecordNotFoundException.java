package org.sightline.person;

import org.sightline.shared.NotFoundException;

/** A person record that does not exist or that the user's agency may not see. */
public class RecordNotFoundException extends NotFoundException {

    public RecordNotFoundException() {
        super("record");
    }
}
