package org.sightline.reference;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Loads the shipped reference CSVs (classpath {@code refdata/}) at start, upserting, and keeps an agency row for every
 * police force and live children's services authority so records can name them. A start whose files match the digest
 * recorded by the last load does nothing.
 */
@Component
@Order(0)
class ReferenceDataLoader implements ApplicationRunner {

    private final JdbcClient jdbc;

    ReferenceDataLoader(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What one row of a shipped file becomes. */
    private record Shipped(String file, BiConsumer<ReferenceDataLoader, NamedCsvRecord> row) {}

    /** The shipped files in loading order (agencies come from the first three), each named once. */
    private static final List<Shipped> SHIPPED = List.of(
            new Shipped("police_force_areas_england_wales.csv", ReferenceDataLoader::policeForce),
            new Shipped("childrens_services_authorities_england.csv", ReferenceDataLoader::englishAuthority),
            new Shipped("local_authorities_wales.csv", ReferenceDataLoader::welshAuthority),
            new Shipped("dfe_ethnicity_codes_with_ons2021.csv", ReferenceDataLoader::ethnicity),
            new Shipped("cin_factors_identified_at_assessment.csv", ReferenceDataLoader::cinFactor),
            new Shipped("ssda903_code_lists.csv", ReferenceDataLoader::ssda903Code),
            new Shipped("ssda903_missing_validation_rules.csv", ReferenceDataLoader::ssda903Rule));

    static final List<String> FILES = SHIPPED.stream().map(Shipped::file).toList();

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        String digest = digest();
        boolean loaded = jdbc.sql("SELECT count(*) FROM reference_data_loaded WHERE digest = ?")
                        .param(digest)
                        .query(Long.class)
                        .single()
                > 0;
        if (!loaded) {
            load();
            jdbc.sql(
                            """
                    INSERT INTO reference_data_loaded (digest, loaded_at) VALUES (?, now())
                    ON CONFLICT (only_row) DO UPDATE SET digest = EXCLUDED.digest, loaded_at = EXCLUDED.loaded_at""")
                    .param(digest)
                    .update();
        }
    }

