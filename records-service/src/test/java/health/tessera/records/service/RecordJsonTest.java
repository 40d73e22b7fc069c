package health.tessera.records.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.node.ObjectNode;
import health.tessera.fhir.FhirException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final UUID ID = UUID.fromString("0d6bd1b4-44f1-4cb4-9d8e-6a3b8d1e2f10");
    private static final Instant NOW = Instant.parse("2026-12-07T07:01:02.345Z");

    private static ObjectNode read(String json) {
        return RecordJson.read(json.getBytes(StandardCharsets.UTF_8), "entry 0");
    }

    @Test
    void stampPutsTheServersIdAndMetaFirstAndKeepsTheClientsElementsAsSent() {
        ObjectNode stamped = RecordJson.stamp(read("""
                        {"status":"final","resourceType":"Observation","id":"client-id","_id":{"extension":[]},
                         "meta":{"versionId":"7","lastUpdated":"2001-01-01T00:00:00Z",
                                 "profile":["http://example.org/bp"],"tag":[{"code":"t"}]},
                         "code":{"text":"BP"},"valueQuantity":{"value":1.50,"unit":"mm"}}
                        """), ID, 1, NOW);

        String json = RecordJson.write(stamped);
        Observation model = (Observation) RecordJson.parse(FHIR, stamped, "entry 0");

        assertThat(json)
                .startsWith("{\"resourceType\":\"Observation\",\"id\":\"" + ID + "\",\"meta\":{\"versionId\":\"1\","
                        + "\"lastUpdated\":\"")
                .contains("\"profile\":[\"http://example.org/bp\"],\"tag\":[{\"code\":\"t\"}]}")
                .endsWith(
                        "\"status\":\"final\",\"code\":{\"text\":\"BP\"},\"valueQuantity\":{\"value\":1.50,\"unit\":\"mm\"}}")
                .doesNotContain("client-id", "\"_id\"", "2001-01-01");
        assertThat(model.getIdElement().getIdPart()).isEqualTo(ID.toString());
        assertThat(model.getMeta().getVersionId()).isEqualTo("1");
        assertThat(model.getMeta().getLastUpdated().toInstant()).isEqualTo(NOW);
        assertThat(model.getValueQuantity().getValueElement().getValueAsString())
                .isEqualTo("1.50");
        // the stored text and HAPI's encoding of the same model say the same
        String encoded = FHIR.newJsonParser().encodeResourceToString(model);
        Resource fromStored = (Resource) FHIR.newJsonParser().parseResource(json);
        assertThat(fromStored.equalsDeep((Resource) FHIR.newJsonParser().parseResource(encoded)))
                .isTrue();
        assertThat(json)
                .contains("\"lastUpdated\":\""
                        + model.getMeta().getLastUpdatedElement().getValueAsString() + "\"");
    }

    @Test
    void rewritesEveryReferenceIncludingContainedResourcesAndExtensions() {
        ObjectNode resource = read("""
                {"resourceType":"Observation","status":"final","code":{"text":"x"},
                 "subject":{"reference":"urn:uuid:p"},
                 "performer":[{"reference":"urn:uuid:a"},{"reference":"Practitioner?identifier=x|1"},{"display":"no reference"}],
                 "extension":[{"url":"http://example.org/e","valueReference":{"reference":"urn:uuid:b"}}],
                 "contained":[{"resourceType":"Provenance","id":"p1","recorded":"2020-01-01T00:00:00Z",
                               "target":[{"reference":"urn:uuid:c"}],"agent":[{"who":{"reference":"#x"}}]}]}
                """);
        List<String> seen = new ArrayList<>();

        RecordJson.rewriteReferences(resource, target -> {
            seen.add(target);
            return target.startsWith("urn:uuid:") ? "Thing/" + target.substring(9) : target;
        });

        assertThat(seen)
                .containsExactlyInAnyOrder(
                        "urn:uuid:p", "urn:uuid:a", "Practitioner?identifier=x|1", "urn:uuid:b", "urn:uuid:c", "#x");
        String json = RecordJson.write(resource);
        assertThat(json)
                .contains(
                        "\"subject\":{\"reference\":\"Thing/p\"}",
                        "{\"reference\":\"Thing/a\"}",
                        "\"valueReference\":{\"reference\":\"Thing/b\"}",
                        "\"target\":[{\"reference\":\"Thing/c\"}]",
                        "{\"display\":\"no reference\"}")
                .doesNotContain("urn:uuid:");
    }

    @Test
    void leavesTheStringsNamedReferenceThatAreNotReferences() {
        ObjectNode issue = read("""
                {"resourceType":"DetectedIssue","status":"final","reference":"urn:uuid:doc",
                 "extension":[{"url":"http://example.org/e",
                               "valueExpression":{"language":"text/fhirpath","reference":"urn:uuid:expr"}}]}
                """);
        ObjectNode immunization = read("""
                {"resourceType":"Immunization","education":[{"reference":"urn:uuid:leaflet"}],
                 "patient":{"reference":"urn:uuid:p"}}
                """);
        List<String> seen = new ArrayList<>();

        RecordJson.rewriteReferences(issue, target -> {
            seen.add(target);
            return "Thing/1";
        });
        RecordJson.rewriteReferences(immunization, target -> {
            seen.add(target);
            return "Patient/1";
        });

        assertThat(seen).containsExactly("urn:uuid:p");
        assertThat(RecordJson.write(issue)).contains("urn:uuid:doc", "urn:uuid:expr");
        assertThat(RecordJson.write(immunization)).contains("urn:uuid:leaflet", "\"reference\":\"Patient/1\"");
    }

    @Test
    void parsesStrictlyAndNamesTheEntry() {
        ObjectNode unknown = read("{\"resourceType\":\"Observation\",\"status\":\"final\",\"colour\":\"red\"}");

        assertThatThrownBy(() -> RecordJson.parse(FHIR, unknown, "Bundle entry 3"))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("Bundle entry 3")
                .hasMessageContaining("colour");
        assertThatThrownBy(() -> RecordJson.read("[1]".getBytes(StandardCharsets.UTF_8), "Bundle entry 4"))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("Bundle entry 4");
        Resource parsed = RecordJson.parse(FHIR, read("{\"resourceType\":\"Observation\",\"status\":\"final\"}"), "e");
        assertThat(parsed).isInstanceOf(Observation.class);
    }
}
