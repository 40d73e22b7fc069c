package health.tessera.patient.api;

import health.tessera.fhir.Caller;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.FhirMediaType;
import health.tessera.fhir.FhirResponses;
import health.tessera.fhir.SearchBundles;
import health.tessera.patient.matching.Band;
import health.tessera.patient.matching.Explanation;
import health.tessera.patient.service.PatientMatching;
import health.tessera.patient.service.PatientRegistry;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;

/** FHIR Patient endpoint of patient-service. */
@Path("/fhir/Patient")
@Authenticated
@Produces({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
@Consumes({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
public class PatientResource {

    /** The extension the FHIR spec defines for how sure a $match result is. */
    static final String MATCH_GRADE = "http://hl7.org/fhir/StructureDefinition/match-grade";
    /** Tessera's: why the engine scored a result as it did, field by field. */
    static final String MATCH_EXPLANATION = "https://tessera.health/fhir/StructureDefinition/match-explanation";

    private final PatientRegistry registry;
    private final PatientMatching matching;
    private final Caller caller;

    public PatientResource(PatientRegistry registry, PatientMatching matching, Caller caller) {
        this.registry = registry;
        this.matching = matching;
        this.caller = caller;
    }

    /** Register; with {@code If-None-Exist: identifier=system|value}, only when no patient of the organisation has it. */
    @POST
    public Response create(
            Patient patient,
            @HeaderParam("Prefer") String prefer,
            @HeaderParam("If-None-Exist") String ifNoneExist,
            UriInfo uri) {
        if (ifNoneExist != null) {
            List<Patient> matches = registry.findByIdentifier(identifierCriterion(ifNoneExist), caller.organization());
            if (matches.size() > 1) {
                throw new FhirException(
                        412,
                        org.hl7.fhir.r4.model.OperationOutcome.IssueType.DUPLICATE,
                        "If-None-Exist matches more than one Patient");
            }
            if (matches.size() == 1) {
                return FhirResponses.ok(matches.get(0));
            }
        }
        Patient registered = registry.register(patient, caller.organization());
        matching.index(registered.getIdElement().getIdPart(), caller.organization(), registered);
        return FhirResponses.created(registered, prefer, uri);
    }

    /** Search by identifier (the full Patient search comes with the master patient index). */
    @GET
    public Response search(@QueryParam("identifier") String identifier, UriInfo uri) {
        SearchBundles.rejectUnknownParameters(uri, "identifier", "_format");
        if (identifier == null) {
            throw FhirException.badRequest("Patient search supports identifier for now");
        }
        List<org.hl7.fhir.r4.model.Resource> found =
                List.copyOf(registry.findByIdentifier(identifier, caller.organization()));
        org.hl7.fhir.r4.model.Bundle bundle = SearchBundles.searchset(found, uri);
        bundle.setTotal(found.size());
        return Response.ok(bundle).build();
    }

    /** The identifier value of an {@code identifier=...} criterion: the only one patient-service matches on. */
    private static String identifierCriterion(String criteria) {
        var query = criteria.contains("?") ? criteria.substring(criteria.indexOf('?') + 1) : criteria;
        if (!query.startsWith("identifier=") || query.contains("&")) {
            throw FhirException.badRequest("If-None-Exist for Patient supports identifier=system|value");
        }
        return java.net.URLDecoder.decode(
                query.substring("identifier=".length()), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * {@code Patient/$match} (FHIR R4): the caller's patients that may be the person in the {@code resource}
     * parameter, best first, each with its probability as the search score, the spec's match-grade
     * (certain, probable, possible) and the engine's explanation. {@code onlyCertainMatches}: the one certain
     * match or nothing; {@code count}: at most that many (default 10, at most 100).
     */
    @POST
    @Path("{operation}")
    public Response match(@PathParam("operation") String operation, org.hl7.fhir.r4.model.Resource body, UriInfo uri) {
        if (!operation.equals("$match")) {
            throw new FhirException(
                    404,
                    org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTSUPPORTED,
                    "Operation " + operation + " is not supported on Patient here");
        }
        if (!(body instanceof org.hl7.fhir.r4.model.Parameters parameters)) {
            throw FhirException.badRequest("$match takes a Parameters resource");
        }
        var resource = parameters.getParameter("resource");
        if (resource == null || !(resource.getResource() instanceof Patient probe)) {
            throw FhirException.badRequest("$match needs a Patient in the parameter 'resource'");
        }
        var certainParameter = parameters.getParameter("onlyCertainMatches");
        boolean onlyCertain = certainParameter != null
                && certainParameter.getValue() instanceof org.hl7.fhir.r4.model.BooleanType flag
                && flag.booleanValue();
        var countParameter = parameters.getParameter("count");
        int count = 10;
        if (countParameter != null) {
            if (!(countParameter.getValue() instanceof org.hl7.fhir.r4.model.IntegerType number)
                    || number.getValue() == null
                    || number.getValue() < 1
                    || number.getValue() > 100) {
                throw FhirException.badRequest("count must be a whole number from 1 to 100");
            }
            count = number.getValue();
        }
        List<PatientMatching.Candidate> candidates = matching.candidates(probe, caller.organization());
        if (onlyCertain) {
            candidates = candidates.stream()
                    .filter(c -> c.explanation().band() == Band.MATCH)
                    .toList();
            if (candidates.size() > 1) {
                candidates = List.of(); // the spec: several certain matches are not certain
            }
        }
        org.hl7.fhir.r4.model.Bundle bundle =
                new org.hl7.fhir.r4.model.Bundle().setType(org.hl7.fhir.r4.model.Bundle.BundleType.SEARCHSET);
        bundle.addLink().setRelation("self").setUrl(uri.getRequestUri().toString());
        for (PatientMatching.Candidate candidate : candidates.subList(0, Math.min(count, candidates.size()))) {
            Patient found = registry.read(candidate.patientId(), caller.organization());
            var entry = bundle.addEntry()
                    .setFullUrl(uri.getBaseUri() + "fhir/Patient/" + candidate.patientId())
                    .setResource(found);
            entry.getSearch()
                    .setMode(org.hl7.fhir.r4.model.Bundle.SearchEntryMode.MATCH)
                    .setScore(candidate.explanation().probability());
            entry.getSearch()
                    .addExtension(MATCH_GRADE, new org.hl7.fhir.r4.model.CodeType(grade(candidate.explanation())));
            entry.getSearch()
                    .addExtension(
                            MATCH_EXPLANATION,
                            new org.hl7.fhir.r4.model.StringType(
                                    candidate.explanation().toText()));
        }
        bundle.setTotal(bundle.getEntry().size());
        return Response.ok(bundle).build();
    }

    /** The spec's grades: a link the engine would make is certain; review cases probable or possible. */
    static String grade(Explanation explanation) {
        if (explanation.band() == Band.MATCH) {
            return "certain";
        }
        return explanation.probability() >= 0.5 ? "probable" : "possible";
    }

    @GET
    @Path("{id}")
    public Response read(@PathParam("id") String id) {
        return FhirResponses.ok(registry.read(id, caller.organization()));
    }
}
