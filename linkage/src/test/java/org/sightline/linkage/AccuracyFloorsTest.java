package org.sightline.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sightline.linkage.eval.Evaluation;

/**
 * The floors of the linkage issue, with the committed profiles and their label-free thresholds (match weight 0,
 * i.e. probability 0.5, the same on every set). Profiles were tuned on FEBRL1/2 and fake_1000; FEBRL3/4 confirm.
 */
class AccuracyFloorsTest {
    private static final String FEBRL_ID = "rec-(\\d+)-";

    @Test
    void febrl4LinksAboveFloor() {
        Evaluation e = Datasets.run("febrl4.yaml", "rec_id", FEBRL_ID, "febrl_dataset4a.csv", "febrl_dataset4b.csv");
        assertThat(e.f1()).as("FEBRL4 F1: %s", e).isGreaterThanOrEqualTo(0.99);
        assertThat(e.pairsCompleteness()).isGreaterThanOrEqualTo(0.99);
        assertThat(e.truePairs()).isEqualTo(5000);
    }

    @Test
    void febrl3DedupesAboveFloor() {
        Evaluation e = Datasets.run("febrl.yaml", "rec_id", FEBRL_ID, "febrl_dataset3.csv");
        assertThat(e.f1()).as("FEBRL3 F1: %s", e).isGreaterThanOrEqualTo(0.985);
        assertThat(e.pairsCompleteness()).isGreaterThanOrEqualTo(0.99);
        assertThat(e.truePairs()).isEqualTo(6538);
    }

    @Test
    void febrl1And2KeepBlockingCompleteness() {
        Evaluation e1 = Datasets.run("febrl.yaml", "rec_id", FEBRL_ID, "febrl_dataset1.csv");
        Evaluation e2 = Datasets.run("febrl.yaml", "rec_id", FEBRL_ID, "febrl_dataset2.csv");
        assertThat(e1.pairsCompleteness()).isGreaterThanOrEqualTo(0.99);
        assertThat(e2.pairsCompleteness()).isGreaterThanOrEqualTo(0.99);
        assertThat(e1.f1()).as("FEBRL1: %s", e1).isGreaterThanOrEqualTo(0.98);
        assertThat(e2.f1()).as("FEBRL2: %s", e2).isGreaterThanOrEqualTo(0.98);
    }

    @Test
    void splinkFake1000AboveFloor() {
        Evaluation e = Datasets.run("splink_fake_1000.yaml", "cluster", null, "splink_fake_1000.csv");
        assertThat(e.f1()).as("fake_1000 F1: %s", e).isGreaterThanOrEqualTo(0.90);
        assertThat(e.truePairs()).isEqualTo(2031);
    }
}
