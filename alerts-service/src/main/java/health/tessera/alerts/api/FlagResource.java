package health.tessera.alerts.api;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.alerts.domain.FlagRepository;
import health.tessera.fhir.Caller;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.FhirMediaType;
import health.tessera.fhir.FhirResponses;
import health.tessera.fhir.ResourceIds;
import health.tessera.fhir.SearchBundles;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Resource;

/** Read and search of the Flags alerts-service raised, within the caller's organisation. */
@Path("/fhir/Flag")
@Authenticated
@Produces({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
public class FlagResource {

    static final int DEFAULT_COUNT = 50;
    static final int MAX_COUNT = 500;

    private final FlagRepository flags;
    private final Caller caller;
    private final FhirContext fhir;

    public FlagResource(FlagRepository flags, Caller caller, FhirContext fhir) {
        this.flags = flags;
        this.caller = caller;
        this.fhir = fhir;
    }

    @GET
    @Path("{id}")
    public Response read(@PathParam("id") String id) {
        UUID uuid = ResourceIds.asUuid(id).orElseThrow(() -> FhirException.notFound("Flag", id));
        FlagRepository.StoredFlag flag = flags.find(uuid)
                .filter(f -> f.organization().equals(caller.organization()))
                .orElseThrow(() -> FhirException.notFound("Flag", id));
        return FhirResponses.ok(fhir.newJsonParser().parseResource(Flag.class, flag.json()));
    }

    @GET
    public Response search(
            @QueryParam("patient") String patient,
            @QueryParam("subject") String subject,
            @QueryParam("_count") String count,
            UriInfo uri) {
        SearchBundles.rejectUnknownParameters(uri, "patient", "subject", "_count", "_format");
        String reference = patient != null ? patient : subject;
        if (reference == null || reference.isBlank()) {
            throw FhirException.badRequest("Flag search needs the patient parameter");
        }
        int limit = SearchBundles.count(count, DEFAULT_COUNT, MAX_COUNT);
        String patientId = reference.startsWith("Patient/") ? reference.substring("Patient/".length()) : reference;
        List<Resource> found = flags.findByPatient(patientId, caller.organization(), limit).stream()
                .map(json -> (Resource) fhir.newJsonParser().parseResource(Flag.class, json))
                .toList();
        return Response.ok(SearchBundles.searchset(found, uri)).build();
    }
}
