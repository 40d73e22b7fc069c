package health.tessera.patient.service;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.tessera.events.EventType;
import health.tessera.events.OutboxWriter;
import health.tessera.events.PatientRegistered;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.ResourceIds;
import health.tessera.patient.domain.PatientRepository;
import health.tessera.patient.domain.SourcePatient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Patient;

/**
 * Registers source Patient records and reads them back within the caller's organisation.
 *
 * <p>Each registration starts its own enterprise identity for now; probabilistic matching to an existing
 * identity comes with the master patient index.
 */
@ApplicationScoped
public class PatientRegistry {

    private final PatientRepository patients;
    private final OutboxWriter outbox;
    private final FhirContext fhir;
    private final ObjectMapper json;

    public PatientRegistry(PatientRepository patients, OutboxWriter outbox, FhirContext fhir, ObjectMapper json) {
        this.patients = patients;
        this.outbox = outbox;
        this.fhir = fhir;
        this.json = json;
    }

    /** Stores {@code patient} for {@code organization} and announces it on {@code tessera.patient.v1}. */
    @Transactional
    public Patient register(Patient patient, String organization) {
        UUID id = ResourceIds.newId();
        UUID enterpriseId = ResourceIds.newId();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        patient.setId(id.toString());
        patient.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
        String body = parser().encodeResourceToString(patient);
        patients.insert(new SourcePatient(id, organization, enterpriseId, 1, now, body));
        try {
            outbox.append(
                    EventType.PATIENT_REGISTERED,
                    enterpriseId.toString(),
                    "Patient/" + id,
                    new PatientRegistered(
                            id.toString(), enterpriseId.toString(), organization, 1, json.readTree(body)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("HAPI wrote JSON that Jackson cannot read", e);
        }
        return patient;
    }

    /** The Patient if it exists and {@code organization} may see it; otherwise 404, whichever the reason. */
    public Patient read(String id, String organization) {
        Optional<SourcePatient> found = ResourceIds.asUuid(id).flatMap(patients::find);
        if (found.isEmpty() || !found.get().organization().equals(organization)) {
            throw FhirException.notFound("Patient", id);
        }
        return parser().parseResource(Patient.class, found.get().json());
    }

    /**
     * The organisation's patients with {@code identifier} ({@code system|value} or {@code value}), oldest first.
     */
    public List<Patient> findByIdentifier(String identifier, String organization) {
        int bar = identifier.indexOf('|');
        String system = bar < 0 ? null : identifier.substring(0, bar);
        String value = bar < 0 ? identifier : identifier.substring(bar + 1);
        if (value.isEmpty()) {
            throw FhirException.badRequest("identifier needs a value: system|value or value");
        }
        return patients
                .findByIdentifier(organization, system == null || system.isEmpty() ? null : system, value)
                .stream()
                .map(id -> read(id.toString(), organization))
                .toList();
    }

    private IParser parser() {
        return fhir.newJsonParser();
    }
}
