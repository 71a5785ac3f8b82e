package org.sightline.operation;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.sightline.agency.AgencyAdministration;
import org.sightline.agency.AgencyReferenceFile;
import org.sightline.shared.InvalidRequestException;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Creates, renames and closes agencies from a reference file (docs/agencies.md): one line per row refused, naming the
 * line, the column and the rule; a summary on stdout. Exit 0 when every row applied, 4 when some were refused.
 */
@Command(
        name = "agencies-import",
        mixinStandardHelpOptions = true,
        description = "Create, rename and close agencies from a CSV reference file "
                + "(code,name,kind,area_code,ofsted_urn,closed_on); a re-run changes nothing.")
public final class AgenciesImportCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file (UTF-8)")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!ImportCommand.readableCsv(spec, file)) {
            return ExitCode.DATA;
        }
        PrintWriter err = spec.commandLine().getErr();
        Starting.say(spec, "checking the database");
        try (BatchStart start = database.startBatch();
                Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Starting.say(spec, "starting");
            ConfigurableApplicationContext context = start.context();
            AgencyAdministration.FileResult result;
            try {
                result = context.getBean(AgencyReferenceFile.class).apply("cli:agencies-import", reader);
            } catch (InvalidRequestException e) {
                err.println("sightline agencies-import: " + file.getFileName() + ": "
                        + e.violations().stream().map(v -> v.message()).collect(Collectors.joining("; ")));
                return ExitCode.DATA;
            }
            for (AgencyAdministration.FileRow row : result.rows()) {
                for (var problem : row.problems()) {
                    err.printf("line %d: %s: %s%n", row.line(), problem.field(), problem.message());
                }
            }
            spec.commandLine()
                    .getOut()
                    .printf(
                            "%d rows: %d created, %d renamed, %d closed, %d renamed and closed, %d unchanged, %d refused%n",
                            result.rows().size(),
                            result.count("created"),
                            result.count("renamed"),
                            result.count("closed"),
                            result.count("renamed and closed"),
                            result.count("unchanged"),
                            result.count("refused"));
            return result.count("refused") > 0 ? ExitCode.DATA : ExitCode.OK;
        }
    }
}
