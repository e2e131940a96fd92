package io.probity.kafka;

import java.time.Duration;
import java.util.Map;

/**
 * Connection and group settings of the Kafka consumers.
 *
 * @param bootstrapServers  comma-separated host:port list
 * @param topic             topic with one prediction record (a JSON object) per message
 * @param groupId           consumer group; every Probity instance uses the same one to share the partitions
 * @param consumers         consumer threads in this instance, each a member of the group
 * @param maxPollRecords    records per poll and so per database transaction, at most 10,000
 * @param retryBackoff      pause before a batch whose store failed is read again
 * @param clientProperties  further Kafka consumer properties (security, timeouts), passed as they are
 */
public record KafkaSettings(String bootstrapServers, String topic, String groupId, int consumers,
                            int maxPollRecords, Duration retryBackoff, Map<String, String> clientProperties) {
}
