package health.tessera.exchange.api;

import health.tessera.exchange.subscription.NotificationBundles;
import health.tessera.exchange.subscription.SubscriptionStore;
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
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Subscription;

/**
 * Topic-based Subscriptions (R4 Subscriptions Backport IG): an organisation, typically an integration partner,
 * subscribes to the record-changed topic with filters and a rest-hook endpoint, and receives id-only (or empty)
 * notifications about the records it may see. Create, read, vread, update, delete, search, and {@code $status}.
 */
@Path("/fhir/Subscription")
@Authenticated
@Consumes({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
@Produces({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
public class SubscriptionResource {

    static final int DEFAULT_COUNT = 100;
    static final int MAX_COUNT = 1000;
    private static final Set<String> STATUSES = Set.of("requested", "active", "error", "off");

    private final SubscriptionStore store;
    private final Caller caller;

    public SubscriptionResource(SubscriptionStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @POST
    public Response create(Resource resource, @HeaderParam("Prefer") String prefer, UriInfo uri) {
        return FhirResponses.created(store.create(typed(resource), caller.organization(), fhirBase(uri)), prefer, uri);
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
        SubscriptionStore.Written written =
                store.update(id, typed(resource), caller.organization(), ETags.expectedVersion(ifMatch), fhirBase(uri));
        return written.created()
                ? FhirResponses.created(written.subscription(), prefer, uri)
                : FhirResponses.updated(written.subscription(), prefer);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        store.delete(id, caller.organization());
        return Response.noContent().build();
    }

    /** The caller's subscriptions, newest first; {@code status} keeps those in that status. */
    @GET
    public Response search(@QueryParam("status") String status, @QueryParam("_count") String count, UriInfo uri) {
        SearchBundles.rejectUnknownParameters(uri, "status", "_count", "_format");
        if (status != null && !STATUSES.contains(status)) {
            throw FhirException.badRequest("status is one of requested, active, error, off; not '" + status + "'");
        }
        List<Resource> found =
                store
                        .search(caller.organization(), status, SearchBundles.count(count, DEFAULT_COUNT, MAX_COUNT))
                        .stream()
                        .map(Resource.class::cast)
                        .toList();
        return Response.ok(SearchBundles.searchset(found, uri)).build();
    }

    /** The Backport IG's {@code $status}: the subscription's status and how many events it has had. */
    @GET
    @Path("{id}/{operation}") // a template, not "{id}/$status": clients send the $ escaped (%24) as often as not
    public Response status(@PathParam("id") String id, @PathParam("operation") String operation, UriInfo uri) {
        if (!operation.equals("$status")) {
            throw FhirException.notFound("Subscription", id + "/" + operation);
        }
        SubscriptionStore.Status status = store.status(id, caller.organization());
        Subscription subscription = status.subscription();
        return FhirResponses.ok(NotificationBundles.status(
                fhirBase(uri),
                java.util.UUID.fromString(subscription.getIdElement().getIdPart()),
                subscription.getCriteria(),
                subscription.getStatus().toCode(),
                "query-status",
                status.eventsSinceStart()));
    }

    private static Subscription typed(Resource resource) {
        FhirException.requireBodyType("Subscription", resource);
        return (Subscription) resource;
    }

    /** The FHIR base URL as the caller reached it (the gateway's public address): notifications reference it. */
    private static String fhirBase(UriInfo uri) {
        return uri.getBaseUriBuilder().path("fhir").build().toString().replaceFirst("/$", "");
    }
}
