package io.probity.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Counters of the Kafka consumers: {@code probity_kafka_messages_total{outcome}} with outcome
 * stored (accepted or duplicate), rejected (invalid record or not a JSON object) and
 * {@code probity_kafka_store_failures_total} for batches whose database transaction failed and
 * that are read again.
 */
@ApplicationScoped
public class KafkaMetrics {

    @Inject
    MeterRegistry registry;

    void messages(String outcome, int amount) {
        if (amount > 0) {
            Counter.builder("probity_kafka_messages").tag("outcome", outcome).register(registry).increment(amount);
        }
    }

    void storeFailure() {
        Counter.builder("probity_kafka_store_failures").register(registry).increment();
    }
}
