package org.sightline.web;

import java.io.IOException;
import java.util.Properties;

/** The merged message bundles for tests in other packages. */
public final class MessageBundleTestAccess {

    private MessageBundleTestAccess() {}

    public static Properties allMessages() throws IOException {
        return MessageBundleTest.allMessages();
    }
}
