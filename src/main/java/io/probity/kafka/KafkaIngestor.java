package io.probity.kafka;

import io.probity.ingest.IngestService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Starts and stops the Kafka consumers that feed predictions into the ingestion path.
 *
 * <p>Disabled unless {@code probity.kafka.enabled=true}. Each consumer is a thread with its own
 * {@link org.apache.kafka.clients.consumer.KafkaConsumer} in group {@code probity.kafka.group-id};
 * see {@link KafkaConsumerWorker} for the commit order.
 */
@ApplicationScoped
public class KafkaIngestor {

    private static final Logger LOG = Logger.getLogger(KafkaIngestor.class);
    private static final String CLIENT_PREFIX = "probity.kafka.client.";

    @Inject
    IngestService ingestService;

    @Inject
    KafkaMetrics metrics;

    @Inject
    Config config;

    @ConfigProperty(name = "probity.kafka.enabled", defaultValue = "false")
    boolean enabled;

    private final List<KafkaConsumerWorker> workers = new ArrayList<>();

    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            start(settingsFromConfig());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Reads the consumer settings from the {@code probity.kafka.*} configuration keys. */
    // NOTE: the tests start the consumers through start(KafkaSettings); this method has no test.
    KafkaSettings settingsFromConfig() {
        Map<String, String> clientProperties = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(CLIENT_PREFIX)) {
                clientProperties.put(name.substring(CLIENT_PREFIX.length()), config.getValue(name, String.class));
            }
        }
        return new KafkaSettings(
                config.getValue("probity.kafka.bootstrap-servers", String.class),
                config.getValue("probity.kafka.topic", String.class),
                config.getOptionalValue("probity.kafka.group-id", String.class).orElse("probity"),
                config.getOptionalValue("probity.kafka.consumers", Integer.class).orElse(1),
                config.getOptionalValue("probity.kafka.max-poll-records", Integer.class).orElse(2000),
                config.getOptionalValue("probity.kafka.retry-backoff", Duration.class).orElse(Duration.ofSeconds(5)),
                clientProperties);
    }

    /** Starts the consumer threads of the given settings; fails when consumers already run. */
    public synchronized void start(KafkaSettings settings) {
        if (!workers.isEmpty()) {
            throw new IllegalStateException("Kafka consumers already run; stop them first");
        }
        if (settings.maxPollRecords() < 1 || settings.maxPollRecords() > IngestService.MAX_RECORDS) {
            throw new IllegalArgumentException("probity.kafka.max-poll-records must be between 1 and "
                    + IngestService.MAX_RECORDS + ", got " + settings.maxPollRecords());
        }
        LOG.infof("Starting %d Kafka consumer(s) of topic %s in group %s at %s", settings.consumers(),
                settings.topic(), settings.groupId(), settings.bootstrapServers());
        for (int i = 0; i < settings.consumers(); i++) {
            KafkaConsumerWorker worker = new KafkaConsumerWorker(settings, i, ingestService, metrics);
            workers.add(worker);
            worker.start();
        }
    }

    /** Returns the number of started consumers and how many of their threads still run. */
    public synchronized int[] startedAndAlive() {
        int alive = (int) workers.stream().filter(KafkaConsumerWorker::isAlive).count();
        return new int[] {workers.size(), alive};
    }

    /** Returns the partitions of each running consumer, in consumer order. */
    public synchronized List<Set<TopicPartition>> assignments() {
        return workers.stream().map(KafkaConsumerWorker::assignment).toList();
    }

    /** Stops the consumer threads and waits for them to finish their current batch and leave the group. */
    public synchronized void stop() {
        for (KafkaConsumerWorker worker : workers) {
            worker.requestStop();
        }
        for (KafkaConsumerWorker worker : workers) {
            worker.awaitStop();
        }
        if (!workers.isEmpty()) {
            LOG.infof("Stopped %d Kafka consumer(s)", workers.size());
        }
        workers.clear();
    }
}
