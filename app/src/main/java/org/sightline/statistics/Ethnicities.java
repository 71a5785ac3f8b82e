package org.sightline.statistics;

import java.util.List;
import java.util.Map;

/**
 * Ethnicity as the figures report it: the DfE code (detail) and the ONS 2021 group. Records keep the scheme they
 * arrived in (DOMAIN.md section 2: "store the source scheme, map at report time"); this maps them. Police
 * self-defined codes map to one DfE code where the two lists agree (W3 "Gypsy or Irish Traveller" spans two DfE
 * codes, so it gives the group only); officer-defined IC codes give the group only. Refused, not obtained, IC9
 * and NS are not known.
 */
final class Ethnicities {

    static final List<String> DFE = List.of(
            "WBRI", "WIRI", "WIRT", "WROM", "WOTH", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH",
            "BCRB", "BAFR", "BOTH", "CHNE", "OOTH");
    static final List<String> GROUPS = List.of("WHITE", "MIXED", "ASIAN", "BLACK", "OTHER");

    private static final Map<String, String> SDE_TO_DFE = Map.ofEntries(
            Map.entry("W1", "WBRI"),
            Map.entry("W2", "WIRI"),
            Map.entry("W9", "WOTH"),
            Map.entry("M1", "MWBC"),
            Map.entry("M2", "MWBA"),
            Map.entry("M3", "MWAS"),
            Map.entry("M9", "MOTH"),
            Map.entry("A1", "AIND"),
            Map.entry("A2", "APKN"),
            Map.entry("A3", "ABAN"),
            Map.entry("A4", "CHNE"),
            Map.entry("A9", "AOTH"),
            Map.entry("B1", "BCRB"),
            Map.entry("B2", "BAFR"),
            Map.entry("B9", "BOTH"),
            Map.entry("O1", "OOTH"),
            Map.entry("O9", "OOTH"));
    private static final Map<String, String> ODE_TO_GROUP =
            Map.of("IC1", "WHITE", "IC2", "WHITE", "IC3", "BLACK", "IC4", "ASIAN", "IC5", "ASIAN", "IC6", "OTHER");

    /** One record's ethnicity as (DfE detail, ONS group), each a code or NOT_KNOWN / NOT_RECORDED. */
    record Mapped(String detail, String group) {}

    private Ethnicities() {}

    static Mapped map(String status, String scheme, String code) {
        if (status == null || "not_recorded".equals(status)) {
            return new Mapped(Fact.NOT_RECORDED, Fact.NOT_RECORDED);
        }
        if (!"recorded".equals(status) || code == null) {
            return new Mapped(Fact.NOT_KNOWN, Fact.NOT_KNOWN);
        }
        String dfe =
                switch (scheme == null ? "DFE" : scheme) {
                    case "DFE" -> DFE.contains(code) ? code : null;
                    case "POLICE_SDE" -> SDE_TO_DFE.get(code);
                    default -> null;
                };
        String group = dfe != null
                ? groupOf(dfe)
                : "POLICE_ODE".equals(scheme)
                        ? ODE_TO_GROUP.get(code)
                        : "POLICE_SDE".equals(scheme) && "W3".equals(code) ? "WHITE" : null;
        return new Mapped(dfe == null ? Fact.NOT_KNOWN : dfe, group == null ? Fact.NOT_KNOWN : group);
    }

    /** ONS 2021 puts Chinese under Asian (DfE keeps CHNE apart); DfE OOTH is ONS "Other". */
    static String groupOf(String dfe) {
        return switch (dfe.charAt(0)) {
            case 'W' -> "WHITE";
            case 'M' -> "MIXED";
            case 'A' -> "ASIAN";
            case 'B' -> "BLACK";
            case 'C' -> "ASIAN";
            default -> "OTHER";
        };
    }
}
