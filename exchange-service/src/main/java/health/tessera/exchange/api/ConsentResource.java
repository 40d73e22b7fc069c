package health.tessera.exchange.api;

import health.tessera.exchange.consent.ConsentStore;
import health.tessera.fhir.Caller;
import health.tessera.fhir.ETags;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.FhirMediaType;
import health.tessera.fhir.FhirResponses;
import health.tessera.fhir.SearchBundles;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Resource;

/**
 * Privacy consents: an organisation records that a patient lets it share their records with other organisations
 * ({@code provision.actor}), and from then on those organisations read them through records-service. Revoking
 * (status inactive) or deleting the consent ends the sharing.
 */
@Path("/fhir/Consent")
@Authenticated
@Consumes({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
@Produces({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
public class ConsentResource {

    static final int DEFAULT_COUNT = 100;
    static final int MAX_COUNT = 1000;

    private final ConsentStore store;
    private final Caller caller;

    public ConsentResource(ConsentStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @POST
    public Response create(Resource resource, @HeaderParam("Prefer") String prefer, UriInfo uri) {
        return FhirResponses.created(store.create(consent(resource), caller.organization()), prefer, uri);
    }

    @GET
    @Path("{id}")
    public Response read(@PathParam("id") String id) {
        return FhirResponses.ok(store.read(id, caller.organization()));
    }

    @GET
    @Path("{id}/_history/{version}")
    public Response vread(@PathParam("id") String id, @PathParam("version") String version) {
        return FhirResponses.ok(store.vread(id, version, caller.organization()));
    }

    @PUT
    @Path("{id}")
    public Response update(
            @PathParam("id") String id,
            Resource resource,
            @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("Prefer") String prefer,
            UriInfo uri) {
        ConsentStore.Written written =
                store.update(id, consent(resource), caller.organization(), ETags.expectedVersion(ifMatch));
        return written.created()
                ? FhirResponses.created(written.consent(), prefer, uri)
                : FhirResponses.updated(written.consent(), prefer);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        store.delete(id, caller.organization());
        return Response.noContent().build();
    }

    /**
     * {@code patient}, {@code actor} (an organisation the consent shares with), {@code status}, {@code _count}:
     * the consents the caller recorded or is named in, newest first.
     */
    @GET
    public Response search(
            @QueryParam("patient") String patient,
            @QueryParam("actor") String actor,
            @QueryParam("status") String status,
            @QueryParam("_count") String count,
            UriInfo uri) {
        SearchBundles.rejectUnknownParameters(uri, "patient", "actor", "status", "_count", "_format");
        List<Resource> found = store
                .search(new ConsentStore.Criteria(
                        caller.organization(),
                        patient == null ? null : patient.replaceFirst("^Patient/", ""),
                        actor == null ? null : actor.replaceFirst("^Organization/", ""),
                        status,
                        SearchBundles.count(count, DEFAULT_COUNT, MAX_COUNT)))
                .stream()
                .map(Resource.class::cast)
                .toList();
        return Response.ok(SearchBundles.searchset(found, uri)).build();
    }

    private static Consent consent(Resource resource) {
        if (!(resource instanceof Consent consent)) {
            throw FhirException.badRequest("The body is a " + resource.fhirType() + " but was sent to Consent");
        }
        return consent;
    }
}
