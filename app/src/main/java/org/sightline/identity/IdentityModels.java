package org.sightline.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sightline.linkage.LinkageConfig;
import org.sightline.linkage.compare.Comparison;
import org.sightline.linkage.score.FellegiSunterModel;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The trained model the online index scores with: the newest one a batch run (relink) over at least
 * {@link #MIN_TRAINING_RECORDS} records stored for the profile, or
 * else the one shipped with the application (trained by a batch run over a generated population of 20,000
 * children, seed 1), so that a new installation resolves from its first record. Only m, u and the prior are
 * stored: comparisons, guards and joint term-frequency groups come from the profile, and term frequencies are
 * counted from the records held. A stored model whose comparisons or levels no longer match the profile is ignored.
 */
@Component
class IdentityModels {

    static final String SHIPPED = "linkage/sightline_person-model.json";
    /**
     * A relink over fewer records than this stores its model but the online index keeps the shipped one: EM over a
     * few dozen records learns noise (in the test suite a model trained on 30 records split three identical records of
     * one child into three identities).
     */
    static final int MIN_TRAINING_RECORDS = 5_000;

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    IdentityModels(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A model and where it came from (the identity_model id, or 0 for the shipped one). */
    record Loaded(FellegiSunterModel model, long id) {}

    Loaded current(String profileName, LinkageConfig config) {
        var stored = jdbc.sql(
                        """
                        SELECT id, model::text FROM identity_model WHERE profile = ? AND trained_on >= ?
                        ORDER BY id DESC LIMIT 1""")
                .params(profileName, MIN_TRAINING_RECORDS)
                .query((rs, n) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .optional();
        if (stored.isPresent()) {
            FellegiSunterModel model = parse(stored.get().getValue(), config);
            if (model != null) {
                return new Loaded(model, stored.get().getKey());
            }
        }
        try (InputStream in = new ClassPathResource(SHIPPED).getInputStream()) {
            FellegiSunterModel model = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), config);
            if (model == null) {
                throw new IllegalStateException("the shipped model " + SHIPPED + " does not fit the shipped profile");
            }
            return new Loaded(model, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("the shipped model " + SHIPPED + " could not be read", e);
        }
    }

    void save(String profileName, FellegiSunterModel model, int trainedOn) {
        jdbc.sql("INSERT INTO identity_model (profile, trained_on, model) VALUES (?, ?, ?::jsonb)")
                .params(profileName, trainedOn, toJson(model))
                .update();
    }

    String toJson(FellegiSunterModel model) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("prior", model.prior());
        List<Map<String, Object>> comparisons = new ArrayList<>();
        for (int c = 0; c < model.comparisons().size(); c++) {
            Comparison comparison = model.comparisons().get(c);
            int levels = comparison.levelCount();
            double[] m = new double[levels];
            double[] u = new double[levels];
            for (int l = 0; l < levels; l++) {
                m[l] = model.m(c, l);
                u[l] = model.u(c, l);
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", comparison.name());
            one.put("levels", levels);
            one.put("m", m);
            one.put("u", u);
            comparisons.add(one);
        }
        out.put("comparisons", comparisons);
        return json.writeValueAsString(out);
    }

    /** The model, or null when it was trained for other comparisons or levels than {@code config} has. */
    FellegiSunterModel parse(String text, LinkageConfig config) {
        JsonNode root = json.readTree(text);
        List<Comparison> comparisons = config.comparisons();
        JsonNode stored = root.get("comparisons");
        if (stored == null || stored.size() != comparisons.size()) {
            return null;
        }
        double[][] m = new double[comparisons.size()][];
        double[][] u = new double[comparisons.size()][];
        for (int c = 0; c < comparisons.size(); c++) {
            JsonNode one = stored.get(c);
            int levels = comparisons.get(c).levelCount();
            if (!comparisons.get(c).name().equals(one.get("name").asString())
                    || one.get("levels").asInt() != levels) {
                return null;
            }
            m[c] = new double[levels];
            u[c] = new double[levels];
            for (int l = 0; l < levels; l++) {
                m[c][l] = one.get("m").get(l).asDouble();
                u[c][l] = one.get("u").get(l).asDouble();
            }
        }
        return new FellegiSunterModel(
                comparisons, m, u, root.get("prior").asDouble(), config.guards(), config.jointTf());
    }
}
