package org.sightline.linkage.cli;

import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import org.sightline.linkage.Constraints;
import org.sightline.linkage.LinkResult;
import org.sightline.linkage.LinkageConfigException;
import org.sightline.linkage.Linker;
import org.sightline.linkage.NotEnoughMemoryException;
import org.sightline.linkage.RecordException;
import org.sightline.linkage.ReviewItem;
import org.sightline.linkage.ScoredPair;
import org.sightline.linkage.compare.Comparison;
import org.sightline.linkage.eval.Evaluation;
import org.sightline.linkage.profile.CsvInput;
import org.sightline.linkage.profile.Profile;
import org.sightline.linkage.score.FellegiSunterModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code link}: links or de-duplicates person CSVs with a profile and writes pairs, clusters, the review queue, the
 * trained model and, given a truth column, an evaluation. Exit 0 on success, 2 on bad usage, profile or CSV (the
 * message names the file, line and column or setting; no stack trace) or a run that would not fit in the heap (said
 * before the pairs are made, with the -Xmx it needs), 3 when memory ran out all the same (one line), 1 on an
 * unexpected failure.
 */
@Command(
        name = "link",
        mixinStandardHelpOptions = true,
        description = "Link or de-duplicate person records in CSV files with a linkage profile.")
public class LinkCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.@Nullable CommandSpec spec; // null when call() runs without picocli

    @Option(names = "--profile", required = true, paramLabel = "P", description = "Linkage profile (YAML or JSON).")
    Path profile;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "CSV",
            description = "Input CSV; repeat for several sources (each file is a source).")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created).")
    Path out;

    @Option(names = "--truth-column", paramLabel = "COL", description = "Column holding the true entity.")
    @Nullable
    String truthColumn;

    @Option(
            names = "--truth-file",
            paramLabel = "CSV",
            description = "Truth kept apart from the input (e.g. synth's truth/record_truth.csv): a CSV with the "
                    + "profile's id column(s) and --truth-column.")
    @Nullable
    Path truthFile;

    @Option(
            names = "--truth-pattern",
            paramLabel = "REGEX",
            description = "First group of this pattern in the truth column is the entity key, e.g. rec-(\\d+)-")
    @Nullable
    String truthPattern;

    @Option(
            names = "--constraints",
            paramLabel = "CSV",
            description = "Human decisions: CSV with columns id_a,id_b,decision (must_link | cannot_link).")
    @Nullable
    Path constraintsFile;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: from the profile).")
    @Nullable
    Integer threads;

    @Option(names = "--quiet", description = "No progress on stderr.")
    boolean quiet;

    public LinkCommand() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new LinkCommand()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter err = spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
        PrintWriter outw = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
        long start = System.nanoTime();
        CsvInput input = null;
        try {
            Pattern pattern = null;
            if (truthPattern != null) {
                if (truthColumn == null) {
                    return usage(err, "--truth-pattern needs --truth-column");
                }
                try {
                    pattern = Pattern.compile(truthPattern);
                } catch (PatternSyntaxException e) {
                    return usage(err, "--truth-pattern: not a valid regular expression: " + e.getDescription());
                }
                if (pattern.matcher("").groupCount() < 1) {
                    return usage(err, "--truth-pattern must have a group, e.g. rec-(\\d+)-");
                }
            }
            if (truthFile != null && truthColumn == null) {
                return usage(err, "--truth-file needs --truth-column (the column holding the true entity)");
            }
            for (Path p : inputs) {
                if (!Files.isRegularFile(p)) {
                    return usage(err, "--input " + p + ": no such file");
                }
            }
            if (truthFile != null && !Files.isRegularFile(truthFile)) {
                return usage(err, "--truth-file " + truthFile + ": no such file");
            }
            Profile prof = Profile.load(profile);
            input = CsvInput.read(prof, inputs, truthFile == null ? truthColumn : null, pattern);
            List<@Nullable String> truth = truthFile == null
                    ? input.truth()
                    : CsvInput.truthFile(
                            prof, truthFile, Objects.requireNonNull(truthColumn), pattern, input.records());
            Constraints constraints = constraintsFile == null ? Constraints.NONE : readConstraints(constraintsFile);
            Progress progress = new Progress(err, quiet);
            var config = threads == null
                    ? prof.config()
                    : prof.config().toBuilder().threads(threads).build();
            LinkResult result = new Linker(config).link(input.records(), constraints, progress);
            progress.finish();
            Files.createDirectories(out);
            writePairs(result, out.resolve("pairs.csv"));
            writeClusters(result, out.resolve("clusters.csv"));
            writeReview(result, out.resolve("review.csv"));
            Files.writeString(out.resolve("model.txt"), describeModel(result), StandardCharsets.UTF_8);
            outw.printf(
                    Locale.ROOT,
                    "%s: %,d records, %,d candidate pairs (%,d records in none), %,d identities, %,d for review, "
                            + "%.1f s%n",
                    prof.name(),
                    result.recordCount(),
                    result.candidatePairCount(),
                    result.recordsWithoutPair(),
                    result.clusterCount(),
                    result.reviewQueue().size(),
                    (System.nanoTime() - start) / 1e9);
            if (truthColumn != null) {
                Evaluation ev = Evaluation.of(result, truth);
                Files.writeString(out.resolve("evaluation.json"), ev.toJson(), StandardCharsets.UTF_8);
                outw.printf(
                        Locale.ROOT,
                        "precision %.4f  recall %.4f  F1 %.4f  pairs completeness %.4f  "
                                + "candidate pairs %,d  seconds %.1f%n",
                        ev.precision(),
                        ev.recall(),
                        ev.f1(),
                        ev.pairsCompleteness(),
                        ev.candidatePairs(),
                        ev.seconds());
            }
            outw.println("wrote " + out.toAbsolutePath());
            outw.flush();
            return 0;
        } catch (NotEnoughMemoryException e) {
            return usage(err, e.getMessage());
        } catch (OutOfMemoryError e) {
            // the estimate missed (or the heap is shared with something else): one line, never a stack trace
            input = null; // let the records go so the message can be written
            err.println("link: ran out of memory with a heap of "
                    + String.format(Locale.ROOT, "%.1f GB", Runtime.getRuntime().maxMemory() / 1e9)
                    + "; run java with a larger heap, e.g. "
                    + NotEnoughMemoryException.xmx(Runtime.getRuntime().maxMemory() * 3 / 2));
            err.flush();
            return 3;
        } catch (LinkageConfigException e) {
            return usage(err, e.getMessage());
        } catch (CsvInput.CsvInputException e) {
            return usage(err, e.getMessage());
        } catch (RecordException e) {
            String where = input != null ? input.where(e.recordIndex()) : "record " + e.recordId();
            String column = RecordException.ID_FIELD.equals(e.field()) ? idColumns() : columnOf(e.field());
            return usage(err, where + ", column " + column + ": " + e.reason());
        } catch (IOException e) {
            err.println("link: cannot write " + out + ": " + e.getMessage());
            err.flush();
            return 2;
        }
    }

    private String idColumns() {
        try {
            return Profile.load(profile).csv().idDescription();
        } catch (RuntimeException e) {
            return "id";
        }
    }

    private String columnOf(String field) {
        try {
            String c = Profile.load(profile).csv().columns().get(field);
            return c == null ? field : c;
        } catch (RuntimeException e) {
            return field;
        }
    }

    private static int usage(PrintWriter err, @Nullable String message) {
        err.println("link: " + message);
        err.flush();
        return 2;
    }

    private static Constraints readConstraints(Path p) throws IOException {
        List<Constraints.Pair> must = new ArrayList<>();
        List<Constraints.Pair> cannot = new ArrayList<>();
        int line = 0;
        for (String l : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            line++;
            if (line == 1 || l.isBlank()) {
                continue;
            }
            String[] f = l.split(",", -1);
            if (f.length != 3) {
                throw new CsvInput.CsvInputException(p + " line " + line + ": expected id_a,id_b,decision");
            }
            Constraints.Pair pair = new Constraints.Pair(f[0].strip(), f[1].strip());
            switch (f[2].strip()) {
                case "must_link" -> must.add(pair);
                case "cannot_link" -> cannot.add(pair);
                default -> throw new CsvInput.CsvInputException(p + " line " + line + ", column decision: '"
                        + f[2].strip() + "' is not must_link or cannot_link");
            }
        }
        return new Constraints(must, cannot);
    }

    private static void writePairs(LinkResult r, Path file) throws IOException {
        List<Comparison> comps = r.config().comparisons();
        double floor = r.config().reviewWeight();
        try (CsvWriter w = CsvWriter.builder().build(file, StandardCharsets.UTF_8)) {
            List<String> header = new ArrayList<>(List.of("id_a", "id_b", "weight", "probability"));
            for (Comparison c : comps) {
                header.add(c.name());
            }
            w.writeRecord(header);
            for (int i = 0; i < r.candidatePairCount(); i++) {
                if (r.weight(i) < floor) {
                    continue;
                }
                ScoredPair p = r.pair(i);
                List<String> row = new ArrayList<>(4 + comps.size());
                row.add(p.idA());
                row.add(p.idB());
                row.add(String.format(Locale.ROOT, "%.3f", p.weight()));
                row.add(String.format(Locale.ROOT, "%.6f", p.probability()));
                String[] levels = r.levels(i);
                for (String l : levels) {
                    row.add(l);
                }
                w.writeRecord(row);
            }
        }
    }

    private static void writeClusters(LinkResult r, Path file) throws IOException {
        try (CsvWriter w = CsvWriter.builder().build(file, StandardCharsets.UTF_8)) {
            w.writeRecord("id", "cluster_id");
            for (int i = 0; i < r.recordCount(); i++) {
                w.writeRecord(r.recordId(i), r.clusterId(i));
            }
        }
    }

    private static void writeReview(LinkResult r, Path file) throws IOException {
        try (CsvWriter w = CsvWriter.builder().build(file, StandardCharsets.UTF_8)) {
            w.writeRecord("id_a", "id_b", "weight", "probability", "reason");
            for (ReviewItem it : r.reviewQueue()) {
                w.writeRecord(
                        it.idA(),
                        it.idB(),
                        String.format(Locale.ROOT, "%.3f", it.weight()),
                        String.format(Locale.ROOT, "%.6f", it.probability()),
                        it.reason());
            }
        }
    }

    /** m, u and weight of every level, the prior and the training log: what a reviewer needs to trust a score. */
    static String describeModel(LinkResult r) {
        FellegiSunterModel m = r.model();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "prior %.3e (%.2f bits)%n", m.prior(), m.priorWeight()));
        for (int c = 0; c < m.comparisons().size(); c++) {
            Comparison comp = m.comparisons().get(c);
            b.append(comp.name())
                    .append(comp.termFrequency() ? " (tf on exact)" : "")
                    .append('\n');
            for (int l = 1; l < comp.levelCount(); l++) {
                b.append(String.format(
                        Locale.ROOT,
                        "  %-16s m %.5f  u %.7f  weight %+7.2f%n",
                        comp.label(l),
                        m.m(c, l),
                        m.u(c, l),
                        m.levelWeight(c, l)));
            }
        }
        b.append("training:\n");
        for (String s : r.trainingLog()) {
            b.append("  ").append(s).append('\n');
        }
        b.append("blocking:\n");
        int n = Math.max(1, r.recordCount());
        for (var s : r.blockingReport()) {
            b.append(String.format(
                    Locale.ROOT,
                    "  %-24s %,12d new pairs  %,9d blocks  largest %,d  oversized %d  "
                            + "records without a pair under this rule %,d (%.1f%%: %,d without its key, %,d alone)%n",
                    s.rule(),
                    s.newPairs(),
                    s.blocks(),
                    s.largestBlock(),
                    s.oversizedBlocks(),
                    s.recordsWithoutPair(),
                    100.0 * s.recordsWithoutPair() / n,
                    s.recordsWithoutKey(),
                    s.recordsAloneInBlock()));
        }
        b.append(String.format(
                Locale.ROOT,
                "  records in no candidate pair under any rule: %,d of %,d (%.1f%%)%n",
                r.recordsWithoutPair(),
                r.recordCount(),
                100.0 * r.recordsWithoutPair() / n));
        return b.toString();
    }

    /** Progress and time left on stderr. */
    static final class Progress implements org.sightline.linkage.ProgressListener {
        private final PrintWriter err;
        private final boolean quiet;
        private final long start = System.nanoTime();
        private String last = "";

        Progress(PrintWriter err, boolean quiet) {
            this.err = err;
            this.quiet = quiet;
        }

        @Override
        public void progress(String stage, double fraction) {
            if (quiet) {
                return;
            }
            double secs = (System.nanoTime() - start) / 1e9;
            String left = fraction > 0.05
                    ? String.format(Locale.ROOT, ", about %.0f s left", secs / fraction * (1 - fraction))
                    : "";
            String line = String.format(Locale.ROOT, "\r%-8s %3.0f%%  %.1f s%s   ", stage, fraction * 100, secs, left);
            if (!line.equals(last)) {
                err.print(line);
                err.flush();
                last = line;
            }
        }

        void finish() {
            if (!quiet) {
                err.println();
                err.flush();
            }
        }
    }
}
