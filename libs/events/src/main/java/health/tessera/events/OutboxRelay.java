package health.tessera.events;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka, oldest first, and marks them sent.
 *
 * <p>At-least-once: a row is marked sent only after the broker acknowledged it ({@code acks=all}); a crash
 * between the two republishes it, and consumers are idempotent. Order per key holds because one relay at a
 * time works on a database (a transaction-scoped advisory lock) and the idempotent producer keeps order
 * across retries. The relay runs after each commit that appended events and on a short poll, which also
 * picks up rows left by a crashed instance.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock id: "outbox" in ASCII, the same in every service (each has its own database). */
    private static final long RELAY_LOCK = 0x6f7574626f78L;

    private final AgroalDataSource dataSource;
    private final OutboxConfig config;
    private final Producer<String, String> producer;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "outbox-relay");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final Counter published;
    /** Rows marked sent since the relay last vacuumed the outbox (only the relay's thread touches it). */
    private long sentSinceVacuum;

    public OutboxRelay(
            AgroalDataSource dataSource,
            OutboxConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            MeterRegistry meters) {
        this.dataSource = dataSource;
        this.config = config;
        this.producer =
                new KafkaProducer<>(producerConfig(kafkaConfig), new StringSerializer(), new StringSerializer());
        this.published = meters.counter("tessera.outbox.published");
    }

    static Map<String, Object> producerConfig(Map<String, Object> kafkaConfig) {
        Map<String, Object> props = ProducerSettings.reliable(kafkaConfig, "outbox-relay");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        // A broker that cannot be reached fails the pass quickly (the rows stay unsent) instead of holding
        // the relay's transaction open for the default minute.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return props;
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWriter.OutboxAppended appended) {
        requestPass();
    }

    @Scheduled(every = "${tessera.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        requestPass();
    }

    @Scheduled(every = "1h", delayed = "1m")
    void housekeeping() {
        if (!config.relayEnabled()) {
            return;
        }
        QuarkusTransaction.requiringNew()
                .run(() -> update(
                        "DELETE FROM outbox_event WHERE sent_at < now() - make_interval(secs => ?)",
                        config.retention().toSeconds()));
    }

    /** Queues one relay pass unless one is already waiting; passes never run concurrently in this JVM. */
    void requestPass() {
        if (config.relayEnabled() && passQueued.compareAndSet(false, true)) {
            worker.execute(() -> {
                passQueued.set(false);
                try {
                    int sent;
                    do {
                        sent = publishBatch();
                        sentSinceVacuum += sent;
                    } while (sent == config.batchSize()); // a full batch: more rows may wait
                    if (sentSinceVacuum >= config.vacuumEvery()) {
                        vacuum();
                    }
                } catch (RuntimeException e) {
                    LOG.warnf("outbox relay pass failed, will retry: %s", e.getMessage());
                }
            });
        }
    }

    /** Publishes one batch of unsent rows in a transaction; returns how many were published. */
    int publishBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                if (!tryRelayLock(connection)) {
                    return 0; // another instance is relaying this database
                }
                List<Row> rows = unsent(connection);
                if (rows.isEmpty()) {
                    return 0;
                }
                List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
                for (Row row : rows) {
                    acks.add(producer.send(
                            CloudEvent.kafkaRecord(row.topic, row.key, row.envelope, row.type, row.correlationId)));
                }
                long deadline = System.nanoTime() + config.publishTimeout().toNanos();
                for (Future<RecordMetadata> ack : acks) {
                    ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                markSent(connection, rows);
                published.increment(rows.size());
                return rows.size();
            }
        });
    }

    /**
     * Removes the dead row versions that marking rows sent leaves (outside any transaction, on the relay's thread).
     * Each dead version keeps its entry in the index of unsent rows until a vacuum, and every pass walks those
     * entries before it finds the rows it publishes: with 1.9 M of them a pass that found nothing took 13 ms of the
     * database's time. Autovacuum cleans up only after a fifth of the table changed, and never on a server that
     * runs without it (this project's machines do), so the relay does it after {@link OutboxConfig#vacuumEvery()}
     * rows.
     */
    private void vacuum() {
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection();
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("VACUUM outbox_event");
        } catch (SQLException e) {
            LOG.warnf("could not vacuum the outbox (will try again): %s", e.getMessage());
            return;
        }
        LOG.debugf(
                "vacuumed the outbox after %d rows sent (%d ms)",
                sentSinceVacuum, (System.nanoTime() - start) / 1_000_000);
        sentSinceVacuum = 0;
    }

    private static boolean tryRelayLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, RELAY_LOCK);
            try (ResultSet rs = lock.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private List<Row> unsent(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT seq, topic, event_key, event_type, envelope, correlation_id FROM outbox_event"
                        + " WHERE sent_at IS NULL ORDER BY seq LIMIT ?")) {
            select.setInt(1, config.batchSize());
            try (ResultSet rs = select.executeQuery()) {
                List<Row> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new Row(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6)));
                }
                return rows;
            }
        }
    }

    private static void markSent(Connection connection, List<Row> rows) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement("UPDATE outbox_event SET sent_at = now() WHERE seq = ANY (?)")) {
            update.setArray(
                    1,
                    connection.createArrayOf(
                            "bigint", rows.stream().map(Row::seq).toArray()));
            update.executeUpdate();
        }
    }

    private void update(String sql, long parameter) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, parameter);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void shutdown(@Observes ShutdownEvent event) {
        worker.shutdownNow();
        producer.close(java.time.Duration.ofSeconds(5));
    }

    private record Row(long seq, String topic, String key, String type, String envelope, String correlationId) {}
}
