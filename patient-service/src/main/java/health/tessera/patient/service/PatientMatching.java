package health.tessera.patient.service;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.patient.domain.MatchModelStore;
import health.tessera.patient.domain.PatientRepository;
import health.tessera.patient.domain.PersonRecords;
import health.tessera.patient.domain.SourcePatient;
import health.tessera.patient.matching.Band;
import health.tessera.patient.matching.Explanation;
import health.tessera.patient.matching.MatchModel;
import health.tessera.patient.matching.PatientMatcher;
import health.tessera.patient.matching.PersonRecord;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Patient;
import org.jboss.logging.Logger;

/**
 * The matching index of every source patient (all organisations: the master patient index spans them) and the
 * enterprise identity each belongs to, in memory. It is built at start and catches up with the database by
 * change number ({@link PatientRepository#forEachChangedSince}): identity decisions call {@link #catchUp()} while
 * holding the identity lock, so they see every record any replica has committed, and the matching model in force
 * ({@link MatchModelStore}: trained on the population, set by an operator, or the built-in defaults).
 */
@ApplicationScoped
public class PatientMatching {

    private static final Logger LOG = Logger.getLogger(PatientMatching.class);

    private final PatientRepository patients;
    private final MatchModelStore models;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final FhirContext fhir;
    private final PatientMatcher matcher = new PatientMatcher(MatchModel.defaults());
    private final Map<String, PersonRecord> records = new HashMap<>();
    private final Map<String, String> organizations = new HashMap<>();
    private final Map<String, String> identityOf = new HashMap<>();
    private final Map<String, Set<String>> members = new HashMap<>();
    private long lastChange;
    /** The version of the stored model in use (0: the built-in defaults, nothing stored). */
    private int modelVersion;

    public PatientMatching(
            PatientRepository patients,
            MatchModelStore models,
            com.fasterxml.jackson.databind.ObjectMapper json,
            FhirContext fhir) {
        this.patients = patients;
        this.models = models;
        this.json = json;
        this.fhir = fhir;
    }

    void build(@Observes StartupEvent start) {
        long begin = System.nanoTime();
        QuarkusTransaction.requiringNew().run(this::catchUp); // in a transaction, so the rows stream
        LOG.infof("matching index: %d patients (%d ms)", size(), (System.nanoTime() - begin) / 1_000_000);
    }

    /**
     * Before an identity decision (and at start): reads every source record inserted, updated or relinked since the
     * last call, and the model in force if another replica stored a newer one.
     */
    public synchronized void catchUp() {
        catchUpRecords();
        if (models.currentVersion() != modelVersion) {
            models.current().ifPresent(this::use);
        }
    }

    /** Reads every source record inserted, updated or relinked since the last call (after a decision's commit). */
    public synchronized void catchUpRecords() {
        lastChange = patients.forEachChangedSince(lastChange, this::apply);
    }

    /** Scores with a stored model from now on. */
    public synchronized void use(MatchModelStore.StoredModel stored) {
        matcher.setModel(modelOf(stored));
        modelVersion = stored.version();
        LOG.infof("matching model %d (%s) in use", stored.version(), stored.source());
    }

    /** The model a stored row describes: its parameters, or the built-in defaults. */
    public MatchModel modelOf(MatchModelStore.StoredModel stored) {
        if (stored.parametersJson() == null) {
            return MatchModel.defaults();
        }
        try {
            return MatchModel.of(json.readValue(stored.parametersJson(), MatchModel.Parameters.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored matching model " + stored.version() + " cannot be read", e);
        }
    }

    /** The model in use. */
    public synchronized MatchModel model() {
        return matcher.model();
    }

    /** The comparison features of every indexed record (what a model is trained on). */
    public synchronized List<health.tessera.patient.matching.Features> features() {
        List<health.tessera.patient.matching.Features> all = new ArrayList<>(records.size());
        for (PersonRecord record : records.values()) {
            all.add(health.tessera.patient.matching.Features.of(record));
        }
        return all;
    }

    private void apply(SourcePatient p, boolean deleted) {
        String id = p.id().toString();
        if (deleted) { // it leaves the index and its identity
            matcher.remove(id);
            records.remove(id);
            organizations.remove(id);
            String identity = identityOf.remove(id);
            Set<String> rest = identity == null ? null : members.get(identity);
            if (rest != null && rest.remove(id) && rest.isEmpty()) {
                members.remove(identity);
            }
            return;
        }
        PersonRecord record = PersonRecords.of(id, p.organization(), parse(p.json()));
        matcher.add(record);
        records.put(id, record);
        organizations.put(id, p.organization());
        String enterprise = p.enterpriseId().toString();
        String before = identityOf.put(id, enterprise);
        if (before != null && !before.equals(enterprise)) {
            Set<String> old = members.get(before);
            if (old != null && old.remove(id) && old.isEmpty()) {
                members.remove(before);
            }
        }
        members.computeIfAbsent(enterprise, k -> new LinkedHashSet<>()).add(id);
    }

    public synchronized int size() {
        return matcher.size();
    }

    /** What to do with a new source record: link it, or give it a new identity (and open reviews). */
    public synchronized PatientMatcher.Resolution resolve(PersonRecord record) {
        PatientMatcher.Resolution resolution = matcher.resolve(record, new PatientMatcher.Identities() {
            @Override
            public String identityOf(String recordId) {
                return identityOf.get(recordId);
            }

            @Override
            public List<PersonRecord> members(String identityId) {
                List<PersonRecord> found = new ArrayList<>();
                for (String id : members.getOrDefault(identityId, Set.of())) {
                    found.add(records.get(id));
                }
                return found;
            }
        });
        if (resolution.action() == PatientMatcher.Action.LINK && !members.containsKey(resolution.identityId())) {
            // re-clustering split an identity and put the record with the part that leaves it, which the engine
            // names after one of its records: no such enterprise exists. Nothing moves without a person, so the
            // record starts an identity of its own and its best match goes to review.
            List<Explanation> reviews = new ArrayList<>(resolution.reviews());
            if (resolution.link() != null && !reviews.contains(resolution.link())) {
                reviews.add(resolution.link());
            }
            return new PatientMatcher.Resolution(
                    PatientMatcher.Action.NEW_IDENTITY_AND_REVIEW, null, null, reviews, resolution.relinks());
        }
        return resolution;
    }

    /** The engine's comparison of a record with an indexed one (null when that one is unknown). */
    public synchronized Explanation explain(PersonRecord left, String right) {
        PersonRecord b = records.get(right);
        return b == null ? null : matcher.explain(left, b);
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
