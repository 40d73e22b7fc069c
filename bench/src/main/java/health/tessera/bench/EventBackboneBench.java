package health.tessera.bench;

import health.tessera.testkit.Databases;
import health.tessera.testkit.FhirFixtures;
import health.tessera.testkit.KeycloakTokens;
import health.tessera.testkit.TesseraEndpoints;
import health.tessera.testkit.TopicWatcher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The event backbone under load, against the running platform. In one run it measures:
 *
 * <ol>
 *   <li>the database floor: one ~1 KB JSON row inserted and committed per request by plain JDBC, the same
 *       concurrency — every registration costs at least this (a commit is an fsync on this disk);
 *   <li>the Kafka ceiling: a bare idempotent Kafka producer ({@code acks=all}) sending envelopes of the same size
 *       one after another per client, the same concurrency — the ceiling for "a write that ends on Kafka";
 *   <li>Patient registrations posted directly to patient-service (token check, FHIR parse, one transaction
 *       with the row and its outbox event);
 *   <li>the same through the gateway (a second token check and one proxy hop);
 *   <li>for every registration, the lag from the HTTP 201 to the event being readable on
 *       {@code tessera.patient.v1}: what the transactional outbox costs in latency.
 * </ol>
 *
 * Args: {@code [requests per phase, default 2000] [concurrent clients, default 16]}.
 */
public final class EventBackboneBench {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        System.out.printf("EventBackboneBench: %d requests per phase, %d concurrent clients%n", requests, clients);

        String sampleEnvelope = "x".repeat(900); // about the size of a patient.registered envelope
        double jdbcRate = rawJdbcCommits(requests, clients, FhirFixtures.patient("Floor", "Db"));
        double producerRate = rawProducer(requests, clients, sampleEnvelope);
        Phase direct = registrations(TesseraEndpoints.patientService(), requests, clients);
        Phase gateway = registrations(TesseraEndpoints.gateway(), requests, clients);

