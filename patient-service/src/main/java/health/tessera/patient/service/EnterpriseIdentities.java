package health.tessera.patient.service;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.tessera.events.EventType;
import health.tessera.events.IdentityChanged;
import health.tessera.events.OutboxWriter;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.ResourceIds;
import health.tessera.patient.domain.IdentityRepository;
import health.tessera.patient.domain.IdentityRepository.Link;
import health.tessera.patient.domain.IdentityRepository.Merge;
import health.tessera.patient.domain.IdentityRepository.Review;
import health.tessera.patient.domain.PatientRepository;
import health.tessera.patient.domain.SourcePatient;
import health.tessera.patient.matching.Explanation;
import health.tessera.patient.matching.PatientMatcher;
import health.tessera.patient.matching.PersonRecord;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;

/**
 * Enterprise identities: which source records are one person. Every decision here (placing a new record, a
 * manual link or unlink, a review decision, a merge or its undoing) runs in one transaction holding the identity
 * lock, on a matching index that has caught up with the database, so two registrations of the same new person at
 * the same moment end in one identity. Each decision stores the link with its explanation, rebuilds the golden
 * records it touched ({@link GoldenRecords}) and announces the identities' new state on {@code tessera.patient.v1}.
 */
@ApplicationScoped
public class EnterpriseIdentities {

    /** Who decided an automatic link. */
    public static final String MATCHER = "matcher";

    private final PatientRepository patients;
    private final IdentityRepository identities;
    private final PatientMatching matching;
    private final OutboxWriter outbox;
    private final FhirContext fhir;
    private final ObjectMapper json;
    /** Organisations whose demographics win in golden records, most trusted first. */
    private final List<String> trusted;

