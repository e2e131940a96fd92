package io.probity.kafka;

import io.probity.api.ApiException;
import io.probity.ingest.IngestResponse;
import io.probity.ingest.IngestService;
import io.probity.ingest.RecordResult;
import io.probity.security.Principal;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * One member of the consumer group: polls a batch, stores it through {@link IngestService}, and
 * only then commits the batch's offsets with {@code commitSync}.
 *
 * <p>Delivery is at least once. A crash between the database commit and the offset commit, or a
 * rebalance, hands the batch to a consumer again. The (model, predictionId) key turns those
 * records into duplicates, so each record is stored once. When the store fails (database down),
 * the worker seeks back to the first offset of the batch and tries again after the retry backoff.
 * A message that is not a valid record is logged with its partition and offset, counted, and
 * committed like the others, so it never blocks its partition.
 */
final class KafkaConsumerWorker implements Runnable {

    private static final Logger LOG = Logger.getLogger(KafkaConsumerWorker.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    /** Rejections logged per batch; the rest are only counted. */
    private static final int MAX_LOGGED_REJECTIONS = 10;
    /** Bytes of messages sent to one ingestion call, below its 16 MiB request limit. */
    private static final long MAX_CHUNK_BYTES = IngestService.MAX_BODY_BYTES - 1024 * 1024;

    private final KafkaSettings settings;
    private final IngestService ingestService;
    private final KafkaMetrics metrics;
    private final Thread thread;
    private volatile boolean stopRequested;
    private volatile Set<TopicPartition> assignment = Set.of();

    KafkaConsumerWorker(KafkaSettings settings, int number, IngestService ingestService, KafkaMetrics metrics) {
        this.settings = settings;
        this.ingestService = ingestService;
        this.metrics = metrics;
        this.thread = new Thread(this, "probity-kafka-" + number);
    }

    void start() {
        thread.start();
    }

    void requestStop() {
        stopRequested = true;
    }

    /** Returns the partitions assigned to this member at its latest poll. */
    Set<TopicPartition> assignment() {
        return assignment;
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    void awaitStop() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Properties consumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.putAll(settings.clientProperties());
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return properties;
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            consumer.subscribe(List.of(settings.topic()));
            while (!stopRequested) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL_TIMEOUT);
                assignment = Set.copyOf(consumer.assignment());
                if (batch.isEmpty()) {
                    continue;
                }
                List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(batch.count());
                batch.forEach(records::add);
                long start = System.nanoTime();
                try {
                    store(records);
                } catch (RuntimeException e) {
                    metrics.storeFailure();
                    LOG.errorf(e, "Storing %d Kafka messages failed; reading them again in %s", records.size(),
                            settings.retryBackoff());
                    // NOTE: no test covers this path yet (a store that fails, then succeeds on retry).
                    seekToFirst(consumer, records);
                    sleep(settings.retryBackoff());
                    continue;
                }
                consumer.commitSync(nextOffsets(records));
                if (LOG.isDebugEnabled()) {
                    LOG.debugf("Stored and committed %d Kafka messages in %d ms", records.size(),
                            (System.nanoTime() - start) / 1_000_000);
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Kafka consumer %s stopped after an error", thread.getName());
        }
        assignment = Set.of();
    }

    /** Stores the messages in chunks that fit one ingestion call. */
    private void store(List<ConsumerRecord<byte[], byte[]>> records) {
        int from = 0;
        while (from < records.size()) {
            int to = from;
            long bytes = 0;
            while (to < records.size() && (to == from || bytes + size(records.get(to)) < MAX_CHUNK_BYTES)) {
                bytes += size(records.get(to));
                to++;
            }
            storeChunk(records.subList(from, to));
            from = to;
        }
    }

    private void storeChunk(List<ConsumerRecord<byte[], byte[]>> chunk) {
        IngestResponse response;
        try {
            response = ingestService.ingest(new ByteArrayInputStream(jsonArray(chunk)), false, Principal.SYSTEM);
        } catch (ApiException e) {
            // One malformed message fails the whole array, so find it by storing the messages one by one.
            for (ConsumerRecord<byte[], byte[]> record : chunk) {
                storeOne(record);
            }
            return;
        }
        countAndLog(chunk, response);
    }

    private void storeOne(ConsumerRecord<byte[], byte[]> record) {
        try {
            IngestResponse response = ingestService.ingest(
                    new ByteArrayInputStream(jsonArray(List.of(record))), false, Principal.SYSTEM);
            countAndLog(List.of(record), response);
        } catch (ApiException e) {
            metrics.messages("rejected", 1);
            LOG.warnf("Rejected Kafka message %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    private void countAndLog(List<ConsumerRecord<byte[], byte[]>> chunk, IngestResponse response) {
        metrics.messages("stored", response.accepted() + response.duplicates());
        metrics.messages("rejected", response.rejected());
        int rejected = 0;
        for (RecordResult result : response.results()) {
            if (!RecordResult.REJECTED.equals(result.status())) {
                continue;
            }
            rejected++;
            if (rejected <= MAX_LOGGED_REJECTIONS) {
                ConsumerRecord<byte[], byte[]> record = chunk.get(result.index());
                LOG.warnf("Rejected Kafka message %s-%d@%d (predictionId %s): %s", record.topic(),
                        record.partition(), record.offset(), result.predictionId(), result.errors());
            }
        }
        if (rejected > MAX_LOGGED_REJECTIONS) {
            LOG.warnf("%d more Kafka messages of this batch were rejected", rejected - MAX_LOGGED_REJECTIONS);
        }
    }

    /**
     * Joins message values into one JSON array. A value that is not a single JSON value (for
     * example two objects) breaks the array, which sends the chunk through {@link #storeOne}.
     */
    private static byte[] jsonArray(List<ConsumerRecord<byte[], byte[]>> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        for (int i = 0; i < records.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            byte[] value = records.get(i).value();
            if (value == null || value.length == 0) {
                out.writeBytes("null".getBytes(StandardCharsets.US_ASCII));
            } else {
                out.writeBytes(value);
            }
        }
        out.write(']');
        return out.toByteArray();
    }

    private static long size(ConsumerRecord<byte[], byte[]> record) {
        return record.value() == null ? 4 : record.value().length + 1;
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            offsets.merge(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
    }

    private static void seekToFirst(KafkaConsumer<byte[], byte[]> consumer,
                                    List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            first.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        }
        first.forEach((partition, offset) -> {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }

    private void sleep(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (!stopRequested && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
