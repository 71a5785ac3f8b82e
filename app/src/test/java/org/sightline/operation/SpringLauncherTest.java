package org.sightline.operation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sightline.audit.AuditSealer;
import org.sightline.importexport.ImportService;
import org.sightline.statistics.VictimAggregate;
import org.springframework.beans.factory.support.RootBeanDefinition;

/** Batch commands create beans lazily, except those that act on their own: a lazy sealer would never seal. */
class SpringLauncherTest {

    @Test
    void beansWithScheduledWorkStayEagerAndOthersMayWait() {
        assertThat(excluded(AuditSealer.class))
                .as("seals every half second and at shutdown")
                .isTrue();
        assertThat(excluded(VictimAggregate.class))
                .as("refreshes every few seconds, by a method it inherits")
                .isTrue();
        assertThat(excluded(ImportService.class))
                .as("only runs when a command calls it")
                .isFalse();
    }

    private static boolean excluded(Class<?> type) {
        return SpringLauncher.SCHEDULED_WORK_STARTS_EAGERLY.isExcluded("bean", new RootBeanDefinition(type), type);
    }
}
