package health.tessera.records.api;

import health.tessera.fhir.FhirException;
import health.tessera.records.domain.PatientProjection;
import health.tessera.records.domain.RecordFacts;
import health.tessera.records.service.PatientCompartments;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

/**
 * What a patient writes with their own token (the portal, a patient-facing app with {@code patient/Observation.c}
 * or {@code patient/Communication.c}): measurements they took themselves and messages to their providers. Such a
 * record must be about the patient (one of their source records) and belongs to the organisation that holds that
 * source record, which sees it like its own; it carries the {@link #WRITTEN_BY_PATIENT} tag, so clinicians can tell
 * (and search, {@code _tag}) what the patient reported from what was measured in the clinic.
 */
@ApplicationScoped
public class PatientAuthoredRecords {

    /** The record types a patient may create. */
    public static final Set<String> TYPES = Set.of("Observation", "Communication");

    public static final String AUTHORSHIP_SYSTEM = "https://tessera.health/fhir/CodeSystem/authorship";
    public static final Coding WRITTEN_BY_PATIENT =
            new Coding(AUTHORSHIP_SYSTEM, "patient", "Written by the patient with their own access");

    private final PatientCompartments compartments;
    private final PatientProjection patients;

    public PatientAuthoredRecords(PatientCompartments compartments, PatientProjection patients) {
        this.compartments = compartments;
        this.patients = patients;
    }

    /**
     * Checks that the patient of the token ({@code tokenPatient}) may create {@code resource} as a {@code type}, tags
     * it, and returns the organisation that will hold it; 403 otherwise, naming why.
     */
    public String prepare(String type, Resource resource, String tokenPatient) {
        if (!TYPES.contains(type)) {
            throw new FhirException(
                    403,
                    IssueType.FORBIDDEN,
                    "A patient's own token creates Observations (measurements they took) and Communications"
                            + " (messages to their providers), not " + type);
        }
        String subject = RecordFacts.patientId(resource);
        if (subject == null || !compartments.sourcePatients(tokenPatient).contains(subject)) {
            throw new FhirException(
                    403,
                    IssueType.FORBIDDEN,
                    "A patient writes about themselves only: the " + type + "'s subject must be Patient/" + tokenPatient
                            + " or another of their records");
        }
        String organization = patients.organizationOf(subject)
                .orElseThrow(() -> new FhirException(
                        403,
                        IssueType.FORBIDDEN,
                        "Patient/" + subject + " is not (or no longer) known to the records service"));
        resource.getMeta().getTag().removeIf(tag -> AUTHORSHIP_SYSTEM.equals(tag.getSystem()));
        resource.getMeta().addTag(WRITTEN_BY_PATIENT.copy());
        return organization;
    }
}
