package health.tessera.records.api;

import health.tessera.fhir.Caller;
import health.tessera.fhir.FhirMediaType;
import health.tessera.fhir.FhirResponses;
import health.tessera.records.service.RecordStore;
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
import org.hl7.fhir.r4.model.Resource;

/** FHIR type-level and instance-level endpoints for every record type records-service owns. */
@Path("/fhir/{type}")
@Authenticated
@Produces({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
@Consumes({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
public class RecordResource {

    private final RecordStore store;
    private final Caller caller;

    public RecordResource(RecordStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @POST
    public Response create(
            @PathParam("type") String type, Resource resource, @HeaderParam("Prefer") String prefer, UriInfo uri) {
        RecordStore.requireOwnedType(type);
        return FhirResponses.created(store.create(type, resource, caller.organization()), prefer, uri);
    }

    @GET
    @Path("{id}")
    public Response read(@PathParam("type") String type, @PathParam("id") String id) {
        return FhirResponses.ok(store.read(type, id, caller.organization()));
    }
}
