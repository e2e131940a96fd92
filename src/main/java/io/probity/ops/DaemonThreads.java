package io.probity.ops;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Factory of the background schedulers that alerting, rollup folding and partition upkeep run on. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /**
     * Returns a single-thread scheduler whose thread has the given name and is a daemon, so that it
     * never keeps the JVM alive after Quarkus has stopped.
     */
    public static ScheduledExecutorService scheduler(String threadName) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }
}