        System.out.println();
        System.out.printf("%-60s %10s %8s%n", "measure", "value", "ratio");
        row("baseline: plain JDBC insert + commit, rows/s", jdbcRate, 1.0);
        row("reference: raw idempotent Kafka producer, events/s", producerRate, producerRate / jdbcRate);
        row("registrations/s direct to patient-service (row + outbox)", direct.rate, direct.rate / jdbcRate);
        row("registrations/s through the gateway", gateway.rate, gateway.rate / jdbcRate);
        row("gateway throughput relative to direct", gateway.rate / direct.rate, gateway.rate / direct.rate);
        row("request latency p50 ms, direct", direct.latencyP(50), Double.NaN);
        row("request latency p99 ms, direct", direct.latencyP(99), Double.NaN);
        row(
                "request latency p50 ms, gateway (ratio to direct)",
                gateway.latencyP(50),
                gateway.latencyP(50) / direct.latencyP(50));
        row(
                "request latency p99 ms, gateway (ratio to direct)",
                gateway.latencyP(99),
                gateway.latencyP(99) / direct.latencyP(99));
        row("outbox lag, 201 -> event on Kafka, p50 ms", direct.lagP(50), Double.NaN);
        row("outbox lag, 201 -> event on Kafka, p99 ms", direct.lagP(99), Double.NaN);
        row("events missing after 30 s (must be 0)", direct.missing + gateway.missing, Double.NaN);
    }

    private static void row(String measure, double value, double ratio) {
        System.out.printf(
                "%-60s %10.1f %8s%n", measure, value, Double.isNaN(ratio) ? "" : String.format("%.2f", ratio));
    }

    /** The database floor: a patient-sized JSON row per transaction, in a scratch database. */
    static double rawJdbcCommits(int requests, int clients, String json) throws Exception {
        String database = "tessera_bench";
        Databases.recreate(database);
        try (Connection c = Databases.connect(database)) {
            c.createStatement().execute("CREATE TABLE floor (id UUID PRIMARY KEY, body JSONB NOT NULL)");
        }
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            connections.add(Databases.connect(database));
        }
        ThreadLocal<Connection> mine = new ThreadLocal<>();
        AtomicInteger handedOut = new AtomicInteger();
        long start = System.nanoTime();
        runConcurrently(requests, clients, i -> {
            if (mine.get() == null) {
                mine.set(connections.get(handedOut.getAndIncrement()));
            }
            try (PreparedStatement insert =
                    mine.get().prepareStatement("INSERT INTO floor (id, body) VALUES (?, ?::jsonb)")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, json);
                insert.executeUpdate(); // autocommit: one transaction per row
            }
            return null;
        });
        double rate = requests / seconds(start);
        for (Connection c : connections) {
            c.close();
        }
        Databases.drop(database);
        return rate;
    }

    /** The Kafka ceiling: envelopes of the same size straight to Kafka, each client waiting for its ack. */
    static double rawProducer(int requests, int clients, String value) throws Exception {
        String topic = benchTopic();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TesseraEndpoints.kafkaBootstrap(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        5),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "warm-up", value)).get();
            long start = System.nanoTime();
            runConcurrently(requests, clients, i -> {
                producer.send(new ProducerRecord<>(topic, "key-" + i, value)).get();
                return null;
            });
            return requests / seconds(start);
        }
    }

    /** The benchmarks' own topic (6 partitions, as the platform's), created when missing; no service reads it. */
    static String benchTopic() throws Exception {
        String topic = "tessera.bench.v1";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", TesseraEndpoints.kafkaBootstrap()))) {
            if (!admin.listTopics().names().get().contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1)))
                        .all()
                        .get();
            }
        }
        return topic;
    }

    record Phase(double rate, List<Double> latenciesMs, List<Double> lagsMs, int missing) {
        double latencyP(int p) {
            return percentile(latenciesMs, p);
        }

        double lagP(int p) {
            return percentile(lagsMs, p);
        }
    }

    static Phase registrations(String baseUrl, int requests, int clients) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String bearer = KeycloakTokens.bearer(KeycloakTokens.CLINIC_A);
        Map<String, Long> createdAt = new ConcurrentHashMap<>();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        try (TopicWatcher events = TopicWatcher.open("tessera.patient.v1")) {
            // Warm-up, not measured: a freshly started service spends its first thousands of requests in
            // the JIT compiler (on two cores that halves the rate), and the figures are about steady state.
            runConcurrently(Math.max(1000, requests), clients, i -> post(http, baseUrl, bearer, i));
            long start = System.nanoTime();
            runConcurrently(requests, clients, i -> {
                long sent = System.nanoTime();
                String id = post(http, baseUrl, bearer, i);
                long done = System.nanoTime();
                latencies.add((done - sent) / 1e6);
                createdAt.put(id, System.currentTimeMillis());
                return null;
            });
            double rate = requests / seconds(start);

            List<Double> lags = new ArrayList<>();
            Map<String, Long> pending = new ConcurrentHashMap<>(createdAt);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                for (var record : events.all(e -> true, Duration.ofMillis(300))) {
                    String subject =
                            TopicWatcher.envelope(record).path("subject").asText();
                    Long created = pending.remove(subject.replace("Patient/", ""));
                    if (created != null) {
                        lags.add((double) Math.max(0, record.timestamp() - created));
                    }
                }
            }
            return new Phase(rate, latencies, lags, pending.size());
        }
    }

    private static String post(HttpClient http, String baseUrl, String bearer, int i) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/fhir/Patient"))
                        .header("Authorization", bearer)
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(FhirFixtures.patient("Bench" + i, "Load")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("registration failed: " + response.statusCode() + " " + response.body());
        }
        Matcher id = ID.matcher(response.body());
        if (!id.find()) {
            throw new IllegalStateException("no id in " + response.body());
        }
        return id.group(1);
    }

    interface Step {
        Object run(int i) throws Exception;
    }

    /** Runs {@code total} steps on {@code clients} threads, each doing its share one after another. */
    static void runConcurrently(int total, int clients, Step step) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Object>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        step.run(i);
                    }
                    return null;
                }));
            }
            for (Future<Object> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static double percentile(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
