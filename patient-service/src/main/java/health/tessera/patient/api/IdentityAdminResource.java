package health.tessera.patient.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.tessera.fhir.Caller;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.ResourceIds;
import health.tessera.patient.domain.IdentityRepository;
import health.tessera.patient.domain.IdentityRepository.Link;
import health.tessera.patient.domain.IdentityRepository.Review;
import health.tessera.patient.domain.PatientRepository;
import health.tessera.patient.domain.SourcePatient;
import health.tessera.patient.service.EnterpriseIdentities;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The master patient index's administration API for operators (the {@code admin} role; everyone else 403):
 * why a source record is linked where it is ({@code GET /mpi/links/{patientId}}), manual link and unlink, and the
 * review queue with its decisions, and the matching model ({@code /mpi/model}: read, train on the stored population,
 * set, reset to the defaults). Identity changes are announced on {@code tessera.patient.v1}.
 */
@Path("/mpi")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IdentityAdminResource {

    private static final Set<String> REVIEW_STATUSES = Set.of("open", "match", "not-a-match", "withdrawn");

    private final PatientRepository patients;
    private final IdentityRepository store;
    private final EnterpriseIdentities identities;
    private final Caller caller;
    private final ObjectMapper json;

    @jakarta.inject.Inject
    health.tessera.patient.service.MatchModels models;

    public IdentityAdminResource(
            PatientRepository patients,
            IdentityRepository store,
            EnterpriseIdentities identities,
            Caller caller,
            ObjectMapper json) {
        this.patients = patients;
        this.store = store;
        this.identities = identities;
        this.caller = caller;
        this.json = json;
    }

    /** A link as the API shows it: what decided it and, for the matcher's and reviewers' links, why. */
    public record LinkView(
            int linkVersion,
            String enterpriseId,
            String reason,
            String matchedPatientId,
            Double probability,
            String actor,
            Instant createdAt,
            JsonNode explanation) {}

    /** A source record's identity: the current link first, then the earlier ones. */
    public record IdentityView(
            String patientId,
            String organization,
            String enterpriseId,
            List<String> otherRecords,
            LinkView current,
            List<LinkView> history) {}

    @GET
    @Path("links/{patientId}")
    public IdentityView link(@PathParam("patientId") String patientId) {
        caller.requireAdmin();
        SourcePatient patient = source(patientId);
        List<LinkView> links =
                store.links(patient.id()).stream().map(this::view).toList();
        return new IdentityView(
                patient.id().toString(),
                patient.organization(),
                patient.enterpriseId().toString(),
                patients.members(patient.enterpriseId()).stream()
                        .map(p -> p.id().toString())
                        .filter(id -> !id.equals(patient.id().toString()))
                        .toList(),
                links.get(0),
                links.subList(1, links.size()));
    }

    /** What an operator sends to link a record: the enterprise identity it belongs to. */
    public record LinkRequest(String enterpriseId) {}

    @PUT
    @Path("links/{patientId}")
    public IdentityView relink(@PathParam("patientId") String patientId, LinkRequest request) {
        caller.requireAdmin();
        if (request == null || request.enterpriseId() == null) {
            throw FhirException.badRequest("Send {\"enterpriseId\": \"…\"}: the identity to link the record to");
        }
        UUID target = ResourceIds.asUuid(request.enterpriseId())
                .orElseThrow(() -> FhirException.notFound("Patient", request.enterpriseId()));
        UUID id = source(patientId).id();
        identities.decide(() -> {
            identities.link(id, target, "manual", null, null, caller.actor());
            return null;
        });
        return link(patientId);
    }

    @DELETE
    @Path("links/{patientId}")
    public IdentityView unlink(@PathParam("patientId") String patientId) {
        caller.requireAdmin();
        UUID id = source(patientId).id();
        identities.decide(() -> identities.unlink(id, caller.actor()));
        return link(patientId);
    }

    /** A review task with both records' ids, organisations and the matcher's explanation. */
    public record ReviewView(
            String id,
            String patientId,
            String candidateId,
            double probability,
            String status,
            String decidedBy,
            Instant decidedAt,
            Instant createdAt,
            JsonNode explanation) {}

    @GET
    @Path("reviews")
    public List<ReviewView> reviews(
            @QueryParam("status") @DefaultValue("open") String status,
            @QueryParam("limit") @DefaultValue("50") String limit) {
        caller.requireAdmin();
        if (!REVIEW_STATUSES.contains(status)) {
            throw FhirException.badRequest("status must be one of " + REVIEW_STATUSES);
        }
        int max = health.tessera.fhir.SearchBundles.count(limit, 50, 500);
        return store.reviews(status, max).stream().map(this::view).toList();
    }

    /** A reviewer's decision: {@code match} or {@code not-a-match}. */
    public record Decision(String decision) {}

    @POST
    @Path("reviews/{id}/decision")
    public ReviewView decide(@PathParam("id") String id, Decision decision) {
        caller.requireAdmin();
        if (decision == null
                || decision.decision() == null
                || !Set.of("match", "not-a-match").contains(decision.decision())) {
            throw FhirException.badRequest("Send {\"decision\": \"match\"} or {\"decision\": \"not-a-match\"}");
        }
        UUID reviewId = ResourceIds.asUuid(id)
                .orElseThrow(() -> new FhirException(
                        404, org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTFOUND, "No review task " + id));
        Review decided = identities.decide(
                () -> identities.decideReview(reviewId, decision.decision().equals("match"), caller.actor()));
        return view(decided);
    }

    private SourcePatient source(String patientId) {
        return ResourceIds.asUuid(patientId)
                .flatMap(patients::find)
                .orElseThrow(() -> FhirException.notFound("Patient", patientId));
    }

    private LinkView view(Link link) {
        return new LinkView(
                link.linkVersion(),
                link.enterpriseId().toString(),
                link.reason(),
                link.matchedPatientId() == null ? null : link.matchedPatientId().toString(),
                link.probability(),
                link.actor(),
                link.createdAt(),
                tree(link.explanationJson()));
    }

    private ReviewView view(Review review) {
        return new ReviewView(
                review.id().toString(),
                review.patientId().toString(),
                review.candidateId().toString(),
                review.probability(),
                review.status(),
                review.decidedBy(),
                review.decidedAt(),
                review.createdAt(),
                tree(review.explanationJson()));
    }

    private JsonNode tree(String value) {
        try {
            return value == null ? null : json.readTree(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored explanation is not JSON", e);
        }
    }

    /** The matching model in force: where it comes from (defaults, trained, configured) and all its parameters. */
    @GET
    @Path("model")
    public health.tessera.patient.service.MatchModels.ModelView model() {
        caller.requireAdmin();
        return models.current();
    }

    /** Trains the model on the records indexed now (EM, no labels) and puts it in force. */
    @POST
    @Path("model/train")
    @Consumes(MediaType.WILDCARD) // nothing to send
    public health.tessera.patient.service.MatchModels.ModelView trainModel() {
        caller.requireAdmin();
        return models.train(caller.actor());
    }

    /** Sets the model's parameters (as {@code GET /mpi/model} shows them) and puts it in force. */
    @PUT
    @Path("model")
    public health.tessera.patient.service.MatchModels.ModelView configureModel(
            health.tessera.patient.matching.MatchModel.Parameters parameters) {
        caller.requireAdmin();
        return models.configure(parameters, caller.actor());
    }

    /** Back to the built-in defaults. */
    @DELETE
    @Path("model")
    public health.tessera.patient.service.MatchModels.ModelView resetModel() {
        caller.requireAdmin();
        return models.reset(caller.actor());
    }
}
