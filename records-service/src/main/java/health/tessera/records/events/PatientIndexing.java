package health.tessera.records.events;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.fhir.ResourceIds;
import health.tessera.records.domain.search.SearchIndexRepository;
import health.tessera.records.domain.search.SearchIndexer;
import jakarta.enterprise.context.ApplicationScoped;
import org.hl7.fhir.r4.model.Patient;

/**
 * Indexes the projection's patients like records (resource type Patient), so that searches can chain into
 * them: {@code Observation?subject:Patient.name=smith}, {@code Encounter?patient.identifier=...}.
 */
@ApplicationScoped
public class PatientIndexing {

    private final FhirContext fhir;
    private final SearchIndexer indexer;
    private final SearchIndexRepository index;

    public PatientIndexing(FhirContext fhir, SearchIndexer indexer, SearchIndexRepository index) {
        this.fhir = fhir;
        this.indexer = indexer;
        this.index = index;
    }

    /** Removes the index entries of a deleted patient. */
    public void remove(String patientId) {
        ResourceIds.asUuid(patientId).ifPresent(id -> index.replace("Patient", id, java.util.List.of(), true));
    }

    /** Replaces the index entries of one patient with those of {@code patientJson}, in the caller's transaction. */
    public void index(String patientId, String patientJson) {
        ResourceIds.asUuid(patientId).ifPresent(id -> {
            Patient patient = fhir.newJsonParser().parseResource(Patient.class, patientJson);
            index.replace("Patient", id, indexer.indexAsReceived(patient), true);
        });
    }
}
