package health.tessera.exchange.api;

import health.tessera.exchange.sharing.SharedResourceStore;
import health.tessera.exchange.sharing.SharingRule;
import health.tessera.fhir.Caller;
import health.tessera.fhir.ETags;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.FhirResponses;
import health.tessera.fhir.SearchBundles;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/**
 * The FHIR interactions of a sharing resource type (create, read, vread, update, delete, search by patient,
 * participant and status), the same for each; the type's {@link SharingRule} says what it means.
 */
public abstract class SharedResourceEndpoints<T extends Resource> {

    static final int DEFAULT_COUNT = 100;
    static final int MAX_COUNT = 1000;

    private final SharedResourceStore store;
    private final SharingRule<T> rule;
    private final Caller caller;

    protected SharedResourceEndpoints(SharedResourceStore store, SharingRule<T> rule, Caller caller) {
        this.store = store;
        this.rule = rule;
        this.caller = caller;
    }

    @POST
    public Response create(Resource resource, @HeaderParam("Prefer") String prefer, UriInfo uri) {
        return FhirResponses.created(store.create(rule, typed(resource), caller.organization()), prefer, uri);
    }

    @GET
    @Path("{id}")
    public Response read(@PathParam("id") String id) {
        return FhirResponses.ok(store.read(rule, id, caller.organization()));
    }

    @GET
    @Path("{id}/_history/{version}")
    public Response vread(@PathParam("id") String id, @PathParam("version") String version) {
        return FhirResponses.ok(store.vread(rule, id, version, caller.organization()));
    }

    @PUT
    @Path("{id}")
    public Response update(
            @PathParam("id") String id,
            Resource resource,
            @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("Prefer") String prefer,
            UriInfo uri) {
        SharedResourceStore.Written<T> written =
                store.update(rule, id, typed(resource), caller.organization(), ETags.expectedVersion(ifMatch));
        return written.created()
                ? FhirResponses.created(written.resource(), prefer, uri)
                : FhirResponses.updated(written.resource(), prefer);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        store.delete(rule, id, caller.organization());
        return Response.noContent().build();
    }

    /**
     * {@code patient}, the participant parameter ({@code actor} or {@code owner}: an organisation it names),
     * {@code status}, {@code _count}: what the caller recorded or is named in, newest first.
     */
    @GET
    public Response search(
            @QueryParam("patient") String patient,
            @QueryParam("status") String status,
            @QueryParam("_count") String count,
            UriInfo uri) {
        String participantParameter = rule.participantParameter();
        SearchBundles.rejectUnknownParameters(uri, "patient", participantParameter, "status", "_count", "_format");
        String participant = uri.getQueryParameters().getFirst(participantParameter);
        List<Resource> found = store
                .search(
                        rule,
                        new SharedResourceStore.Criteria(
                                caller.organization(),
                                patient == null ? null : patient.replaceFirst("^Patient/", ""),
                                participant == null ? null : participant.replaceFirst("^Organization/", ""),
                                status,
                                SearchBundles.count(count, DEFAULT_COUNT, MAX_COUNT)))
                .stream()
                .map(Resource.class::cast)
                .toList();
        return Response.ok(SearchBundles.searchset(found, uri)).build();
    }

    private T typed(Resource resource) {
        FhirException.requireBodyType(rule.resourceType(), resource);
        return rule.resourceClass().cast(resource);
    }
}
