package health.tessera.gateway.audit;

import health.tessera.events.AuditRecorded;
import health.tessera.events.CloudEvent;
import health.tessera.events.EventCodec;
import health.tessera.events.EventIds;
import health.tessera.events.EventType;
import health.tessera.gateway.config.GatewayConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes the audit event of each request to {@code tessera.audit.v1} and reports when the broker has it
 * ({@code acks=all}, idempotent producer: one event per request even when a send is retried). The gateway holds
 * no state a transactional outbox could protect, so it waits for the acknowledgement instead: a request whose
 * audit event is not acknowledged within {@link GatewayConfig.Audit#timeout()} is not answered (fail closed).
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    static final String SOURCE = "gateway";

    private final Producer<String, String> producer;
    private final EventCodec codec;
    private final Duration timeout;
    /** Whether the topic's metadata is known: then send() does not block and can run on the event loop. */
    private volatile boolean metadataKnown;

    public AuditTrail(
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            EventCodec codec,
            GatewayConfig config) {
        this.codec = codec;
        this.timeout = config.audit().timeout();
        this.producer = new KafkaProducer<>(
                producerConfig(kafkaConfig, config.audit().timeout()), new StringSerializer(), new StringSerializer());
    }

    static Map<String, Object> producerConfig(Map<String, Object> kafkaConfig, Duration timeout) {
        int timeoutMs = (int) timeout.toMillis();
        // Each request waits for its event: none lingers, and concurrent requests' events share a produce request
        // (a linger of 1 ms instead made the p99 much worse).
        Map<String, Object> props = health.tessera.events.ProducerSettings.awaited(kafkaConfig, "gateway-audit");
        // The whole budget of one event, retries included; the request gets 503 after it.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(500, timeoutMs - 500));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        return props;
    }

    /** Fetches the topic's metadata at start, so the first request does not wait for it. */
    void warmUp(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent start) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                producer.partitionsFor(EventType.AUDIT_RECORDED.topic().topicName());
                metadataKnown = true;
            } catch (RuntimeException e) {
                LOG.warnf("audit topic not reachable yet (%s); requests answer 503 until it is", e.toString());
            }
        });
    }

    /**
     * Publishes {@code audit}; the Uni completes once the broker acknowledged it and fails when it did not in
     * time. It completes on the caller's Vert.x context, so the response is written where it would have been.
     */
    public Uni<Void> record(AuditRecorded audit, String correlationId) {
        EventType<AuditRecorded> type = EventType.AUDIT_RECORDED;
        CloudEvent event = new CloudEvent(
                CloudEvent.SPEC_VERSION,
                EventIds.newId().toString(),
                SOURCE,
                type.type(),
                audit.resourceType() == null
                        ? null
                        : audit.resourceId() == null
                                ? audit.resourceType()
                                : audit.resourceType() + "/" + audit.resourceId(),
                OffsetDateTime.ofInstant(audit.recorded(), ZoneOffset.UTC),
                "application/json",
                correlationId,
                codec.asData(audit));
        // Keyed by organisation: one organisation's accesses stay in order in one partition.
        String key = audit.agent().organization() == null
                ? "anonymous"
                : audit.agent().organization();
        var record =
                CloudEvent.kafkaRecord(type.topic().topicName(), key, codec.write(event), type.type(), correlationId);
        Context context = Vertx.currentContext();
        Uni<Void> sent = Uni.createFrom()
                .emitter(emitter -> producer.send(record, (metadata, failure) -> {
                    Runnable complete = failure == null ? () -> emitter.complete(null) : () -> emitter.fail(failure);
                    if (context == null) {
                        complete.run();
                    } else {
                        context.runOnContext(ignored -> complete.run());
                    }
                }));
        if (!metadataKnown) {
            // send() blocks until the topic's metadata arrives (at start, or while the broker is down): never on an
            // event loop. Once known, send() only appends to the producer's buffer.
            sent = sent.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return sent.ifNoItem()
                .after(timeout.plusSeconds(1))
                .fail()
                .onFailure()
                .invoke(failure ->
                        LOG.errorf("audit event of request %s not recorded: %s", correlationId, failure.toString()));
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
