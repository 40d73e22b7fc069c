package health.tessera.records.service;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

class BundleResponseTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode written(BundleResponse response) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        response.writeJson(out, FHIR);
        return JSON.readTree(out.toByteArray());
    }

    private static JsonNode hapi(Bundle bundle) throws IOException {
        return JSON.readTree(FHIR.newJsonParser().encodeResourceToString(bundle));
    }

    @Test
    void theJsonWrittenIsTheDocumentHapiWritesForTheSameAnswers() throws IOException {
        Observation stored = new Observation();
        stored.setId("Observation/0193e5c2-0000-7000-8000-000000000001");
        stored.getMeta().setVersionId("1").getLastUpdatedElement().setValueAsString("2026-12-08T03:40:52.123+00:00");
        BundleEntryComponent read = new BundleEntryComponent().setResource(stored);
        read.getResponse().setStatus("200 OK");
        BundleEntryComponent failed = new BundleEntryComponent();
        failed.getResponse()
                .setStatus("422 Unprocessable Entity")
                .setOutcome(new OperationOutcome()
                        .addIssue(new OperationOutcome.OperationOutcomeIssueComponent()
                                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                                .setCode(OperationOutcome.IssueType.INVALID)
                                .setDiagnostics("Observation.status: a \"quoted\" value\nover two lines")));
        BundleEntryComponent registered = new BundleEntryComponent();
        registered.getResponse().setStatus("201 Created").setLocation("Patient/42");
        BundleResponse response = new BundleResponse(
                Bundle.BundleType.BATCHRESPONSE,
                List.of(
                        BundleResponse.Written.created(stored),
                        BundleResponse.Written.updated(stored),
                        new BundleResponse.Full(read),
                        new BundleResponse.Full(failed),
                        new BundleResponse.Full(registered)));

        JsonNode written = written(response);

        assertThat(written).isEqualTo(hapi(response.toBundle()));
        assertThat(written.path("entry")
                        .path(0)
                        .path("response")
                        .path("location")
                        .asText())
                .isEqualTo("Observation/0193e5c2-0000-7000-8000-000000000001/_history/1");
        assertThat(written.path("entry")
                        .path(0)
                        .path("response")
                        .path("lastModified")
                        .asText())
                .as("the instant exactly as the record's meta has it")
                .isEqualTo("2026-12-08T03:40:52.123+00:00");
        assertThat(written.path("entry").path(0).path("response").path("etag").asText())
                .isEqualTo("W/\"1\"");
        assertThat(written.path("entry").path(2).path("resource").path("id").asText())
                .isEqualTo("0193e5c2-0000-7000-8000-000000000001");
    }

    @Test
    void aResponseWithoutEntriesHasNoEntryElement() throws IOException {
        BundleResponse empty = new BundleResponse(Bundle.BundleType.TRANSACTIONRESPONSE, List.of());
        assertThat(written(empty)).isEqualTo(hapi(empty.toBundle()));
        assertThat(written(empty).has("entry")).isFalse();
    }
}
