package health.tessera.patient.api;

import health.tessera.fhir.Caller;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.FhirMediaType;
import health.tessera.fhir.FhirResponses;
import health.tessera.fhir.SearchBundles;
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

    private final PatientRegistry registry;
    private final Caller caller;

    public PatientResource(PatientRegistry registry, Caller caller) {
        this.registry = registry;
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
        return FhirResponses.created(registry.register(patient, caller.organization()), prefer, uri);
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

    @GET
    @Path("{id}")
    public Response read(@PathParam("id") String id) {
        return FhirResponses.ok(registry.read(id, caller.organization()));
    }
}