    /** SHA-256 over the shipped files, in order, each preceded by its name. */
    static String digest() {
        MessageDigest sha = DigestUtils.getSha256Digest();
        for (String file : FILES) {
            try (InputStream in = new ClassPathResource("refdata/" + file).getInputStream()) {
                sha.update(file.getBytes(StandardCharsets.UTF_8));
                sha.update(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("shipped reference file " + file + " could not be read", e);
            }
        }
        return Hex.encodeHexString(sha.digest());
    }

    private void load() {
        for (Shipped shipped : SHIPPED) {
            read(shipped.file(), r -> shipped.row().accept(this, r));
        }
    }

    private void policeForce(NamedCsvRecord r) {
        jdbc.sql(
                        """
                INSERT INTO ref_police_force (ons_pfa_code, ons_pfa_name, police_uk_force_id, force_name, country,
                                              region_code, region_name)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (ons_pfa_code) DO UPDATE SET ons_pfa_name = EXCLUDED.ons_pfa_name,
                    police_uk_force_id = EXCLUDED.police_uk_force_id, force_name = EXCLUDED.force_name,
                    country = EXCLUDED.country, region_code = EXCLUDED.region_code,
                    region_name = EXCLUDED.region_name""")
                .params(
                        r.getField("ons_pfa_code"),
                        r.getField("ons_pfa_name"),
                        r.getField("police_uk_force_id"),
                        r.getField("force_name"),
                        r.getField("country"),
                        r.getField("region_code"),
                        r.getField("region_name"))
                .update();
        agency(r.getField("ons_pfa_code"), "police_force", r.getField("force_name"), r.getField("ons_pfa_code"));
    }

    private void englishAuthority(NamedCsvRecord r) {
        String validTo = r.getField("valid_to");
        jdbc.sql(
                        """
                INSERT INTO ref_local_authority (ons_code, valid_from, valid_to, name, la_number, country, region_code,
                                                 region_name, status)
                VALUES (?, ?, ?, ?, ?, 'England', ?, ?, ?)
                ON CONFLICT (ons_code, valid_from) DO UPDATE SET valid_to = EXCLUDED.valid_to, name = EXCLUDED.name,
                    la_number = EXCLUDED.la_number, region_code = EXCLUDED.region_code,
                    region_name = EXCLUDED.region_name, status = EXCLUDED.status""")
                .params(
                        r.getField("ons_code"),
                        date(r.getField("valid_from")),
                        date(validTo),
                        r.getField("name"),
                        blankToNull(r.getField("dfe_la_code")),
                        r.getField("region_code"),
                        r.getField("region_name"),
                        r.getField("status"))
                .update();
        if (validTo.isBlank()) {
            agency(r.getField("ons_code"), "local_authority", r.getField("name"), r.getField("ons_code"));
        }
    }

    private void welshAuthority(NamedCsvRecord r) {
        jdbc.sql(
                        """
                INSERT INTO ref_local_authority (ons_code, valid_from, name, name_cy, la_number, country, region_code,
                                                 region_name, status)
                VALUES (?, DATE '1996-04-01', ?, ?, ?, 'Wales', 'W92000004', 'Wales', 'live')
                ON CONFLICT (ons_code, valid_from) DO UPDATE SET name = EXCLUDED.name, name_cy = EXCLUDED.name_cy,
                    la_number = EXCLUDED.la_number, region_code = EXCLUDED.region_code,
                    region_name = EXCLUDED.region_name""")
                .params(r.getField("ons_code"), r.getField("name_en"), r.getField("name_cy"), r.getField("la_number"))
                .update();
        agency(r.getField("ons_code"), "local_authority", r.getField("name_en"), r.getField("ons_code"));
    }

    private void ethnicity(NamedCsvRecord r) {
        jdbc.sql(
                        """
                INSERT INTO ref_ethnicity (scheme, code, label, broad_group, ons_2021_category, is_unknown)
                VALUES ('DFE', ?, ?, ?, ?, ?)
                ON CONFLICT (scheme, code) DO UPDATE SET label = EXCLUDED.label, broad_group = EXCLUDED.broad_group,
                    ons_2021_category = EXCLUDED.ons_2021_category, is_unknown = EXCLUDED.is_unknown""")
                .params(
                        r.getField("dfe_code"),
                        r.getField("dfe_label"),
                        r.getField("broad_group"),
                        blankToNull(r.getField("ons_2021_category")),
                        r.getField("broad_group").startsWith("UNKNOWN"))
                .update();
    }

    private void cinFactor(NamedCsvRecord r) {
        jdbc.sql(
                        """
                INSERT INTO ref_cin_factor (code, short_label, exploitation_related) VALUES (?, ?, ?)
                ON CONFLICT (code) DO UPDATE SET short_label = EXCLUDED.short_label,
                    exploitation_related = EXCLUDED.exploitation_related""")
                .params(
                        r.getField("code"),
                        r.getField("short_label"),
                        "Y".equalsIgnoreCase(r.getField("exploitation_related")))
                .update();
    }

    private void ssda903Code(NamedCsvRecord r) {
        jdbc.sql(
                        """
                INSERT INTO ref_ssda903_code (field, code, label) VALUES (?, ?, ?)
                ON CONFLICT (field, code) DO UPDATE SET label = EXCLUDED.label""")
                .params(r.getField("field"), r.getField("code"), blankToNull(r.getField("label_if_verified")))
                .update();
    }

    private void ssda903Rule(NamedCsvRecord r) {
        jdbc.sql(
                        """
                INSERT INTO ref_ssda903_missing_rule (rule_code, tables, fields, description) VALUES (?, ?, ?, ?)
                ON CONFLICT (rule_code) DO UPDATE SET tables = EXCLUDED.tables, fields = EXCLUDED.fields,
                    description = EXCLUDED.description""")
                .params(
                        r.getField("rule_code"),
                        r.getField("tables"),
                        r.getField("fields"),
                        r.getField("check_paraphrased"))
                .update();
    }

    private void agency(String code, String type, String name, String area) {
        jdbc.sql(
                        """
                INSERT INTO agency (code, agency_type, name, area_code) VALUES (?, ?, ?, ?)
                ON CONFLICT (code) DO UPDATE SET name = CASE WHEN agency.name_locked THEN agency.name ELSE EXCLUDED.name END,
                                                 area_code = EXCLUDED.area_code""")
                .params(code, type, name, area)
                .update();
    }

    private static void read(String file, Consumer<NamedCsvRecord> row) {
        try (Reader reader = new InputStreamReader(
                        new ClassPathResource("refdata/" + file).getInputStream(), StandardCharsets.UTF_8);
                CsvReader<NamedCsvRecord> csv = CsvReader.builder().ofNamedCsvRecord(reader)) {
            List<NamedCsvRecord> rows = csv.stream().toList();
            rows.forEach(row);
        } catch (IOException e) {
            throw new UncheckedIOException("shipped reference file " + file + " could not be read", e);
        }
    }

    private static Date date(String iso) {
        return iso == null || iso.isBlank() ? null : Date.valueOf(LocalDate.parse(iso));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
