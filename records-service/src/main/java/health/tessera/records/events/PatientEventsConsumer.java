package health.tessera.records.events;

import health.tessera.events.CloudEvent;
import health.tessera.events.EventCodec;
import health.tessera.events.EventType;
import health.tessera.events.IdempotentConsumer;
import health.tessera.events.MalformedEventException;
import health.tessera.events.PatientRegistered;
import health.tessera.records.domain.PatientProjection;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Keeps the patient projection from tessera.patient.v1. */
@ApplicationScoped
public class PatientEventsConsumer {

    static final String CONSUMER = "records-service.patient-projection";

    private final IdempotentConsumer idempotent;
    private final EventCodec codec;
    private final PatientProjection projection;
    private final PatientIndexing indexing;

    public PatientEventsConsumer(
            IdempotentConsumer idempotent, EventCodec codec, PatientProjection projection, PatientIndexing indexing) {
        this.idempotent = idempotent;
        this.codec = codec;
        this.projection = projection;
        this.indexing = indexing;
    }

    @Incoming("patient-events")
    @Blocking(ordered = true)
    // Bounded retries with backoff (0.2 s, 0.4 s, 0.8 s, 1.6 s); then the record goes to the DLQ.
    @Retry(maxRetries = 4, delay = 200, jitter = 50, abortOn = MalformedEventException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 5000)
    public void onPatientEvent(ConsumerRecord<String, String> record) {
        idempotent.apply(CONSUMER, record.value(), this::apply);
    }

    private void apply(CloudEvent event) {
        if (EventType.PATIENT_REGISTERED.type().equals(event.type())) {
            PatientRegistered registered = codec.payload(event, EventType.PATIENT_REGISTERED);
            boolean newer = projection.upsert(
                    registered.patientId(),
                    registered.enterpriseId(),
                    registered.organization(),
                    registered.version(),
                    registered.patient().toString());
            if (newer) {
                indexing.index(registered.patientId(), registered.patient().toString());
            }
        }
        // Other patient event types are ignored until this service needs them.
    }
}
