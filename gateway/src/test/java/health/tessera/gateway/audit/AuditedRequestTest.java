package health.tessera.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditedRequestTest {

    @Test
    void namesTheInteractionActionAndResourceOfEachKindOfRequest() {
        assertThat(AuditedRequest.of("GET", "/fhir/Observation/1", null))
                .isEqualTo(new AuditedRequest("read", "R", "Observation", "1", null));
        assertThat(AuditedRequest.of("GET", "/fhir/Observation/1/_history/2", null))
                .isEqualTo(new AuditedRequest("vread", "R", "Observation", "1", null));
        assertThat(AuditedRequest.of("GET", "/fhir/Observation/1/_history", null)
                        .interaction())
                .isEqualTo("history");
        assertThat(AuditedRequest.of("GET", "/fhir/Observation/_history", null).interaction())
                .isEqualTo("history");
        assertThat(AuditedRequest.of("POST", "/fhir/Observation", null))
                .isEqualTo(new AuditedRequest("create", "C", "Observation", null, null));
        assertThat(AuditedRequest.of("PUT", "/fhir/Observation/1", null).action())
                .isEqualTo("U");
        assertThat(AuditedRequest.of("DELETE", "/fhir/Observation/1", null).action())
                .isEqualTo("D");
        assertThat(AuditedRequest.of("POST", "/fhir/Observation/_search", null).interaction())
                .isEqualTo("search");
        assertThat(AuditedRequest.of("POST", "/fhir", null))
                .isEqualTo(new AuditedRequest("bundle", "E", null, null, null));
        assertThat(AuditedRequest.of("GET", "/fhir/metadata", null).interaction())
                .isEqualTo("capabilities");
        assertThat(AuditedRequest.of("GET", "/fhir/$export", null).interaction())
                .isEqualTo("operation");
        assertThat(AuditedRequest.of("DELETE", "/mpi/links/5", null))
                .isEqualTo(new AuditedRequest("admin", "D", null, null, null));
    }

    @Test
    void namesThePatientAPathOrASearchIsAbout() {
        assertThat(AuditedRequest.of("GET", "/fhir/Patient/p1/$everything", null))
                .isEqualTo(new AuditedRequest("operation", "E", "Patient", "p1", "p1"));
        assertThat(AuditedRequest.of("GET", "/fhir/Observation", "code=x&patient=Patient%2Fp2")
                        .patientId())
                .isEqualTo("p2");
        assertThat(AuditedRequest.of("GET", "/fhir/Observation", "subject=Patient/p3")
                        .patientId())
                .isEqualTo("p3");
        assertThat(AuditedRequest.of("GET", "/fhir/Observation", "patient=p4").patientId())
                .isEqualTo("p4");
        // several patients, another type of subject, or a broken escape: no one patient
        assertThat(AuditedRequest.of("GET", "/fhir/Observation", "patient=p1,p2")
                        .patientId())
                .isNull();
        assertThat(AuditedRequest.of("GET", "/fhir/Observation", "subject=Group/g")
                        .patientId())
                .isNull();
        assertThat(AuditedRequest.of("GET", "/fhir/Observation", "patient=%zz").patientId())
                .isNull();
    }
}
