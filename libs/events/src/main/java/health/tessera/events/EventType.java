package health.tessera.events;

import java.util.List;
import java.util.Optional;

/**
 * One definition per event type: its CloudEvents {@code type}, the topic it travels on and the class of its
 * payload. Producers and consumers both go through these constants, so a type string is written once.
 */
public record EventType<T>(String type, Topic topic, Class<T> payloadClass) {

    public static final EventType<PatientRegistered> PATIENT_REGISTERED =
            new EventType<>("tessera.patient.registered.v1", Topic.PATIENT, PatientRegistered.class);

    public static final EventType<PatientRegistered> PATIENT_UPDATED =
            new EventType<>("tessera.patient.updated.v1", Topic.PATIENT, PatientRegistered.class);

    /** A source record was deleted: it left its identity; {@code golden} is the identity's rebuilt record or null. */
    public static final EventType<PatientRegistered> PATIENT_DELETED =
            new EventType<>("tessera.patient.deleted.v1", Topic.PATIENT, PatientRegistered.class);

    public static final EventType<IdentityChanged> PATIENT_LINKED =
            new EventType<>("tessera.patient.linked.v1", Topic.PATIENT, IdentityChanged.class);

    public static final EventType<IdentityChanged> PATIENT_UNLINKED =
            new EventType<>("tessera.patient.unlinked.v1", Topic.PATIENT, IdentityChanged.class);

    public static final EventType<IdentityChanged> PATIENT_MERGED =
            new EventType<>("tessera.patient.merged.v1", Topic.PATIENT, IdentityChanged.class);

    public static final EventType<IdentityChanged> PATIENT_UNMERGED =
            new EventType<>("tessera.patient.unmerged.v1", Topic.PATIENT, IdentityChanged.class);

    public static final EventType<RecordCommitted> RECORD_COMMITTED =
            new EventType<>("tessera.record.committed.v1", Topic.RECORD, RecordCommitted.class);

    public static final EventType<AlertRaised> ALERT_RAISED =
            new EventType<>("tessera.alert.raised.v1", Topic.ALERT, AlertRaised.class);

    public static final EventType<AuditRecorded> AUDIT_RECORDED =
            new EventType<>("tessera.audit.recorded.v1", Topic.AUDIT, AuditRecorded.class);

    public static final EventType<AccessGrantChanged> ACCESS_GRANT_CHANGED =
            new EventType<>("tessera.exchange.access-changed.v1", Topic.EXCHANGE, AccessGrantChanged.class);

    public static final List<EventType<?>> ALL = List.of(
            PATIENT_REGISTERED,
            PATIENT_UPDATED,
            PATIENT_DELETED,
            PATIENT_LINKED,
            PATIENT_UNLINKED,
            PATIENT_MERGED,
            PATIENT_UNMERGED,
            RECORD_COMMITTED,
            ALERT_RAISED,
            AUDIT_RECORDED,
            ACCESS_GRANT_CHANGED);

    public static Optional<EventType<?>> byType(String type) {
        return ALL.stream().filter(t -> t.type().equals(type)).findFirst();
    }
}
