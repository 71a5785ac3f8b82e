package org.sightline.person;

/**
 * Raised when a record does not exist or lies outside the user's agency scope: the two answers are the same
 * so that guessing ids reveals nothing.
 */
@org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.NOT_FOUND)
public class RecordNotFoundException extends RuntimeException {

    public RecordNotFoundException() {
        super("record not found");
    }
}
