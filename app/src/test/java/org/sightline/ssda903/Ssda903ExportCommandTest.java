package org.sightline.ssda903;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sightline.SightlineMain;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.sightline.support.TestDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import picocli.CommandLine;

/**
 * The command an authority's data team runs: an export that breaks a checked rule exits non-zero, so a script
 * cannot mistake it for a finished return, unless --allow-failures; either way the failures are printed.
 */
@IntegrationTest
class Ssda903ExportCommandTest {

    @Autowired
    Ssda903ImportService imports;

    @Autowired
    TestData data;

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private int export(String la, Path out, StringWriter text, String... more) {
        CommandLine cli = SightlineMain.commandLine();
        cli.setOut(new PrintWriter(text));
        String[] base = {
            "ssda903-export",
            "--db-url",
            TestDatabase.url(),
            "--db-user",
            TestDatabase.appUser(),
            "--db-password",
            TestDatabase.password(),
            "--authority",
            la,
            "--year",
            "2025",
            "--out",
            out.toString()
        };
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return cli.execute(args);
    }

    @Test
    void anAdultRecordedAsLookedAfterFailsTheExportUnlessFailuresAreAllowed(@TempDir Path out) throws Exception {
        String la = data.agency("local_authority");
        imports.importAsOperator(
                "test",
                la,
                new CollectionYear(2025),
                new Ssda903ImportService.Files(
                        in(
                                "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC7,1,28/11/2000,WBRI,,,\nC8,2,13/06/2010,WBRI,,,\n"),
                        in(
                                "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
                                        + "C7,26/10/2019,S,C2,N1,U1,PR1,,,,,,\nC8,13/05/2024,S,C2,N1,U1,PR1,,,,,,\n"),
                        null));
        StringWriter text = new StringWriter();
        // The data-failure exit code (4), not a fault (1) or a usage error (2).
        assertThat(export(la, out, text)).isEqualTo(org.sightline.operation.ExitCode.DATA);
        assertThat(text.toString())
                .contains("WITHHELD 351 Header CHILD C7 field DOB: Child was over 21 at the start")
                .contains("1 rule failure(s)")
                .doesNotContain("OK:");
        assertThat(Files.readString(out.resolve("header.csv"))).contains("C8,").doesNotContain("C7,");

        StringWriter allowed = new StringWriter();
        assertThat(export(la, out, allowed, "--allow-failures")).isZero();
        assertThat(allowed.toString()).contains("1 rule failure(s) (allowed)");
    }

    @Test
    void aCleanExportSaysOkAndExitsZero(@TempDir Path out) {
        String la = data.agency("local_authority");
        imports.importAsOperator(
                "test",
                la,
                new CollectionYear(2025),
                new Ssda903ImportService.Files(
                        in("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC8,2,13/06/2010,WBRI,,,\n"),
                        in(
                                "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
                                        + "C8,13/05/2024,S,C2,N1,U1,PR1,,,,,,\n"),
                        null));
        StringWriter text = new StringWriter();
        assertThat(export(la, out, text)).isZero();
        assertThat(text.toString()).contains("OK: every checked DfE rule passes");
    }
}
