package health.tessera.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/**
 * The CloudEvents 1.0 envelope every Tessera event travels in (structured JSON mode). {@code correlationid}
 * is an extension attribute that ties an event to the request that caused it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
        @JsonProperty("specversion") String specVersion,
        String id,
        String source,
        String type,
        String subject,
        OffsetDateTime time,
        @JsonProperty("datacontenttype") String dataContentType,
        @JsonProperty("correlationid") String correlationId,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    /**
     * The Kafka record of an encoded envelope: its type and correlation id are repeated as headers so consumers
     * and operators can filter without parsing the value.
     */
    public static org.apache.kafka.clients.producer.ProducerRecord<String, String> kafkaRecord(
            String topic, String key, String envelopeJson, String type, String correlationId) {
        var record = new org.apache.kafka.clients.producer.ProducerRecord<>(topic, key, envelopeJson);
        record.headers().add("content-type", CONTENT_TYPE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        record.headers().add("ce_type", type.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (correlationId != null) {
            record.headers().add("x-correlation-id", correlationId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return record;
    }
}
