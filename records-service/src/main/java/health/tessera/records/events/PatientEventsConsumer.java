package health.tessera.records.events;

import health.tessera.events.CloudEvent;
import health.tessera.events.EventCodec;
import health.tessera.events.EventType;
import health.tessera.events.IdempotentConsumer;
import health.tessera.events.MalformedEventException;
import health.tessera.events.PatientRegistered;
import health.tessera.records.domain.PatientProjection;
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

    public PatientEventsConsumer(IdempotentConsumer idempotent, EventCodec codec, PatientProjection projection) {
        this.idempotent = idempotent;
        this.codec = codec;
        this.projection = projection;
    }

    @Incoming("patient-events")
    @Blocking(ordered = true)
    @Retry(maxRetries = 4, delay = 200, jitter = 100, abortOn = MalformedEventException.class)
    public void onPatientEvent(ConsumerRecord<String, String> record) {
        idempotent.apply(CONSUMER, record.value(), this::apply);
    }

    private void apply(CloudEvent event) {
        if (EventType.PATIENT_REGISTERED.type().equals(event.type())) {
            PatientRegistered registered = codec.payload(event, EventType.PATIENT_REGISTERED);
            projection.upsert(
                    registered.patientId(),
                    registered.enterpriseId(),
                    registered.organization(),
                    registered.version(),
                    registered.patient().toString());
        }
        // Other patient event types are ignored until this service needs them.
    }
}
