package io.probity.kafka;

import io.probity.support.KafkaBroker;
import io.probity.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the Kafka consumers against a real single-node broker that the test starts itself. The
 * consumers are started by the test with {@link KafkaIngestor#start}; {@code probity.kafka.enabled}
 * stays false, so no other test connects to Kafka.
 */
@QuarkusTest
class KafkaIngestTest {

    private static final Logger LOG = Logger.getLogger(KafkaIngestTest.class);
    private static final int RECORDS = Integer.getInteger("probity.kafka.test-records", 20_000);
    private static final int PARTITIONS = 4;
    private static final int BENCH_CONSUMERS = Integer.getInteger("probity.kafka.test-consumers", 2);

    private static KafkaBroker broker;

    @Inject
    KafkaIngestor ingestor;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void stopConsumers() {
        ingestor.stop();
    }

    private KafkaSettings settings(String topic, int consumers) {
        return new KafkaSettings(broker.bootstrapServers(), topic, "probity-" + topic, consumers, 2000,
                Duration.ofSeconds(1), Map.of());
    }

    /** Returns RECORDS digits records under a new model, each with its own predictionId. */
    private static List<String> records(String model) {
        List<String> digits = TestData.lines("demo/digits/reference.ndjson");
        List<String> records = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            String line = digits.get(i % digits.size());
            records.add(line.replace("\"model\":\"digits-logreg\"", "\"model\":\"" + model + "\"")
                    .replaceFirst("\"predictionId\":\"[^\"]*\"", "\"predictionId\":\"k-" + i + "\""));
        }
        return records;
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    private static void send(KafkaProducer<String, String> producer, String topic, List<String> values, int from, int to) {
        for (int i = from; i < to; i++) {
            producer.send(new ProducerRecord<>(topic, "k-" + i, values.get(i)));
        }
        producer.flush();
    }

    private long rows(String model) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM prediction WHERE model = ?")) {
            statement.setString(1, model);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    /** Waits until the model has at least the given number of rows; returns the count at the end. */
    private long awaitRows(String model, long expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long count = rows(model);
        while (count < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            count = rows(model);
        }
        return count;
    }

    @Test
    void restartMidStreamStoresEachRecordOnce() throws Exception {
        String model = TestData.uniqueModel("kafka");
        String topic = "predictions-" + model;
        broker.createTopic(topic, PARTITIONS);
        List<String> values = records(model);

        try (KafkaProducer<String, String> producer = producer()) {
            ingestor.start(settings(topic, 2));
            send(producer, topic, values, 0, RECORDS / 2);
            long before = awaitRows(model, RECORDS / 4, Duration.ofSeconds(120));
            assertTrue(before >= RECORDS / 4, "rows before the restart: " + before);

            ingestor.stop();
            long stopped = rows(model);
            send(producer, topic, values, RECORDS / 2, RECORDS);
            // A record sent twice and a message that is not a record must not add rows.
            send(producer, topic, values, 0, 1);
            producer.send(new ProducerRecord<>(topic, "broken", "{\"model\":\"" + model + "\",")).get();
            Thread.sleep(500);
            assertEquals(stopped, rows(model), "rows while the consumers are stopped");

            ingestor.start(settings(topic, 1));
            long after = awaitRows(model, RECORDS, Duration.ofSeconds(180));
            assertEquals(RECORDS, after, "rows after the restart");
            Thread.sleep(2000);
            assertEquals(RECORDS, rows(model), "rows after the consumers caught up");
        }
    }

    @Test
    void rejectedMessagesAreCounted() throws Exception {
        String model = TestData.uniqueModel("kafka-rejected");
        String topic = "predictions-" + model;
        broker.createTopic(topic, 1);
        List<String> values = new ArrayList<>(records(model).subList(0, 3));
        // Two valid JSON records that fail validation: a logits vector of 2 values and an unknown class.
        values.add(values.get(0).replaceFirst("\"predictionId\":\"[^\"]*\"", "\"predictionId\":\"short\"")
                .replaceFirst("\"logits\":\\[[^\\]]*\\]", "\"logits\":[1.0,2.0]"));
        values.add(values.get(1).replaceFirst("\"predictionId\":\"[^\"]*\"", "\"predictionId\":\"unknown\"")
                .replaceFirst("\"predictedClass\":[^,}]*", "\"predictedClass\":\"eleven\""));

        try (KafkaProducer<String, String> producer = producer()) {
            send(producer, topic, values, 0, values.size());
        }
        ingestor.start(settings(topic, 1));
        assertEquals(3, awaitRows(model, 3, Duration.ofSeconds(60)), "accepted rows");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Map<String, Long> rejected = rejections(model);
        while (rejected.values().stream().mapToLong(Long::longValue).sum() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            rejected = rejections(model);
        }
        assertEquals(Map.of("logits", 1L, "predictedClass", 1L), rejected);
    }

    /** Returns the stored rejected-record counts of a model per field. */
    private Map<String, Long> rejections(String model) throws SQLException {
        Map<String, Long> counts = new java.util.TreeMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT field, sum(rejected) FROM ingest_rejection_hourly WHERE model = ? GROUP BY field")) {
            statement.setString(1, model);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    counts.put(result.getString(1), result.getLong(2));
                }
            }
        }
        return counts;
    }

    @Test
    void groupMembersShareThePartitions() throws Exception {
        String topic = "predictions-" + TestData.uniqueModel("kafka-group");
        broker.createTopic(topic, PARTITIONS);
        ingestor.start(settings(topic, 2));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Set<TopicPartition>> assignments = ingestor.assignments();
        while (System.nanoTime() < deadline && assignments.stream().mapToInt(Set::size).sum() != PARTITIONS) {
            Thread.sleep(200);
            assignments = ingestor.assignments();
        }

        assertEquals(2, assignments.size(), "consumers");
        assertFalse(assignments.get(0).isEmpty(), "partitions of consumer 0: " + assignments);
        assertFalse(assignments.get(1).isEmpty(), "partitions of consumer 1: " + assignments);
        Set<TopicPartition> all = new HashSet<>(assignments.get(0));
        all.addAll(assignments.get(1));
        assertEquals(PARTITIONS, all.size(), "partitions assigned once each: " + assignments);

        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Kafka consumers' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Kafka consumers' }.data.running", equalTo(2));
    }

    @Test
    void preloadedTopicThroughput() throws Exception {
        String model = TestData.uniqueModel("kafka-bench");
        String topic = "predictions-" + model;
        broker.createTopic(topic, PARTITIONS);
        try (KafkaProducer<String, String> producer = producer()) {
            send(producer, topic, records(model), 0, RECORDS);
        }

        long start = System.nanoTime();
        ingestor.start(settings(topic, BENCH_CONSUMERS));
        awaitRows(model, 1, Duration.ofSeconds(60));
        long firstRow = System.nanoTime();
        long firstCount = rows(model);
        long count = awaitRows(model, RECORDS, Duration.ofSeconds(600));
        long end = System.nanoTime();
        assertEquals(RECORDS, count, "rows after consuming the topic");

        // The sustained rate leaves out the time before the first row is stored: the group join
        // and most of the first batch.
        double total = (end - start) / 1e9;
        double sustained = (end - firstRow) / 1e9;
        LOG.infof("KAFKA-THROUGHPUT %d records, %d partitions, %d consumers, 2000 records per poll: "
                        + "%.1f s in all (%.0f records/s), first rows after %.1f s, then %.0f records/s",
                RECORDS, PARTITIONS, BENCH_CONSUMERS, total, RECORDS / total, (firstRow - start) / 1e9,
                (RECORDS - firstCount) / sustained);
    }
}
