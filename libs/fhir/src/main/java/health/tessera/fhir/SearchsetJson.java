package health.tessera.fhir;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * A searchset Bundle written as JSON around resources that are already FHIR JSON (as stored at commit time):
 * no resource is parsed into HAPI's model and encoded again, which is most of the cost of answering a search
 * of fifty records. Used when the client asks for JSON and nothing that needs the model ({@code _elements},
 * {@code _pretty}); otherwise the Bundle is built with HAPI.
 */
public final class SearchsetJson {

    private static final JsonFactory JSON = new JsonFactory();

    /** One entry: where it lives, its stored JSON and why it is in the Bundle (match, include, outcome). */
    public record Entry(String fullUrl, String json, String mode) {}

    private SearchsetJson() {}

    /**
     * The answer for a searchset: written around the stored JSON when the client takes JSON as it is, else a
     * HAPI Bundle of parsed resources ({@code _elements} and {@code _summary} subset them; XML and
     * {@code _pretty} are HAPI's).
     */
    public static jakarta.ws.rs.core.Response response(
            ca.uhn.fhir.context.FhirContext fhir,
            List<jakarta.ws.rs.core.MediaType> acceptable,
            Map<String, List<String>> query,
            Integer total,
            Map<String, String> links,
            List<Entry> entries) {
        Elements.Subset subset = Elements.parse(first(query, "_elements"), first(query, "_summary"));
        if (storedJsonWillDo(acceptable, query, subset)) {
            return jakarta.ws.rs.core.Response.ok(
                            write(total, links, entries), FhirMediaType.JSON_TYPE.withCharset("UTF-8"))
                    .build();
        }
        org.hl7.fhir.r4.model.Bundle bundle =
                new org.hl7.fhir.r4.model.Bundle().setType(org.hl7.fhir.r4.model.Bundle.BundleType.SEARCHSET);
        if (total != null) {
            bundle.setTotal(total);
        }
        links.forEach((relation, url) -> bundle.addLink().setRelation(relation).setUrl(url));
        ca.uhn.fhir.parser.IParser parser = fhir.newJsonParser();
        for (Entry entry : entries) {
            org.hl7.fhir.r4.model.Resource resource =
                    (org.hl7.fhir.r4.model.Resource) parser.parseResource(entry.json());
            if (!entry.mode().equals("outcome")) {
                resource = Elements.subset(fhir, resource, subset);
            }
            bundle.addEntry()
                    .setFullUrl(entry.fullUrl())
                    .setResource(resource)
                    .getSearch()
                    .setMode(org.hl7.fhir.r4.model.Bundle.SearchEntryMode.fromCode(entry.mode()));
        }
        return jakarta.ws.rs.core.Response.ok(bundle).build();
    }

    /**
     * Whether records can go out as their stored JSON: the client takes JSON and asks for nothing that needs
     * HAPI's model (a subset, pretty printing). Reads and searches decide the same way.
     */
    public static boolean storedJsonWillDo(
            List<jakarta.ws.rs.core.MediaType> acceptable, Map<String, List<String>> query, Elements.Subset subset) {
        return subset == null
                && !query.containsKey("_pretty")
                && !FhirMediaType.isXml(FhirMediaType.negotiate(acceptable));
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The Bundle; {@code total} may be null (not counted), {@code links} maps relation to URL, in order. */
    public static String write(Integer total, Map<String, String> links, List<Entry> entries) {
        StringWriter out = new StringWriter(256 + entries.size() * 1200);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("resourceType", "Bundle");
            json.writeStringField("type", "searchset");
            if (total != null) {
                json.writeNumberField("total", total);
            }
            json.writeArrayFieldStart("link");
            for (Map.Entry<String, String> link : links.entrySet()) {
                json.writeStartObject();
                json.writeStringField("relation", link.getKey());
                json.writeStringField("url", link.getValue());
                json.writeEndObject();
            }
            json.writeEndArray();
            if (!entries.isEmpty()) {
                json.writeArrayFieldStart("entry");
                for (Entry entry : entries) {
                    json.writeStartObject();
                    if (entry.fullUrl() != null) {
                        json.writeStringField("fullUrl", entry.fullUrl());
                    }
                    json.writeFieldName("resource");
                    json.writeRawValue(entry.json());
                    json.writeObjectFieldStart("search");
                    json.writeStringField("mode", entry.mode());
                    json.writeEndObject();
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a searchset", e);
        }
        return out.toString();
    }
}
