package org.sightline.benchmarks.linkage;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sightline.linkage.LinkageConfig;
import org.sightline.linkage.block.BlockingRuleSpec;
import org.sightline.linkage.compare.Comparison;
import org.sightline.linkage.compare.ComparisonSpec;
import org.sightline.linkage.compare.JaroWinkler;
import org.sightline.linkage.model.FieldSpec;
import org.sightline.linkage.model.FieldType;
import org.sightline.linkage.model.Record;
import org.sightline.linkage.normalise.NicknameTable;
import org.sightline.linkage.normalise.PreparedRecord;
import org.sightline.linkage.normalise.Preparer;
import org.sightline.linkage.score.FellegiSunterModel;

/** JMH: the comparators on the hot path of pair scoring. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ComparatorBenchmark {
    private final JaroWinklerSimilarity commons = new JaroWinklerSimilarity();
    private LinkageConfig config;
    private PreparedRecord a;
    private PreparedRecord b;
    private PreparedRecord c;
    private Comparison given;
    // fields, not literals, so the JIT cannot fold the calls into constants
    private String kowalski = "kowalski";
    private String kowalsky = "kowalsky";
    private String katherine = "katherine";
    private String oliver = "oliver";
    private Comparison dob;

    @Setup
    public void setup() {
        config = LinkageConfig.builder()
                .field(FieldSpec.of("given_name", FieldType.GIVEN_NAME))
                .field(FieldSpec.of("family_name", FieldType.FAMILY_NAME))
                .field(new FieldSpec("dob", FieldType.DATE, "yyyy-MM-dd", null))
                .field(FieldSpec.of("postcode", FieldType.POSTCODE))
                .comparison(new ComparisonSpec("given_name", "given_name", null, "family_name", null, null))
                .comparison(new ComparisonSpec("family_name", "family_name", null, "given_name", null, null))
                .comparison(ComparisonSpec.of("dob"))
                .comparison(ComparisonSpec.of("postcode"))
                .blockingRule(BlockingRuleSpec.of("dob", "dob"))
                .priorRule(List.of("dob"))
                .build();
        Preparer p = new Preparer(config.fields(), NicknameTable.shipped());
        a = p.prepare(new Record("a", "", new String[] {"Katherine", "Kowalski", "2011-05-12", "M1 2AB"}), 0);
        b = p.prepare(new Record("b", "", new String[] {"Catherine", "Kowalsky", "2011-12-05", "M1 2AX"}), 0);
        // a typical candidate pair from a date block: same birth date, nothing else in common
        c = p.prepare(new Record("c", "", new String[] {"Oliver", "Thompson", "2011-05-12", "LS6 3QT"}), 0);
        given = config.comparisons().get(0);
        dob = config.comparisons().get(2);
    }

    @Benchmark
    public double jaroWinklerSightline() {
        return JaroWinkler.similarity(kowalski, kowalsky);
    }

    @Benchmark
    public double jaroWinklerCommonsText() {
        return commons.apply(kowalski, kowalsky);
    }

    @Benchmark
    public double jaroWinklerFarApart() {
        return JaroWinkler.similarity(katherine, oliver);
    }

    @Benchmark
    public double jaroWinklerUpperBoundFarApart() {
        return JaroWinkler.upperBound(katherine, oliver);
    }

    @Benchmark
    public int givenNameLevelNonMatch() {
        return given.level(a, c);
    }

    @Benchmark
    public long fullPatternNonMatch() {
        return FellegiSunterModel.pattern(config.comparisons(), a, c);
    }

    @Benchmark
    public int givenNameLevel() {
        return given.level(a, b);
    }

    @Benchmark
    public int dateLevel() {
        return dob.level(a, b);
    }

    @Benchmark
    public long fullPattern() {
        return FellegiSunterModel.pattern(config.comparisons(), a, b);
    }
}
