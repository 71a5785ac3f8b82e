package org.sightline.importexport;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.sightline.SightlineApplication;
import org.sightline.access.Roles;
import org.sightline.importexport.ImportService.ImportRequest;
import org.sightline.support.TestData;
import org.sightline.support.TestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Hostile input at the importer and at the API: malformed CSV, wrong encodings, huge fields, missing columns,
 * SQL, HTML, control characters and bidirectional overrides. Whatever arrives, nothing throws, the API never
 * answers 500, and every row read is accounted for: received = imported + updated + unchanged + quarantined, with
 * exactly `quarantined` rows in the quarantine table. jqwik runs outside Spring's test context, so the
 * application is started here once, on the suite's database.
 */
@net.jqwik.api.Tag(org.sightline.support.IntegrationTest.TAG)
class ImportFuzzProperties {

    private static ConfigurableApplicationContext context;
    private static String agency;
    private static String username;

    private static synchronized ConfigurableApplicationContext app() {
        if (context == null) {
            context = new SpringApplicationBuilder(SightlineApplication.class)
                    .run(
                            "--server.port=0",
                            "--logging.level.root=WARN",
                            "--spring.datasource.url=" + TestDatabase.url(),
                            "--spring.datasource.username=" + TestDatabase.user(),
                            "--spring.datasource.password=" + TestDatabase.password());
            TestData data = context.getBean(TestData.class);
            agency = data.agency("police_force");
            username = data.user(agency, Roles.POLICE_OFFICER);
        }
        return context;
    }

    @AfterContainer
    static void stop() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    private static final List<String> HOSTILE = List.of(
            "'; DROP TABLE person_record; --",
            "\" OR 1=1 --",
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "\u0000",
            "a\u0007b",
            "\u202Eevil\u202C",
            "\u2066x\u2069",
            "line\nbreak",
            "tab\there",
            "\"",
            "\"\"",
            ",",
            "\r",
            "Zoë",
            "王小明",
            "👩‍👧",
            "\uFEFF",
            "x".repeat(3000),
            "2024-13-45",
            "2010-02-30",
            "yes",
            "no",
            "male",
            "female",
            "home",
            "care",
            "medium",
            "2024-03-01T10:00:00Z",
            "2010-04-05",
            "2010",
            "",
            " ",
            "NULL",
            "\\N",
            "\\.");

