package org.sightline.ssda903;

import java.util.List;

/**
 * The three SSDA903 tables as the DfE lays them out: values are the file's text (dates dd/mm/yyyy, codes), so
 * the rules can judge what an authority actually sent. {@code line} is the row's line in its CSV file (header = 1).
 */
public final class Ssda903Tables {

    public static final List<String> HEADER_COLUMNS =
            List.of("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB");
    public static final List<String> EPISODE_COLUMNS = List.of(
            "CHILD",
            "DECOM",
            "RNE",
            "LS",
            "CIN",
            "PLACE",
            "PLACE_PROVIDER",
            "DEC",
            "REC",
            "REASON_PLACE_CHANGE",
            "HOME_POST",
            "PL_POST",
            "URN");
    public static final List<String> MISSING_COLUMNS = List.of("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END");

    private Ssda903Tables() {}

    public record HeaderRow(
            int line, String child, String sex, String dob, String ethnic, String upn, String mother, String mcDob) {
        List<String> values() {
            return List.of(child, sex, dob, ethnic, upn, mother, mcDob);
        }
    }

    public record EpisodeRow(
            int line,
            String child,
            String decom,
            String rne,
            String ls,
            String cin,
            String place,
            String placeProvider,
            String dec,
            String rec,
            String reasonPlaceChange,
            String homePost,
            String plPost,
            String urn) {
        List<String> values() {
            return List.of(
                    child,
                    decom,
                    rne,
                    ls,
                    cin,
                    place,
                    placeProvider,
                    dec,
                    rec,
                    reasonPlaceChange,
                    homePost,
                    plPost,
                    urn);
        }
    }

    public record MissingRow(int line, String child, String dob, String missing, String misStart, String misEnd) {
        List<String> values() {
            return List.of(child, dob, missing, misStart, misEnd);
        }
    }

    /** One return: the three tables of an authority for a collection year. */
    public record Return(List<HeaderRow> header, List<EpisodeRow> episodes, List<MissingRow> missing) {
        public Return {
            header = List.copyOf(header);
            episodes = List.copyOf(episodes);
            missing = List.copyOf(missing);
        }
    }

    /** A rule a row breaks: the DfE rule code, the table, the child's CHILD id and the row's line in that file. */
    public record RuleFailure(String rule, String table, String child, int line, String field) {}
}
