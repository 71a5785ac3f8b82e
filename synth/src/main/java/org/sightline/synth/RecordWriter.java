package org.sightline.synth;

import java.time.LocalDate;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.sightline.synth.RefData.Agency;

/** Turns a child's true identity into one agency's person record, with that agency's habits and errors. */
final class RecordWriter {

    private RecordWriter() {}

    static String[] personRecord(
            Rnd rnd,
            String trueGiven,
            @Nullable String trueMiddle,
            String trueFamily,
            LocalDate dob,
            boolean male,
            String eth,
            String surnameGroup,
            String givenGroup,
            Agency agency,
            String ref,
            String localId,
            @Nullable String upn,
            boolean lac,
            boolean careContext,
            boolean host,
            String homeLa,
            boolean cpPlan,
            String[] address,
            long recordedAt) {
        String kind = agency.kind();
        boolean police = agency.police();
        boolean la = agency.la();
        double f = ErrorProfile.factor(kind);
        Names names = Names.get();

        // Names
        String given = trueGiven;
        String[] nicks = names.nicknames(trueGiven);
        double nickRate = ErrorProfile.GIVEN_NICKNAME * (police ? 1.3 : la ? 0.6 : 1.5);
        if (nicks.length > 0 && rnd.chance(nickRate)) {
            given = rnd.pick(nicks);
        } else if (rnd.chance(ErrorProfile.GIVEN_SPELLING * f)) {
            given = Corruptor.respell(rnd, given);
        }
        if (rnd.chance(ErrorProfile.GIVEN_TYPO * f)) {
            given = Corruptor.typo(rnd, given);
        }
        String family = trueFamily;
        int hyphen = family.indexOf('-');
        if (hyphen > 0 && !family.startsWith("Al-") && rnd.chance(ErrorProfile.DOUBLE_BARREL_VARIANT)) {
            double u = rnd.uniform();
            family = u < 0.45
                    ? family.substring(0, hyphen)
                    : u < 0.8 ? family.substring(hyphen + 1) : family.replace('-', ' ');
        }
        String changedFrom = null;
        if (rnd.chance(ErrorProfile.FAMILY_CHANGED * f)) {
            // Known by a parent's or step-parent's surname in this agency.
            changedFrom = family;
            family = names.pool("surname." + surnameGroup).pick(rnd);
        } else if (rnd.chance(ErrorProfile.FAMILY_SPELLING * f)) {
            family = Corruptor.respell(rnd, family);
        }
        if (rnd.chance(ErrorProfile.FAMILY_TYPO * f)) {
            family = Corruptor.typo(rnd, family);
        }
        String middle = "";
        double middleRate = police ? 0.3 : la ? 0.6 : 0.45;
        if (trueMiddle != null && rnd.chance(middleRate)) {
            middle = rnd.chance(ErrorProfile.MIDDLE_AS_INITIAL) ? trueMiddle.substring(0, 1) : trueMiddle;
        }
        if (rnd.chance(ErrorProfile.NAME_SWAP * f)) {
            String t = given;
            given = family;
            family = t;
        }
        if (rnd.chance(ErrorProfile.GIVEN_MISSING * f)) {
            given = "";
        }
        if (police && rnd.chance(ErrorProfile.UPPERCASE_FAMILY)) {
            family = family.toUpperCase(Locale.ROOT);
        }
        if (rnd.chance(ErrorProfile.STRAY_WHITESPACE)) {
            given = rnd.chance(0.5) ? given + " " : " " + given;
        }

        // Aliases
        String aliases = "";
        double aliasRate = ErrorProfile.ALIASES * (police ? 1.5 : la ? 0.5 : 0.25);
        if (changedFrom != null && rnd.chance(0.5)) {
            aliases = trueGiven + " " + changedFrom;
        }
        if (rnd.chance(aliasRate)) {
            String alias =
                    switch (rnd.nextInt(3)) {
                        case 0 -> (nicks.length > 0 ? rnd.pick(nicks) : trueGiven) + " " + trueFamily;
                        case 1 -> trueGiven + " "
                                + names.pool("surname." + surnameGroup).pick(rnd);
                        default -> names.pool("given." + (male ? "m." : "f.") + givenGroup)
                                        .pick(rnd) + " " + trueFamily;
                    };
            aliases = aliases.isEmpty() ? alias : aliases + "|" + alias;
        }

        // Date of birth
        String dobText;
        double u = rnd.uniform();
        double dobMissing = ErrorProfile.DOB_MISSING * (police ? 2 : la ? 0.5 : 1);
        if (u < dobMissing) {
            dobText = "";
        } else if (u < dobMissing + ErrorProfile.DOB_YEAR_MONTH * f) {
            dobText = Fmt.date(dob).substring(0, 7);
        } else if (u < dobMissing + (ErrorProfile.DOB_YEAR_MONTH + ErrorProfile.DOB_YEAR_ONLY) * f) {
            dobText = Integer.toString(dob.getYear());
        } else {
            LocalDate d = dob;
            double v = rnd.uniform();
            double swap = ErrorProfile.DOB_DAY_MONTH_SWAP * f;
            double digit = ErrorProfile.DOB_DIGIT * f;
            double year = ErrorProfile.DOB_YEAR_OFF_BY_ONE * f;
            if (v < swap) {
                LocalDate s = Corruptor.dayMonthSwap(d);
                if (s != null) {
                    d = s;
                }
            } else if (v < swap + digit) {
                d = Corruptor.digitError(rnd, d);
            } else if (v < swap + digit + year) {
                d = d.plusYears(rnd.chance(0.5) ? 1 : -1);
            }
            dobText = Fmt.date(d);
        }

        // Sex
        String sex = male ? "male" : "female";
        double notRecorded = police ? 0.08 : la ? 0.01 : 0.03;
        // The authority looking after a child records its sex (the SSDA903 Header needs it, DfE rule 101).
        boolean careRecord = la && lac && careContext && !host;
        double s = rnd.uniform();
        if (s < notRecorded) {
            sex = careRecord ? sex : "";
        } else if (s < notRecorded + ErrorProfile.SEX_UNKNOWN) {
            sex = careRecord ? sex : "unknown";
        } else if (s < notRecorded + ErrorProfile.SEX_UNKNOWN + ErrorProfile.SEX_WRONG) {
            sex = male ? "female" : "male";
        }

        // Ethnicity in the agency's own scheme
        String ethCode = "";
        String scheme = "";
        double e = rnd.uniform();
        if (police) {
            if (e < 0.5) {
                scheme = "POLICE_SDE";
                ethCode = sde(eth, surnameGroup);
            } else if (e < 0.85) {
                scheme = "POLICE_ODE";
                ethCode = ode(rnd, eth, surnameGroup);
            }
        } else if (la) {
            scheme = "DFE";
            ethCode = e < 0.04 ? "NOBT" : e < 0.05 ? "REFU" : e < 0.08 ? "" : eth;
            if (ethCode.isEmpty()) {
                scheme = "";
            }
        } else if (e < 0.75) {
            scheme = "DFE";
            ethCode = eth;
        }

        // Address
        String addressLine = address[0];
        String postcode = address[1];
        double noAddress = police ? 0.10 : la ? 0.02 : 0.0;
        if (rnd.chance(noAddress)) {
            addressLine = "";
            postcode = "";
        } else {
            if (rnd.chance(ErrorProfile.POSTCODE_MISSING * f)) {
                postcode = "";
            } else if (rnd.chance(ErrorProfile.POSTCODE_TYPO * f)) {
                postcode = Corruptor.postcodeTypo(rnd, postcode);
            }
            if (police && rnd.chance(0.3)) {
                addressLine = addressLine.toUpperCase(Locale.ROOT);
            }
        }

        // Identifiers
        String upnText = "";
        if (upn != null && rnd.chance(police ? 0.03 : la ? 0.75 : 0.25)) {
            upnText = rnd.chance(0.01) ? upn.substring(0, 5) + upn.charAt(6) + upn.charAt(5) + upn.substring(7) : upn;
        }

        // Care and safeguarding facts, as tri-states
        String careStatus;
        String responsible = "";
        String cp;
        String known;
        if (la) {
            careStatus = lac && careContext ? "looked_after" : rnd.chance(0.9) ? "not_looked_after" : "";
            if (lac && careContext) {
                responsible = homeLa;
            }
            cp = rnd.chance(0.02) ? "not_known" : cpPlan ? "yes" : "no";
            known = "yes";
        } else if (police) {
            if (careContext) {
                double c = rnd.uniform();
                careStatus = c < 0.75 ? "looked_after" : c < 0.85 ? "not_known" : "";
                responsible = careStatus.equals("looked_after") && rnd.chance(0.6) ? homeLa : "";
            } else {
                double c = rnd.uniform();
                careStatus = c < 0.25 ? "not_known" : c < 0.75 ? "" : "not_looked_after";
            }
            double c = rnd.uniform();
            cp = c < 0.55 ? "" : c < 0.85 ? "not_known" : cpPlan ? "yes" : "no";
            double k = rnd.uniform();
            if (lac || cpPlan) {
                known = k < 0.5 ? "yes" : k < 0.75 ? "not_known" : "";
            } else {
                known = k < 0.2 ? "yes" : k < 0.35 ? "no" : k < 0.65 ? "not_known" : "";
            }
        } else {
            careStatus = rnd.chance(0.95) ? "looked_after" : "";
            responsible = rnd.chance(0.9) ? homeLa : "";
            cp = rnd.chance(0.7) ? "" : "no";
            known = "yes";
        }
        if (host && la) {
            responsible = homeLa;
        }

        return new String[] {
            ref,
            agency.code(),
            given,
            middle,
            family,
            aliases,
            dobText,
            sex,
            ethCode,
            scheme,
            addressLine,
            postcode,
            upnText,
            localId,
            careStatus,
            responsible,
            cp,
            known,
            Fmt.instant(recordedAt)
        };
    }

