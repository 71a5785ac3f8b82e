package org.sightline.operation;

import java.util.concurrent.Callable;
import org.sightline.audit.AuditSealer;
import org.sightline.audit.AuditVerifier;
import org.sightline.audit.AuditVerifier.Result;
import org.sightline.shared.TerminalProgress;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Walks the keyed audit chain and its checkpoint and reports OK or the first fault. Exit 0 when intact, 1 when broken ({@link ExitCode}). */
@Command(
        name = "verify-audit",
        mixinStandardHelpOptions = true,
        description = "Verify the audit log's keyed chain and its checkpoint: prints OK or the first fault.")
public final class VerifyAuditCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Starting.say(spec, "checking the database");
        try (BatchStart start = database.startBatch()) {
            Starting.say(spec, "starting");
            ConfigurableApplicationContext context = start.context();
            // Entries committed since the last sealing (e.g. by a command that has just ended) are chained first.
            context.getBean(AuditSealer.class).sealPending();
            Result result = context.getBean(AuditVerifier.class).verify(new TerminalProgress("verify-audit"));
            var out = spec.commandLine().getOut();
            out.println(result.describe());
            return result.intact() ? ExitCode.OK : ExitCode.FAULT;
        }
    }
}
