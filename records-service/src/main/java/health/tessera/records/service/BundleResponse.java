package health.tessera.records.service;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Resource;

/**
 * The answer to a batch or transaction Bundle, one {@link Answer} per entry in the Bundle's order. A record the
 * Bundle created or updated is answered by a few strings ({@link Written}) rather than HAPI's elements: a patient's history is
 * tens of thousands of them, which as HAPI elements (entry, response, status, location, etag, lastModified with its
 * own time zone) were ~700 bytes each, 24 MB for one 34,613-entry Bundle, kept until the answer was sent and then
 * encoded by HAPI (6% of records-service's CPU during an ingest). They are written as JSON directly; every other
 * entry's answer, and XML, still go through HAPI.
 */
public final class BundleResponse {

    /** One entry's answer. */
    public sealed interface Answer permits Written, Full {}

    /**
     * A record the entry wrote: {@code 201 Created} or {@code 200 OK} with the version's location, ETag and
     * last-modified instant.
     */
    public record Written(String status, String resourceType, String id, String version, String lastModified)
            implements Answer {

        /** The answer for {@code stored}, a record the entry created (its id and meta set). */
        static Written created(Resource stored) {
            return of("201 Created", stored);
        }

        /** The answer for {@code stored}, a new version of a record the entry updated. */
        static Written updated(Resource stored) {
            return of("200 OK", stored);
        }

        private static Written of(String status, Resource stored) {
            return new Written(
                    status,
                    stored.fhirType(),
                    stored.getIdElement().getIdPart(),
                    stored.getMeta().getVersionId(),
                    stored.getMeta().getLastUpdatedElement().getValueAsString());
        }

        String location() {
            return resourceType + "/" + id + "/_history/" + version;
        }

        String etag() {
            return "W/\"" + version + "\"";
        }
    }

    /** Any other answer, as HAPI's entry element (a resource read, an outcome, a patient registered, ...). */
    public record Full(BundleEntryComponent entry) implements Answer {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Leaves the response's stream open for the HTTP layer, which owns it. */
    private static final JsonFactory JSON =
            JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private final Bundle.BundleType type;
    private final List<Answer> answers;

    public BundleResponse(Bundle.BundleType type, List<Answer> answers) {
        this.type = type;
        this.answers = answers;
    }

    public Bundle.BundleType type() {
        return type;
    }

    public List<Answer> answers() {
        return answers;
    }

    /** The same response as HAPI's model (for XML, and for readers that want the model). */
    public Bundle toBundle() {
        Bundle bundle = new Bundle().setType(type);
        for (Answer answer : answers) {
            switch (answer) {
                case Written written ->
                    bundle.addEntry()
                            .getResponse()
                            .setStatus(written.status())
                            .setLocation(written.location())
                            .setEtag(written.etag())
                            .setLastModifiedElement(new InstantType(written.lastModified()));
                case Full full -> bundle.addEntry(full.entry());
            }
        }
        return bundle;
    }

    /** Writes the response as FHIR JSON, the same document HAPI's JSON parser writes for {@link #toBundle()}. */
    public void writeJson(OutputStream out, FhirContext fhir) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("resourceType", "Bundle");
            json.writeStringField("type", type.toCode());
            if (!answers.isEmpty()) {
                json.writeArrayFieldStart("entry");
                for (Answer answer : answers) {
                    switch (answer) {
                        case Written written -> {
                            json.writeStartObject();
                            json.writeObjectFieldStart("response");
                            json.writeStringField("status", written.status());
                            json.writeStringField("location", written.location());
                            json.writeStringField("etag", written.etag());
                            json.writeStringField("lastModified", written.lastModified());
                            json.writeEndObject();
                            json.writeEndObject();
                        }
                        case Full full -> MAPPER.writeTree(json, encoded(full.entry(), fhir));
                    }
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
    }

    /** One entry as HAPI encodes it: alone in a Bundle, then taken out of it. */
    private static JsonNode encoded(BundleEntryComponent entry, FhirContext fhir) throws IOException {
        Bundle alone = new Bundle().addEntry(entry);
        return MAPPER.readTree(fhir.newJsonParser().encodeResourceToString(alone))
                .path("entry")
                .path(0);
    }
}
