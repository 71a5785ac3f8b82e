package org.sightline.operation;

import java.util.concurrent.Callable;
import org.sightline.identity.IdentityResolver;
import org.sightline.shared.TerminalProgress;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Re-resolves every person record into identities with the linkage engine, keeping supervisors' decisions. */
@Command(
        name = "relink",
        mixinStandardHelpOptions = true,
        description = "Re-link all person records into identities (batch), keeping review decisions and identity ids.")
public final class RelinkCommand implements Callable<Integer> {

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
            var summary =
                    context.getBean(IdentityResolver.class).relinkAll("cli:relink", new TerminalProgress("relink"));
            spec.commandLine()
                    .getOut()
                    .printf(
                            "%,d records, %,d identities, %,d links, %,d pairs for review (%.1f s)%n",
                            summary.records(),
                            summary.identities(),
                            summary.links(),
                            summary.reviews(),
                            summary.seconds());
            return 0;
        }
    }
}
