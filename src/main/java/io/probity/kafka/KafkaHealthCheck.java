package io.probity.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the Kafka consumers: DOWN when a started consumer thread has stopped after an
 * error, UP otherwise (also when no consumer runs, because Kafka ingestion is optional).
 */
@Readiness
@ApplicationScoped
public class KafkaHealthCheck implements HealthCheck {

    @Inject
    KafkaIngestor ingestor;

    @Override
    public HealthCheckResponse call() {
        int[] startedAndAlive = ingestor.startedAndAlive();
        return HealthCheckResponse.named("Kafka consumers")
                .status(startedAndAlive[1] == startedAndAlive[0])
                .withData("started", startedAndAlive[0])
                .withData("running", startedAndAlive[1])
                .build();
    }
}
