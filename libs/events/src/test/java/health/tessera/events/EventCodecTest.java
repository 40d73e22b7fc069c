package health.tessera.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    /** Configured like Quarkus's ObjectMapper: java.time as ISO strings. */
    private final ObjectMapper mapper =
            new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final EventCodec codec = new EventCodec(mapper);

    @Test
    void envelopeAndPayloadSurviveARoundTrip() throws Exception {
        RecordCommitted payload = new RecordCommitted(
                "Observation",
                "o1",
                2,
                "update",
                "p1",
                "org-a",
                List.of("http://loinc.org|85354-9"),
                Instant.parse("2026-11-20T09:30:00Z"),
                List.of(new RecordCommitted.MeasuredValue("http://loinc.org|8480-6", 181.5, "mm[Hg]")));
        CloudEvent event = new CloudEvent(
                "1.0",
                "5f0c6a52-6f7e-4a55-9a51-7d1b1f1f0a01",
                "records-service",
                EventType.RECORD_COMMITTED.type(),
                "Observation/o1",
                OffsetDateTime.of(2026, 11, 20, 9, 31, 0, 0, ZoneOffset.UTC),
                "application/json",
                "corr-1",
                codec.asData(payload));

        String json = codec.write(event);
        assertThat(json)
                .as("the data is written from the object exactly as its tree would be")
                .contains("\"data\":" + mapper.writeValueAsString(mapper.valueToTree(payload)))
                .contains("\"specversion\":\"1.0\"")
                .contains("\"datacontenttype\"")
                .contains("\"correlationid\":\"corr-1\"");
        CloudEvent read = codec.read(json);
        assertThat(read.id()).isEqualTo(event.id());
        assertThat(codec.payload(read, EventType.RECORD_COMMITTED)).isEqualTo(payload);
    }

    @Test
    void unreadableEventsAreMalformedSoTheyAreNotRetried() {
        assertThatThrownBy(() -> codec.read("{not json")).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> codec.read("{\"specversion\":\"1.0\",\"type\":\"x\"}"))
                .isInstanceOf(MalformedEventException.class);
    }

    @Test
    void aPayloadIsReadOnlyAsItsOwnType() {
        CloudEvent event = new CloudEvent(
                "1.0",
                "5f0c6a52-6f7e-4a55-9a51-7d1b1f1f0a02",
                "alerts-service",
                EventType.ALERT_RAISED.type(),
                "Flag/f1",
                OffsetDateTime.now(ZoneOffset.UTC),
                "application/json",
                null,
                codec.asData(new AlertRaised("f1", "p1", "org-a", "r", "high", "s", "Observation/o1/_history/1")));
        assertThatThrownBy(() -> codec.payload(event, EventType.RECORD_COMMITTED))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
