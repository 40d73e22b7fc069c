package health.tessera.patient.api;

import health.tessera.fhir.Caller;
import health.tessera.fhir.FhirMediaType;
import health.tessera.fhir.FhirResponses;
import health.tessera.patient.service.PatientRegistry;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
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

    @POST
    public Response create(Patient patient, @HeaderParam("Prefer") String prefer, UriInfo uri) {
        return FhirResponses.created(registry.register(patient, caller.organization()), prefer, uri);
    }

    @GET
    @Path("{id}")
    public Response read(@PathParam("id") String id) {
        return FhirResponses.ok(registry.read(id, caller.organization()));
    }
}
