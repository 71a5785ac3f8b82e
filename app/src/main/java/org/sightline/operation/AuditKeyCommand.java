package org.sightline.operation;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sightline.audit.AuditKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Creates an audit key file, or rotates its key: a new key is appended and used from the next start. */
@Command(
        name = "audit-key",
        mixinStandardHelpOptions = true,
        description =
                "Create the audit key file, or add a new key to rotate it (earlier keys still verify old entries).")
public final class AuditKeyCommand implements Callable<Integer> {

    @Option(names = "--file", required = true, description = "The key file (kept outside the database)")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String id = AuditKeys.addKey(file);
        AuditKeys.read(file);
        spec.commandLine()
                .getOut()
                .printf("Audit key %s added to %s; it seals entries from the next start.%n", id, file);
        return 0;
    }
}
