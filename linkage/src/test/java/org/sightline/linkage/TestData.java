package org.sightline.linkage;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sightline.linkage.block.BlockingRuleSpec;
import org.sightline.linkage.compare.ComparisonSpec;
import org.sightline.linkage.model.FieldSpec;
import org.sightline.linkage.model.FieldType;
import org.sightline.linkage.model.Record;

/** A small person config and a seeded generator of synthetic people with typos, for unit tests. */
final class TestData {
    static final String[] GIVEN = {
        "oliver", "amelia", "jack", "isla", "harry", "ava", "george", "mia", "noah", "ella", "charlie", "grace",
        "jacob", "lily", "alfie", "sophie", "freddie", "evie", "oscar", "poppy", "leo", "ruby", "arthur", "daisy",
        "thomas", "freya", "william", "chloe", "james", "millie"
    };
    static final String[] FAMILY = {
        "smith",
        "jones",
        "taylor",
        "brown",
        "williams",
        "wilson",
        "johnson",
        "davies",
        "patel",
        "wright",
        "robinson",
        "thompson",
        "evans",
        "walker",
        "white",
        "roberts",
        "green",
        "hall",
        "wood",
        "jackson",
        "clarke",
        "okafor",
        "nowak",
        "kowalski",
        "begum",
        "ahmed",
        "murphy",
        "kelly",
        "hughes",
        "edwards",
        "osei",
        "mensah",
        "lewandowski",
        "singh",
        "khan",
        "ali",
        "hussain",
        "rahman",
        "campbell",
        "stewart"
    };

    private TestData() {}

    static LinkageConfig.Builder personBuilder() {
        return LinkageConfig.builder()
                .field(FieldSpec.of("given_name", FieldType.GIVEN_NAME))
                .field(FieldSpec.of("family_name", FieldType.FAMILY_NAME))
                .field(new FieldSpec("dob", FieldType.DATE, "yyyy-MM-dd", null))
                .field(FieldSpec.of("postcode", FieldType.POSTCODE))
                .comparison(new ComparisonSpec("given_name", "given_name", null, "family_name", null, null))
                .comparison(new ComparisonSpec("family_name", "family_name", null, "given_name", null, null))
                .comparison(ComparisonSpec.of("dob"))
                .comparison(ComparisonSpec.of("postcode"))
                .blockingRule(BlockingRuleSpec.of("dob", "dob"))
                .blockingRule(BlockingRuleSpec.of("family_year", "family_name", "year(dob)"))
                .blockingRule(BlockingRuleSpec.of("given_postcode", "given_name", "outcode(postcode)"))
                .blockingRule(BlockingRuleSpec.of("swapped", "sorted(given_name,family_name)"))
                .priorRule(List.of("given_name", "family_name", "dob"))
                .uSamplePairs(50_000)
                .threads(2);
    }

    static LinkageConfig person() {
        return personBuilder().build();
    }

    static Record rec(String id, String given, String family, String dob, String postcode) {
        return new Record(id, "", new String[] {given, family, dob, postcode});
    }

    /** {@code people} people with 1-4 records each; the truth is the part of the id before '-'. */
    static List<Record> people(int people, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Record> out = new ArrayList<>();
        for (int p = 0; p < people; p++) {
            String g = GIVEN[rnd.nextInt(GIVEN.length)];
            String f = FAMILY[rnd.nextInt(FAMILY.length)];
            String dob =
                    String.format("%04d-%02d-%02d", 2005 + rnd.nextInt(15), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
            String pc = "M" + (1 + rnd.nextInt(40)) + " " + rnd.nextInt(10) + (char) ('A' + rnd.nextInt(26))
                    + (char) ('A' + rnd.nextInt(26));
            int copies = 1 + rnd.nextInt(4);
            for (int c = 0; c < copies; c++) {
                String gg = g;
                String ff = f;
                String dd = dob;
                String pp = pc;
                if (c > 0) {
                    switch (rnd.nextInt(6)) {
                        case 0 -> gg = typo(g, rnd);
                        case 1 -> ff = typo(f, rnd);
                        case 2 -> dd = dob.substring(0, 8) + String.format("%02d", 1 + rnd.nextInt(28));
                        case 3 -> pp = null;
                        case 4 -> {
                            gg = f;
                            ff = g;
                        }
                        default -> {}
                    }
                }
                out.add(rec(p + "-" + c, gg, ff, dd, pp));
            }
        }
        return out;
    }

    private static String typo(String s, SplittableRandom rnd) {
        int i = 1 + rnd.nextInt(s.length() - 1);
        return s.substring(0, i) + (char) ('a' + rnd.nextInt(26)) + s.substring(i + 1);
    }

    static List<String> truth(List<Record> records) {
        return records.stream()
                .map(r -> r.id().substring(0, r.id().indexOf('-')))
                .toList();
    }
}