    @Provide
    Arbitrary<String> cell() {
        return Arbitraries.oneOf(
                Arbitraries.of(HOSTILE),
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12));
    }

    @Provide
    Arbitrary<byte[]> file() {
        Arbitrary<ImportKind> kind = Arbitraries.of(ImportKind.class);
        return kind.flatMap(k -> {
            List<String> standard =
                    k.columns().stream().map(ImportKind.Column::name).toList();
            Arbitrary<List<String>> header = Arbitraries.oneOf(
                    Arbitraries.just(standard),
                    Arbitraries.subsetOf(standard).map(ArrayList::new),
                    cell().list().ofMinSize(0).ofMaxSize(6));
            Arbitrary<List<List<String>>> rows = cell().list()
                    .ofMinSize(0)
                    .ofMaxSize(standard.size() + 2)
                    .list()
                    .ofMinSize(0)
                    .ofMaxSize(12);
            Arbitrary<Charset> charset = Arbitraries.of(
                    StandardCharsets.UTF_8,
                    StandardCharsets.UTF_8,
                    StandardCharsets.ISO_8859_1,
                    StandardCharsets.UTF_16,
                    StandardCharsets.UTF_16LE);
            Arbitrary<Boolean> raw = Arbitraries.of(true, false, false);
            return Combinators.combine(header, rows, charset, raw).as((h, r, cs, unquoted) -> {
                StringBuilder text = new StringBuilder();
                appendRow(text, h, unquoted);
                r.forEach(row -> appendRow(text, row, unquoted));
                byte[] bytes = text.toString().getBytes(cs);
                return prefix(k, bytes);
            });
        });
    }

    /** The kind travels with the file in its first byte, so one arbitrary gives both. */
    private static byte[] prefix(ImportKind kind, byte[] bytes) {
        byte[] out = new byte[bytes.length + 1];
        out[0] = (byte) kind.ordinal();
        System.arraycopy(bytes, 0, out, 1, bytes.length);
        return out;
    }

    private static void appendRow(StringBuilder text, List<String> fields, boolean unquoted) {
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            text.append(i == 0 ? "" : ",").append(unquoted ? f : "\"" + f.replace("\"", "\"\"") + "\"");
        }
        text.append("\r\n");
    }

    @Property(tries = 60)
    void serviceAccountsForEveryRow(@ForAll("file") byte[] kindAndFile) {
        ConfigurableApplicationContext app = app();
        ImportKind kind = ImportKind.values()[kindAndFile[0]];
        byte[] file = java.util.Arrays.copyOfRange(kindAndFile, 1, kindAndFile.length);
        ImportService imports = app.getBean(ImportService.class);
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        // Every figure is checked against something the import code does not compute: the rows now in the kind's
        // table, the quarantine table, and FastCSV's own count of the file. (received is the sum of the others by
        // construction, so "received = imported + updated + unchanged + quarantined" alone could never fail.)
        long before = heldRows(jdbc, kind);
        ImportReport report = imports.importNow(
                new ImportRequest(agency, kind.code(), null, "fuzz.csv", "fuzz", 4, null),
                new ByteArrayInputStream(file),
                n -> {});
        assertThat(heldRows(jdbc, kind) - before)
                .as("rows added to " + TABLES.get(kind))
                .isEqualTo(report.imported());
        long stored = jdbc.sql(
                        "SELECT count(*) FROM import_quarantine q JOIN import_run r ON r.id = q.run_id WHERE r.public_id = ?")
                .param(report.id())
                .query(Long.class)
                .single();
        assertThat(stored).isEqualTo(report.quarantined());
        if (report.fileError() == null) {
            assertThat(report.status()).isEqualTo("completed");
            assertThat(report.received()).as("rows the parser sees").isEqualTo(independentRowCount(file));
            assertThat(report.imported() + report.updated() + report.unchanged() + report.quarantined())
                    .as("every row the parser sees is accounted for")
                    .isEqualTo(independentRowCount(file));
        } else {
            assertThat(report.fileError()).startsWith("E1000 line");
        }
    }

    private static final java.util.Map<ImportKind, String> TABLES = java.util.Map.of(
            ImportKind.PERSON_RECORDS,
            "person_record",
            ImportKind.MISSING_EPISODES,
            "missing_episode",
            ImportKind.CONCERNS,
            "exploitation_concern",
            ImportKind.ADULTS_OF_CONCERN,
            "adult_of_concern",
            ImportKind.LOCATIONS,
            "location",
            ImportKind.VEHICLES,
            "vehicle",
            ImportKind.PHONES,
            "phone",
            ImportKind.ASSOCIATIONS,
            "association");

    private static long heldRows(JdbcClient jdbc, ImportKind kind) {
        return jdbc.sql("SELECT count(*) FROM " + TABLES.get(kind)
                        + " t JOIN agency a ON a.id = t.agency_id WHERE a.code = ?")
                .param(agency)
                .query(Long.class)
                .single();
    }

    /** Data rows as FastCSV reads the same bytes decoded the same way (BOM skipped, bad bytes replaced). */
    private static long independentRowCount(byte[] file) {
        int start = file.length >= 3 && (file[0] & 0xFF) == 0xEF && (file[1] & 0xFF) == 0xBB && (file[2] & 0xFF) == 0xBF
                ? 3
                : 0;
        String text = new String(file, start, file.length - start, StandardCharsets.UTF_8);
        try (CsvReader<CsvRecord> reader = CsvReader.builder()
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .allowExtraCharsAfterClosingQuote(true)
                .ofCsvRecord(text)) {
            return Math.max(0, reader.stream().count() - 1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Property(tries = 40)
    void apiNeverAnswers500AndReportsAddUp(
            @ForAll("file") byte[] kindAndFile,
            @ForAll("cell") String fileName,
            @ForAll boolean dryRun,
            @ForAll boolean garbleKind)
            throws Exception {
        ConfigurableApplicationContext app = app();
        ImportKind kind = ImportKind.values()[kindAndFile[0]];
        byte[] file = java.util.Arrays.copyOfRange(kindAndFile, 1, kindAndFile.length);
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        String boundary = "fuzz" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(
                body,
                boundary,
                "Content-Disposition: form-data; name=\"kind\"\r\n\r\n",
                (garbleKind ? fileName : kind.code()).getBytes(StandardCharsets.UTF_8));
        part(
                body,
                boundary,
                "Content-Disposition: form-data; name=\"file\"; filename=\""
                        + fileName.replace("\"", "").replace("\r", "").replace("\n", "")
                        + "\"\r\nContent-Type: text/csv\r\n\r\n",
                file);
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/imports?dryRun=" + dryRun))
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (username + ":" + TestData.PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        // 413: Tomcat refuses a multipart part header over its limit (a 3,000-character file name) before the app
        // sees the request; it is still answered as problem+json, never a 500.
        assertThat(response.statusCode()).as(response.body()).isIn(200, 202, 400, 413);
        if (response.statusCode() == 413) {
            assertThat(response.body()).contains("\"status\":413");
            return;
        }
        if (response.statusCode() != 400) {
            JsonNode json = app.getBean(ObjectMapper.class).readTree(response.body());
            assertThat(json.get("received").asLong())
                    .isEqualTo(json.get("imported").asLong()
                            + json.get("updated").asLong()
                            + json.get("unchanged").asLong()
                            + json.get("quarantined").asLong());
        } else {
            assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        }
    }

    private static void part(ByteArrayOutputStream body, String boundary, String headers, byte[] content) {
        body.writeBytes(("--" + boundary + "\r\n" + headers).getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
}