    /** Police self-defined ethnicity, 18+1 census categories. */
    static String sde(String dfe, String surnameGroup) {
        return switch (dfe) {
            case "WBRI" -> "W1";
            case "WIRI" -> "W2";
            case "WIRT", "WROM" -> "W3";
            case "WOTH" -> "W9";
            case "MWBC" -> "M1";
            case "MWBA" -> "M2";
            case "MWAS" -> "M3";
            case "MOTH" -> "M9";
            case "AIND" -> "A1";
            case "APKN" -> "A2";
            case "ABAN" -> "A3";
            case "CHNE" -> "A4";
            case "AOTH" -> "A9";
            case "BCRB" -> "B1";
            case "BAFR" -> "B2";
            case "BOTH" -> "B9";
            default -> surnameGroup.equals("arab") ? "O1" : "O9";
        };
    }

    /** Police officer-defined ethnicity (IC codes), as an officer might perceive it. */
    static String ode(Rnd rnd, String dfe, String surnameGroup) {
        if (rnd.chance(0.05)) {
            return "IC9";
        }
        return switch (dfe) {
            case "WBRI", "WIRI", "WIRT" -> "IC1";
            case "WROM", "WOTH" -> rnd.chance(0.6) ? "IC1" : "IC2";
            case "MWBC", "MWBA" -> rnd.chance(0.6) ? "IC3" : "IC1";
            case "MWAS" -> rnd.chance(0.5) ? "IC4" : "IC1";
            case "MOTH" -> rnd.pick(new String[] {"IC1", "IC2", "IC3", "IC4", "IC6"});
            case "AIND", "APKN", "ABAN", "AOTH" -> "IC4";
            case "CHNE" -> "IC5";
            case "BCRB", "BAFR", "BOTH" -> "IC3";
            default -> surnameGroup.equals("arab") ? "IC6" : "IC9";
        };
    }
}
