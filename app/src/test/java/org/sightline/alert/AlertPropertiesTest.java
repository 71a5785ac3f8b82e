package org.sightline.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code sightline.alerts.workers} as an operator writes it: bound, defaulted, or refused with the setting named. */
class AlertPropertiesTest {

    private static AlertProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("sightline.alerts", AlertProperties.class);
    }

    @Test
    void workersAreAsSetElseOnePerCoreAtMostFour() {
        assertThat(bind(Map.of("sightline.alerts.workers", "3")).drainWorkers()).isEqualTo(3);
        assertThat(bind(Map.of()).drainWorkers())
                .isEqualTo(Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void aNegativeWorkerCountIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> bind(Map.of("sightline.alerts.workers", "-2")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessage("sightline.alerts.workers must be 0 (one per core) or a positive number, was -2");
    }
}
