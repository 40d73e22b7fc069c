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

    public static final EventType<RecordCommitted> RECORD_COMMITTED =
            new EventType<>("tessera.record.committed.v1", Topic.RECORD, RecordCommitted.class);

    public static final EventType<AlertRaised> ALERT_RAISED =
            new EventType<>("tessera.alert.raised.v1", Topic.ALERT, AlertRaised.class);

    public static final List<EventType<?>> ALL = List.of(PATIENT_REGISTERED, RECORD_COMMITTED, ALERT_RAISED);

    public static Optional<EventType<?>> byType(String type) {
        return ALL.stream().filter(t -> t.type().equals(type)).findFirst();
    }
}
