package health.tessera.exchange.api;

import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import health.tessera.exchange.audit.AuditEventStore;
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
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Resource;

/**
 * The accounting of disclosures: read and search of the AuditEvents the gateway recorded. Operators (admin role)
 * see every organisation's; everyone else sees the requests made with their own organisation's tokens.
 */
@Path("/fhir/AuditEvent")
@Authenticated
@Produces({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
public class AuditEventResource {

    static final int DEFAULT_COUNT = 100;
    static final int MAX_COUNT = 1000;

    private final AuditEventStore store;
    private final Caller caller;

    public AuditEventResource(AuditEventStore store, Caller caller) {
        this.store = store;
        this.caller = caller;
    }

    @GET
    @Path("{id}")
    public Response read(@PathParam("id") String id) {
        UUID uuid = ResourceIds.asUuid(id).orElseThrow(() -> FhirException.notFound("AuditEvent", id));
        AuditEventStore.Stored stored = store.find(uuid)
                .filter(event -> caller.isAdmin() || caller.organization().equals(event.organization()))
                .orElseThrow(() -> FhirException.notFound("AuditEvent", id));
        return FhirResponses.ok(stored.event());
    }

    /**
     * {@code date} (with prefixes, repeatable for a range), {@code patient}, {@code agent} (client id),
     * {@code outcome}, {@code action}, {@code subtype} (the interaction), {@code request} (the correlation id the
     * gateway returned as {@code X-Correlation-Id}), {@code _count}. Newest first.
     */
    @GET
    public Response search(
            @QueryParam("date") List<String> dates,
            @QueryParam("patient") String patient,
            @QueryParam("agent") String agent,
            @QueryParam("outcome") String outcome,
            @QueryParam("action") String action,
            @QueryParam("subtype") String subtype,
            @QueryParam("request") String request,
            @QueryParam("_count") String count,
            UriInfo uri) {
        SearchBundles.rejectUnknownParameters(
                uri, "date", "patient", "agent", "outcome", "action", "subtype", "request", "_count", "_format");
        Instant from = null;
        Instant to = null;
        if (!dates.isEmpty()) {
            DateRangeParam range = dateRange(dates);
            from = range.getLowerBoundAsInstant() == null
                    ? null
                    : range.getLowerBoundAsInstant().toInstant();
            to = range.getUpperBoundAsInstant() == null
                    ? null
                    : range.getUpperBoundAsInstant().toInstant().plusMillis(1);
        }
        String patientId = patient == null ? null : patient.replaceFirst("^Patient/", "");
        String clientId = agent == null ? null : agent.substring(agent.indexOf('|') + 1);
        List<Resource> found = List.copyOf(store.search(new AuditEventStore.Criteria(
                caller.isAdmin() ? null : caller.organization(),
                from,
                to,
                patientId,
                clientId,
                outcome,
                action,
                subtype,
                request,
                SearchBundles.count(count, DEFAULT_COUNT, MAX_COUNT))));
        return Response.ok(SearchBundles.searchset(found, uri)).build();
    }

    private static DateRangeParam dateRange(List<String> dates) {
        try {
            if (dates.size() > 2) {
                throw FhirException.badRequest("date may be given at most twice (a lower and an upper bound)");
            }
            return dates.size() == 1
                    ? new DateRangeParam(new DateParam(dates.get(0)))
                    : new DateRangeParam(new DateParam(dates.get(0)), new DateParam(dates.get(1)));
        } catch (FhirException e) {
            throw e;
        } catch (RuntimeException e) {
            throw FhirException.badRequest("date must be a FHIR date or dateTime with an optional prefix (ge, gt, le,"
                    + " lt, eq), such as ge2026-11-25T10:00:00Z: " + dates);
        }
    }
}