    public EnterpriseIdentities(
            PatientRepository patients,
            IdentityRepository identities,
            PatientMatching matching,
            OutboxWriter outbox,
            FhirContext fhir,
            ObjectMapper json,
            @ConfigProperty(name = "tessera.mpi.trusted-organizations", defaultValue = " ") List<String> trusted) {
        this.patients = patients;
        this.identities = identities;
        this.matching = matching;
        this.outbox = outbox;
        this.fhir = fhir;
        this.json = json;
        this.trusted =
                trusted.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Runs an identity decision: in a new transaction that holds the identity lock, with the matching index caught
     * up; after the commit the index takes in what the decision wrote.
     */
    public <T> T decide(Supplier<T> decision) {
        T result = QuarkusTransaction.requiringNew().call(() -> {
            identities.lockIdentities();
            matching.catchUp();
            return decision.get();
        });
        matching.catchUpRecords();
        return result;
    }

    /** Where a new source record went: its identity, the link and the golden record. */
    public record Placement(UUID enterpriseId, Link link, JsonNode golden) {}

    /**
     * Places a new source record (inside {@link #decide}): links it to the identity the matcher chooses, or starts
     * a new one, stores it there ({@code store} inserts the row with the identity's id) and opens a review task for
     * each pair a person should look at. The caller announces the registration, then {@link #announceLink}.
     */
    public Placement place(PersonRecord record, java.util.function.Function<UUID, SourcePatient> store) {
        PatientMatcher.Resolution resolution = matching.resolve(record);
        UUID newId = UUID.fromString(record.id());
        UUID enterprise;
        Link link;
        if (resolution.action() == PatientMatcher.Action.LINK) {
            enterprise = UUID.fromString(resolution.identityId());
            Explanation why = resolution.link();
            link = new Link(
                    newId,
                    1,
                    enterprise,
                    "auto",
                    UUID.fromString(why.rightId()),
                    why.probability(),
                    write(why),
                    MATCHER,
                    Instant.now());
        } else {
            enterprise = ResourceIds.newId();
            link = new Link(newId, 1, enterprise, "new", null, null, null, MATCHER, Instant.now());
        }
        SourcePatient inserted = store.apply(enterprise);
        // a new identity's only record is the one just inserted: no need to read it back
        List<SourcePatient> members = link.reason().equals("new") ? List.of(inserted) : patients.members(enterprise);
        JsonNode golden = null;
        if (link.reason().equals("new")) {
            String goldenJson = goldenJson(enterprise, members, 1);
            identities.insertEnterprise(enterprise, goldenJson);
            golden = read(goldenJson);
        }
        identities.insertLink(link);
        Set<String> sameIdentity = new HashSet<>();
        members.forEach(m -> sameIdentity.add(m.id().toString()));
        for (Explanation review : resolution.reviews()) {
            if (!sameIdentity.contains(review.rightId())) {
                identities.openReview(
                        inserted.id(), UUID.fromString(review.rightId()), review.probability(), write(review));
            }
        }
        // the new record's evidence says an earlier decision may be wrong: a person looks at it, nothing moves
        for (String relinked : resolution.relinks().keySet()) {
            Explanation why = matching.explain(record, relinked);
            if (why != null && !sameIdentity.contains(relinked)) {
                identities.openReview(inserted.id(), UUID.fromString(relinked), why.probability(), write(why));
            }
        }
        return new Placement(enterprise, link, golden != null ? golden : refreshGolden(enterprise, members));
    }

    /** Announces an automatic link of a newly placed record (after its registration event). */
    public void announceLink(Placement placement) {
        if (placement.link().reason().equals("auto")) {
            announce(
                    EventType.PATIENT_LINKED,
                    placement.enterpriseId(),
                    placement.link().patientId(),
                    null,
                    "auto",
                    placement.link().probability());
        }
    }

    /**
     * After a new version of a record that is alone in its identity: the new data (a phone, an SSN) may now show
     * whom it belongs to. Links it when the matcher is sure and no one has said it is not that person; opens review
     * tasks for the borderline pairs that were not decided before.
     */
    public void reconsider(UUID patientId, PersonRecord record, UUID enterprise) {
        if (patients.members(enterprise).size() != 1) {
            return; // linked to others already: a person unlinks it if the change shows it is someone else
        }
        Set<String> refused = new HashSet<>();
        identities.notAMatch(patientId).forEach(id -> refused.add(id.toString()));
        PatientMatcher.Resolution resolution = matching.resolve(record);
        if (resolution.action() == PatientMatcher.Action.LINK
                && !resolution.identityId().equals(enterprise.toString())) {
            UUID target = UUID.fromString(resolution.identityId());
            boolean decidedApart = patients.members(target).stream().anyMatch(m -> refused.contains(m.id().toString()));
            if (!decidedApart) {
                Explanation why = resolution.link();
                link(patientId, target, "auto", why.probability(), write(why), MATCHER);
                return;
            }
        }
        for (Explanation review : resolution.reviews()) {
            String other = review.rightId();
            if (!other.equals(patientId.toString()) && !refused.contains(other)) {
                identities.openReview(patientId, UUID.fromString(other), review.probability(), write(review));
            }
        }
    }

    /** Moves a source record to the identity of {@code target} (an operator's link, or a review's "match"). */
    public void link(
            UUID patientId,
            UUID targetEnterprise,
            String reason,
            Double probability,
            String explanation,
            String actor) {
        SourcePatient patient =
                patients.find(patientId).orElseThrow(() -> FhirException.notFound("Patient", patientId.toString()));
        if (identities
                .enterprise(targetEnterprise)
                .filter(e -> e.goldenJson() != null)
                .isEmpty()) {
            throw FhirException.notFound("Patient", targetEnterprise.toString());
        }
        UUID from = patient.enterpriseId();
        if (from.equals(targetEnterprise)) {
            return;
        }
        for (SourcePatient member : patients.members(targetEnterprise)) {
            identities.forgetNotAMatch(patientId, member.id()); // a person decided they are one
        }
        int version = patients.relink(patientId, targetEnterprise);
        identities.insertLink(new Link(
                patientId, version, targetEnterprise, reason, null, probability, explanation, actor, Instant.now()));
        identities.withdrawReviewsWithin(targetEnterprise, actor);
        refreshGolden(targetEnterprise);
        refreshGolden(from);
        announce(EventType.PATIENT_LINKED, targetEnterprise, patientId, from, reason, probability);
        announce(EventType.PATIENT_LINKED, from, patientId, targetEnterprise, reason, probability);
    }

    /**
     * Takes a source record out of its identity into a new one of its own, and remembers that it is not the
     * other records of that identity (they are never linked automatically again). Returns the new identity.
     */
    public UUID unlink(UUID patientId, String actor) {
        SourcePatient patient =
                patients.find(patientId).orElseThrow(() -> FhirException.notFound("Patient", patientId.toString()));
        UUID from = patient.enterpriseId();
        List<SourcePatient> others = patients.members(from).stream()
                .filter(p -> !p.id().equals(patientId))
                .toList();
        if (others.isEmpty()) {
            throw new FhirException(
                    409, IssueType.CONFLICT, "Patient/" + patientId + " is the only record of its identity");
        }
        UUID own = ResourceIds.newId();
        identities.insertEnterprise(own, null);
        int version = patients.relink(patientId, own);
        identities.insertLink(new Link(patientId, version, own, "manual", null, null, null, actor, Instant.now()));
        for (SourcePatient other : others) {
            identities.rememberNotAMatch(patientId, other.id(), actor);
        }
        refreshGolden(own);
        refreshGolden(from);
        announce(EventType.PATIENT_UNLINKED, from, patientId, own, "manual", null);
        announce(EventType.PATIENT_UNLINKED, own, patientId, from, "manual", null);
        return own;
    }

    /** A reviewer's decision on a task: {@code match} links the pair, {@code not-a-match} keeps them apart for good. */
    public Review decideReview(UUID reviewId, boolean match, String actor) {
        Review review = identities
                .reviewForUpdate(reviewId)
                .orElseThrow(() -> new FhirException(404, IssueType.NOTFOUND, "No review task " + reviewId));
        if (!review.status().equals("open")) {
            throw new FhirException(
                    409,
                    IssueType.CONFLICT,
                    "Review task " + reviewId + " was decided already (" + review.status() + ")");
        }
        SourcePatient patient = patients.find(review.patientId()).orElseThrow();
        SourcePatient candidate = patients.find(review.candidateId()).orElseThrow();
        if (match) {
            identities.decideReview(reviewId, "match", actor);
            link(
                    patient.id(),
                    candidate.enterpriseId(),
                    "review",
                    review.probability(),
                    review.explanationJson(),
                    actor);
        } else {
            identities.decideReview(reviewId, "not-a-match", actor);
            identities.rememberNotAMatch(patient.id(), candidate.id(), actor);
            if (patient.enterpriseId().equals(candidate.enterpriseId())) {
                unlink(patient.id(), actor); // linked meanwhile: the reviewer's word wins
            }
        }
        return identities.reviewForUpdate(reviewId).orElseThrow();
    }

    /** Moves every record of {@code source}'s identity to {@code target}'s; returns the merge (to undo it later). */
    public Merge merge(UUID sourcePatient, UUID targetPatient, String actor) {
        UUID from = enterpriseOf(sourcePatient);
        UUID to = enterpriseOf(targetPatient);
        if (from.equals(to)) {
            throw new FhirException(
                    409, IssueType.CONFLICT, "Both records belong to enterprise identity " + to + " already");
        }
        List<UUID> moved = new ArrayList<>();
        for (SourcePatient member : patients.members(from)) {
            int version = patients.relink(member.id(), to);
            identities.insertLink(new Link(member.id(), version, to, "merge", null, null, null, actor, Instant.now()));
            moved.add(member.id());
        }
        Merge merge = new Merge(ResourceIds.newId(), from, to, moved, actor, Instant.now(), null);
        identities.insertMerge(merge);
        identities.updateEnterprise(from, null, to);
        identities.withdrawReviewsWithin(to, actor);
        refreshGolden(to);
        announce(EventType.PATIENT_MERGED, to, null, from, "merge", null);
        announce(EventType.PATIENT_MERGED, from, null, to, "merge", null);
        return merge;
    }

    /**
     * Undoes a merge: the records it moved that are still in the target go back to the identity they came from,
     * and are remembered as not the target's other records (so matching does not merge them again).
     */
    public Merge unmerge(UUID mergeId, String actor) {
        Merge merge = identities
                .mergeForUpdate(mergeId)
                .orElseThrow(() -> new FhirException(404, IssueType.NOTFOUND, "No merge " + mergeId));
        if (merge.unmergedAt() != null) {
            throw new FhirException(409, IssueType.CONFLICT, "Merge " + mergeId + " was undone already");
        }
        List<UUID> back = new ArrayList<>();
        for (UUID id : merge.moved()) {
            Optional<SourcePatient> member = patients.find(id); // (a deleted record stays where it is)
            if (member.isPresent() && member.get().enterpriseId().equals(merge.targetEnterprise())) {
                int version = patients.relink(id, merge.sourceEnterprise());
                identities.insertLink(new Link(
                        id, version, merge.sourceEnterprise(), "unmerge", null, null, null, actor, Instant.now()));
                back.add(id);
            }
        }
        for (SourcePatient stayed : patients.members(merge.targetEnterprise())) {
            for (UUID id : back) {
                identities.rememberNotAMatch(id, stayed.id(), actor);
            }
        }
        identities.markUnmerged(mergeId, actor);
        identities.updateEnterprise(merge.sourceEnterprise(), null, null);
        refreshGolden(merge.sourceEnterprise());
        refreshGolden(merge.targetEnterprise());
        announce(EventType.PATIENT_UNMERGED, merge.sourceEnterprise(), null, merge.targetEnterprise(), "unmerge", null);
        announce(EventType.PATIENT_UNMERGED, merge.targetEnterprise(), null, merge.sourceEnterprise(), "unmerge", null);
        return identities.mergeForUpdate(mergeId).orElseThrow();
    }

    /** The latest merge not undone that moved the record. */
    public Optional<Merge> lastMergeOf(UUID patientId) {
        return identities.lastMergeOf(patientId);
    }

    private UUID enterpriseOf(UUID patientId) {
        return patients.find(patientId)
                .orElseThrow(() -> FhirException.notFound("Patient", patientId.toString()))
                .enterpriseId();
    }

    /** Rebuilds and stores an identity's golden record; null (and stored as null) when it has no records left. */
    public JsonNode refreshGolden(UUID enterprise) {
        return refreshGolden(enterprise, patients.members(enterprise));
    }

    /** {@link #refreshGolden(UUID)} with the identity's records already read. */
    private JsonNode refreshGolden(UUID enterprise, List<SourcePatient> members) {
        Optional<IdentityRepository.Enterprise> stored = identities.enterprise(enterprise);
        if (members.isEmpty()) {
            identities.updateEnterprise(
                    enterprise,
                    null,
                    stored.map(IdentityRepository.Enterprise::mergedInto).orElse(null));
            return null;
        }
        String goldenJson =
                goldenJson(enterprise, members, stored.map(e -> e.version() + 1).orElse(1));
        identities.updateEnterprise(enterprise, goldenJson, null);
        return read(goldenJson);
    }

    private String goldenJson(UUID enterprise, List<SourcePatient> members, int version) {
        List<GoldenRecords.Source> sources = members.stream()
                .map(m -> new GoldenRecords.Source(
                        m.id().toString(),
                        fhir.newJsonParser().parseResource(Patient.class, m.json()),
                        trust(m.organization()),
                        Date.from(m.lastUpdated())))
                .toList();
        Patient golden = GoldenRecords.build(enterprise.toString(), sources, new Date(), version);
        return fhir.newJsonParser().encodeResourceToString(golden);
    }

    private int trust(String organization) {
        int rank = trusted.indexOf(organization);
        return rank < 0 ? 0 : trusted.size() - rank;
    }

    /** Announces an identity's state after a change (inside the decision's transaction, through the outbox). */
    private void announce(
            EventType<IdentityChanged> type,
            UUID enterprise,
            UUID patientId,
            UUID related,
            String reason,
            Double probability) {
        List<IdentityChanged.Member> members = patients.members(enterprise).stream()
                .map(m -> new IdentityChanged.Member(m.id().toString(), m.organization(), m.linkVersion()))
                .toList();
        JsonNode golden = identities
                .enterprise(enterprise)
                .map(e -> e.goldenJson() == null ? null : read(e.goldenJson()))
                .orElse(null);
        outbox.append(
                type,
                enterprise.toString(),
                "Patient/" + enterprise,
                new IdentityChanged(
                        enterprise.toString(),
                        golden,
                        members,
                        patientId == null ? null : patientId.toString(),
                        related == null ? null : related.toString(),
                        reason,
                        probability));
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    JsonNode read(String value) {
        try {
            return json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON that Jackson cannot read", e);
        }
    }
}
