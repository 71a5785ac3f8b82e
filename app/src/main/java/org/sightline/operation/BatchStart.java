package org.sightline.operation;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A batch command's application, started on its own thread as soon as the database's URL is known. Spring spends
 * most of its start reading configuration and defining beans, which needs no database; the first bean that does
 * (Flyway's) waits for {@link #databaseReady}, which says whether the schema is already this jar's. Meanwhile the
 * command's thread starts the demo's database and makes its checks, and any refusal there ends the command in one
 * line as before.
 */
final class BatchStart implements AutoCloseable {

    private final CompletableFuture<Boolean> schemaCurrent = new CompletableFuture<>();
    private final CompletableFuture<ConfigurableApplicationContext> starting = new CompletableFuture<>();
    private ConfigurableApplicationContext context;

    BatchStart(List<String> springArguments) {
        Thread thread = new Thread(
                () -> {
                    try {
                        starting.complete(SpringLauncher.startBatch(springArguments, schemaCurrent));
                    } catch (Throwable e) {
                        starting.completeExceptionally(e);
                    }
                },
                "sightline-start");
        // A command refused while Spring starts exits without waiting for it.
        thread.setDaemon(true);
        thread.start();
    }

    /** The database answers; {@code schemaCurrent}: it holds exactly this jar's migrations, so Flyway has nothing to do. */
    void databaseReady(boolean schemaCurrent) {
        this.schemaCurrent.complete(schemaCurrent);
    }

    /** The started application (waiting for it), or the reason it failed to start, unwrapped. */
    ConfigurableApplicationContext context() {
        if (context == null) {
            try {
                context = starting.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
            // Registered only now: a hook closing a context still starting would wait for it.
            context.registerShutdownHook();
        }
        return context;
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
        } else {
            // Never started for use: Flyway's wait ends with a cancellation, and a context that got that far is closed.
            schemaCurrent.cancel(false);
            starting.thenAccept(ConfigurableApplicationContext::close);
        }
    }

    /** Flyway's part: wait for the database, then migrate only if its schema is not this jar's. */
    static boolean mustMigrate(CompletableFuture<Boolean> schemaCurrent) {
        try {
            return !schemaCurrent.join();
        } catch (CancellationException e) {
            throw new IllegalStateException("the command ended before the database was ready", e);
        }
    }
}
