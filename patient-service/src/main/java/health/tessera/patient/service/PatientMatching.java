package health.tessera.patient.service;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.patient.domain.PatientRepository;
import health.tessera.patient.domain.PersonRecords;
import health.tessera.patient.matching.Band;
import health.tessera.patient.matching.Explanation;
import health.tessera.patient.matching.MatchModel;
import health.tessera.patient.matching.PatientMatcher;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Patient;
import org.jboss.logging.Logger;

/**
 * The matching index of every source patient (all organisations: the master patient index spans them), built at
 * start from the database and kept current as patients are registered. Scoring uses the engine's default model
 * ({@link MatchModel#defaults()}) until a model trained on this population is stored. One instance per service:
 * a second replica would need the index shared or rebuilt from events (noted in the issue).
 */
@ApplicationScoped
public class PatientMatching {

    private static final Logger LOG = Logger.getLogger(PatientMatching.class);

    private final PatientRepository patients;
    private final FhirContext fhir;
    private final PatientMatcher matcher = new PatientMatcher(MatchModel.defaults());
    /** Which organisation each indexed record belongs to: results are limited to the caller's. */
    private final Map<String, String> organizations = new HashMap<>();

    public PatientMatching(PatientRepository patients, FhirContext fhir) {
        this.patients = patients;
        this.fhir = fhir;
    }

    void build(@Observes StartupEvent start) {
        long begin = System.nanoTime();
        patients.forEach(p -> index(p.id().toString(), p.organization(), parse(p.json())));
        LOG.infof("matching index: %d patients (%d ms)", size(), (System.nanoTime() - begin) / 1_000_000);
    }

    /** Adds (or replaces) a source patient in the index. */
    public synchronized void index(String id, String organization, Patient patient) {
        matcher.add(PersonRecords.of(id, organization, patient));
        organizations.put(id, organization);
    }

    public synchronized int size() {
        return matcher.size();
    }

    /** A scored candidate: the source patient's id and the explained comparison. */
    public record Candidate(String patientId, Explanation explanation) {}

    /**
     * The source patients of {@code organization} that may be the person {@code probe} describes, best first:
     * those the model links or sends to review (not the ones it calls different people).
     */
    public synchronized List<Candidate> candidates(Patient probe, String organization) {
        return matcher.match(PersonRecords.of("probe", organization, probe)).stream()
                .filter(e -> e.band() != Band.NON_MATCH)
                .map(e -> new Candidate(e.rightId(), e))
                .filter(c -> organization.equals(organizations.get(c.patientId())))
                .toList();
    }

    private Patient parse(String json) {
        return fhir.newJsonParser().parseResource(Patient.class, json);
    }
}
