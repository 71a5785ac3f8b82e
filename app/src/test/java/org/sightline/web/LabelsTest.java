package org.sightline.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sightline.support.IntegrationTest;
import org.sightline.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Codes reach pages as their labels from the code lists and agency names; nothing as "Not recorded", never "null". */
@IntegrationTest
class LabelsTest {

    @Autowired
    Labels labels;

    @Autowired
    TestData data;

    @Autowired
    JdbcClient jdbc;

    @Test
    void agencyCodesAndOnsCodesShowTheirNames() {
        // Kent's ONS code, from the shipped children's services authorities list.
        assertThat(labels.agency("E10000016")).isEqualTo("Kent");
        assertThat(labels.agency("E23000001")).isEqualTo("Metropolitan Police Service");
        String code = data.agency("care_provider");
        assertThat(labels.agency(code)).isEqualTo("Test agency " + code);
        assertThat(labels.agency("ZZ-UNKNOWN")).isEqualTo("ZZ-UNKNOWN");
        assertThat(labels.agency(null)).isEqualTo("Not recorded");
        assertThat(labels.agency(" ")).isEqualTo("Not recorded");
    }

    @Test
    void codeListValuesShowTheirLabelsAndFreeTextStaysAsTyped() {
        assertThat(labels.code("foundBy", "other")).isEqualTo("Someone else");
        assertThat(labels.code("foundBy", "police")).isEqualTo("The police");
        assertThat(labels.code("foundBy", "Patrol officer")).isEqualTo("Patrol officer");
        assertThat(labels.code("foundBy", null)).isEqualTo("Not recorded");
        assertThat(labels.code("riskList", "APP")).isEqualTo("APP grades (since 2017)");
        assertThat(labels.code("ethnicityScheme", "POLICE_ODE")).isEqualTo("officer-defined");
    }

    @Test
    void joinedPartsNeverShowNull() {
        assertThat(labels.join(", ", "Robin Example", null, " ")).isEqualTo("Robin Example");
        assertThat(labels.join(", ", null, null)).isEqualTo("Not recorded");
        assertThat(labels.parts(" ", null, "LS1 1UR")).isEqualTo("LS1 1UR");
        assertThat(labels.parts(" ", (String) null)).isEmpty();
    }

    @Test
    void policeEthnicityCodeListsHaveLabels() {
        assertThat(jdbc.sql("SELECT label FROM ref_ethnicity WHERE scheme = 'POLICE_ODE' AND code = 'IC1'")
                        .query(String.class)
                        .single())
                .isEqualTo("White – North European");
        assertThat(jdbc.sql("SELECT count(*) FROM ref_ethnicity WHERE scheme = 'POLICE_SDE'")
                        .query(Long.class)
                        .single())
                .isEqualTo(19);
    }
}
