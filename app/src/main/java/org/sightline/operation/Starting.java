package org.sightline.operation;

import picocli.CommandLine.Model.CommandSpec;

/** The progress lines a command prints before its real work, so the seconds before it are never silent. */
final class Starting {

    private Starting() {}

    static void say(CommandSpec spec, String message) {
        var err = spec.commandLine().getErr();
        err.println(spec.name() + ": " + message + " ...");
        err.flush();
    }
}
