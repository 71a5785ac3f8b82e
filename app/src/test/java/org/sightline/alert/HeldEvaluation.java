package org.sightline.alert;

import org.springframework.context.ApplicationContext;

/**
 * For tests outside the alert package that look at a state before its alerts: evaluates what is waiting now, then
 * holds the background evaluation until released. An alert routed to an agency opens the child's page to it, so a
 * test of what an agency without that relationship sees must not race the worker.
 */
public final class HeldEvaluation implements AutoCloseable {

    private final AlertWorker worker;

    private HeldEvaluation(AlertWorker worker) {
        this.worker = worker;
    }

    public static HeldEvaluation hold(ApplicationContext context) {
        AlertWorker worker = context.getBean(AlertWorker.class);
        worker.pause(true);
        // A background drain already under way ends when a batch comes back short; this one empties the outbox.
        worker.drain();
        return new HeldEvaluation(worker);
    }

    @Override
    public void close() {
        worker.pause(false);
    }
}
