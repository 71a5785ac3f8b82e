package org.sightline.shared;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * Something that does not exist or lies outside the user's agency scope: both answer the same, so guessing ids
 * reveals nothing. Pages show 404; the API answers a 404 problem.
 */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what) {
        super(what + " not found");
    }
}
