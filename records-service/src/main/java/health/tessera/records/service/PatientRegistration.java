package health.tessera.records.service;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.fhir.FhirException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.jboss.logging.MDC;

/**
 * Registers a Bundle's Patient entry with patient-service, which owns Patients (ARCHITECTURE.md §1): the one
 * synchronous call between services. Idempotent: conditional on the entry's {@code ifNoneExist}, or else on
 * the Patient's first identifier, so a retried Bundle finds the patient it registered before.
 */
@ApplicationScoped
public class PatientRegistration {

    private final PatientServiceClient patients;
    private final FhirContext fhir;

    public PatientRegistration(@RestClient PatientServiceClient patients, FhirContext fhir) {
        this.patients = patients;
        this.fhir = fhir;
    }

    /** The registered (or already known) Patient's id, and whether it was created now. */
    public record Registered(String id, boolean created) {}

    /** Registers {@code patient}, conditional on {@code ifNoneExist} (the entry's) or else on its identifier. */
    public Registered register(Patient patient, String ifNoneExist, String authorization) {
        String condition = ifNoneExist != null && !ifNoneExist.isBlank() ? ifNoneExist : identifierCondition(patient);
        Object correlation = MDC.get("correlationId");
        Response response;
        try {
            response = patients.register(
                    authorization,
                    condition,
                    correlation == null ? null : correlation.toString(),
                    fhir.newJsonParser().encodeResourceToString(patient));
        } catch (ProcessingException e) {
            throw new FhirException(
                    503, IssueType.TRANSIENT, "patient-service is not available; the Bundle was not applied");
        }
        try (response) {
            String body = response.readEntity(String.class);
            if (response.getStatus() == 200 || response.getStatus() == 201) {
                Patient stored = fhir.newJsonParser().parseResource(Patient.class, body);
                return new Registered(stored.getIdElement().getIdPart(), response.getStatus() == 201);
            }
            String diagnostics = "patient-service refused a Patient entry";
            try {
                OperationOutcome outcome = fhir.newJsonParser().parseResource(OperationOutcome.class, body);
                diagnostics = outcome.getIssueFirstRep().getDiagnostics();
            } catch (RuntimeException unreadable) {
                // keep the generic message
            }
            int status = response.getStatus() >= 500 ? 503 : response.getStatus();
            throw new FhirException(
                    status,
                    status == 503 ? IssueType.TRANSIENT : IssueType.PROCESSING,
                    "Patient entry: " + diagnostics);
        }
    }

    /** {@code identifier=system|value} of the first complete identifier, or null (plain registration). */
    static String identifierCondition(Patient patient) {
        for (Identifier identifier : patient.getIdentifier()) {
            if (identifier.hasSystem() && identifier.hasValue()) {
                return "identifier="
                        + java.net.URLEncoder.encode(
                                identifier.getSystem() + "|" + identifier.getValue(),
                                java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
