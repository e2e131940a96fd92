package io.probity.support;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Kafka 4.1.2 broker in KRaft mode (broker and controller in one process), run as a
 * child JVM on loopback ports. Its jars are copied from the local Maven repository into
 * {@code target/kafka-lib} by {@code src/test/kafka/pom.xml} the first time a test needs them.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Path LIB = Path.of("target", "kafka-lib").toAbsolutePath();

    private final Path directory;
    private final Process process;
    private final String bootstrapServers;

    private KafkaBroker(Path directory, Process process, String bootstrapServers) {
        this.directory = directory;
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a broker and waits until it responds to an AdminClient request (at most 90 s). */
    public static KafkaBroker start() throws IOException, InterruptedException {
        copyJars();
        Path directory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "kafka-");
        int brokerPort = freePort();
        int controllerPort = freePort();
        String bootstrap = "127.0.0.1:" + brokerPort;
        Path properties = directory.resolve("server.properties");
        Files.writeString(properties, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://" + bootstrap,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + directory.resolve("data"),
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                ""));

        run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                properties.toString()), directory.resolve("format.log"), 120);

        List<String> command = javaCommand(List.of("kafka.Kafka", properties.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("broker.log").toFile()).start();
        KafkaBroker broker = new KafkaBroker(directory, process, bootstrap);
        broker.awaitReady();
        return broker;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates a topic with the given number of partitions and replication factor 1. */
    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Kafka broker exited with status " + process.exitValue() + "; see "
                        + directory.resolve("broker.log"));
            }
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                Thread.sleep(500);
            }
        }
        close();
        throw new IOException("Kafka broker did not answer within 90 s; see " + directory.resolve("broker.log"));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void copyJars() throws IOException, InterruptedException {
        if (Files.exists(LIB) && Files.list(LIB).anyMatch(jar -> jar.getFileName().toString().startsWith("kafka_2.13"))) {
            return;
        }
        String mavenHome = System.getProperty("maven.home");
        String mvn = mavenHome == null ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString();
        List<String> command = new ArrayList<>(List.of(mvn, "-B", "-q", "-f",
                Path.of("src", "test", "kafka", "pom.xml").toAbsolutePath().toString(),
                "dependency:copy-dependencies", "-DoutputDirectory=" + LIB));
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("Copying the Kafka broker jars with " + String.join(" ", command) + " failed");
        }
    }

    private static void run(List<String> arguments, Path log, int timeoutSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(javaCommand(arguments)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(arguments.get(0) + " timed out; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IOException(arguments.get(0) + " failed with status " + process.exitValue() + ": "
                    + Files.readString(log));
        }
    }

    private static List<String> javaCommand(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                "-cp", LIB + File.separator + "*"));
        command.addAll(arguments);
        return command;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
