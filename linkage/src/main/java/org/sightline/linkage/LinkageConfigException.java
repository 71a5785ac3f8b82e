package org.sightline.linkage;

/** A configuration or profile that breaks a rule; the message names the setting and the rule. */
public class LinkageConfigException extends IllegalArgumentException {
    public LinkageConfigException(String message) {
        super(message);
    }
}
