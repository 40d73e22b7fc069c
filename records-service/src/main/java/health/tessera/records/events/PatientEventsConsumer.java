package health.tessera.records.events;

import health.tessera.events.CloudEvent;
import health.tessera.events.EventCodec;
import health.tessera.events.EventType;
import health.tessera.events.IdempotentConsumer;
import health.tessera.events.IdentityChanged;
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

    /** Identity events: each says who belongs to one enterprise identity after a link, unlink, merge or unmerge. */
    private static final java.util.List<EventType<IdentityChanged>> IDENTITY_EVENTS = java.util.List.of(
            EventType.PATIENT_LINKED, EventType.PATIENT_UNLINKED, EventType.PATIENT_MERGED, EventType.PATIENT_UNMERGED);

    private void apply(CloudEvent event) {
        for (EventType<IdentityChanged> type : IDENTITY_EVENTS) {
            if (type.type().equals(event.type())) {
                IdentityChanged changed = codec.payload(event, type);
                for (IdentityChanged.Member member : changed.members()) {
                    projection.link(member.patientId(), changed.enterpriseId(), member.linkVersion());
                }
                return;
            }
        }
        if (EventType.PATIENT_DELETED.type().equals(event.type())) {
            PatientRegistered deleted = codec.payload(event, EventType.PATIENT_DELETED);
            projection.markDeleted(
                    deleted.patientId(),
                    deleted.enterpriseId(),
                    deleted.organization(),
                    deleted.version(),
                    deleted.patient().toString());
            indexing.remove(deleted.patientId());
            return;
        }
        EventType<PatientRegistered> sourceEvent =
                EventType.PATIENT_REGISTERED.type().equals(event.type())
                        ? EventType.PATIENT_REGISTERED
                        : EventType.PATIENT_UPDATED.type().equals(event.type()) ? EventType.PATIENT_UPDATED : null;
        if (sourceEvent != null) {
            PatientRegistered registered = codec.payload(event, sourceEvent);
            projection.link(registered.patientId(), registered.enterpriseId(), registered.linkVersion());
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
    }
}
