package health.tessera.records.api;

import health.tessera.fhir.Caller;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.FhirMediaType;
import health.tessera.fhir.FhirResponses;
import health.tessera.fhir.SearchBundles;
import health.tessera.fhir.SearchsetJson;
import health.tessera.records.domain.StoredRecord;
import health.tessera.records.service.ObservationViews;
import health.tessera.records.service.RecordSearch;
import health.tessera.records.service.RecordStore;
import health.tessera.records.service.RecordValidator;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
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
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** FHIR type- and instance-level interactions for every record type records-service owns. */
@Path("/fhir/{type}")
@Authenticated
@Produces({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
@Consumes({FhirMediaType.JSON, FhirMediaType.XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
public class RecordResource {

    static final int DEFAULT_HISTORY_COUNT = 50;
    static final int MAX_HISTORY_COUNT = 500;

    private final RecordStore store;
    private final RecordSearch search;
    private final Caller caller;
    private final CallerVisibility visibility;
    private final PatientEverythingResource everything;
    private final ObservationViews views;
    private final RecordValidator validator;
    private final PatientAuthoredRecords patientAuthored;

    @jakarta.inject.Inject
    ExportEndpoints exports;

    @jakarta.inject.Inject
    PatientReverseSearchResource reverseSearch;

    @jakarta.ws.rs.core.Context
    jakarta.ws.rs.core.HttpHeaders headers;

    @jakarta.inject.Inject
    ca.uhn.fhir.context.FhirContext fhir;

    @jakarta.inject.Inject
    io.vertx.mutiny.core.Vertx vertx;

    public RecordResource(
            RecordStore store,
            RecordSearch search,
            Caller caller,
            CallerVisibility visibility,
            PatientEverythingResource everything,
            ObservationViews views,
            RecordValidator validator,
            PatientAuthoredRecords patientAuthored) {
        this.patientAuthored = patientAuthored;
        this.store = store;
        this.search = search;
        this.caller = caller;
        this.visibility = visibility;
        this.everything = everything;
        this.views = views;
        this.validator = validator;
    }

    /** The resource, once it passed profile validation (unless the request switched validation off). */
    private Resource validated(Resource resource) {
        validator.check(resource, headers.getHeaderString(RecordValidator.SKIP_HEADER));
        return resource;
    }

    /** Create; with {@code If-None-Exist}, only when nothing matches (one match: 200 with it; more: 412). */
    @POST
    public Response create(
            @PathParam("type") String type,
            Resource resource,
            @HeaderParam("Prefer") String prefer,
            @HeaderParam("If-None-Exist") String ifNoneExist,
            UriInfo uri) {
        RecordStore.requireOwnedType(type);
        java.util.Optional<String> patient = caller.patientContext();
        if (patient.isPresent()) {
            if (ifNoneExist != null) {
                throw new FhirException(
                        403,
                        org.hl7.fhir.r4.model.OperationOutcome.IssueType.FORBIDDEN,
                        "Conditional create is not offered to a patient's own token");
            }
            String organization = patientAuthored.prepare(type, resource, patient.get());
            validator.check(resource, null); // a patient's write is always validated
            return FhirResponses.created(store.create(type, resource, organization), prefer, uri);
        }
        if (ifNoneExist != null) {
            List<java.util.UUID> matches = search.matchForCondition(type, ifNoneExist, caller.organization());
            if (matches.size() > 1) {
                throw new FhirException(
                        412,
                        org.hl7.fhir.r4.model.OperationOutcome.IssueType.DUPLICATE,
                        "If-None-Exist matches more than one " + type);
            }
            if (matches.size() == 1) {
                return FhirResponses.ok(store.read(type, matches.get(0).toString(), caller.organization()));
            }
        }
        return FhirResponses.created(store.create(type, validated(resource), caller.organization()), prefer, uri);
    }

    /** Conditional update: the one record matching the criteria is updated; none: created; more: 412. */
    @PUT
    public Response conditionalUpdate(
            @PathParam("type") String type,
            Resource resource,
            @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("Prefer") String prefer,
            UriInfo uri) {
        RecordStore.requireOwnedType(type);
        List<java.util.UUID> matches =
                search.matchForCondition(type, uri.getRequestUri().getRawQuery(), caller.organization());
        if (matches.size() > 1) {
            throw new FhirException(
                    412,
                    org.hl7.fhir.r4.model.OperationOutcome.IssueType.DUPLICATE,
                    "The criteria match more than one " + type);
        }
        if (matches.isEmpty()) {
            if (resource.hasIdElement() && resource.getIdElement().hasIdPart()) {
                return update(type, resource.getIdElement().getIdPart(), resource, ifMatch, prefer, uri);
            }
            return FhirResponses.created(store.create(type, validated(resource), caller.organization()), prefer, uri);
        }
        String id = matches.get(0).toString();
        if (resource.hasIdElement()
                && resource.getIdElement().hasIdPart()
                && !resource.getIdElement().getIdPart().equals(id)) {
            throw FhirException.badRequest("The resource's id differs from the id of the record the criteria match");
        }
        resource.setId(id);
        return update(type, id, resource, ifMatch, prefer, uri);
    }

    /** Search (and the further pages of a search: {@code _getpages}). */
    @GET
    public Response search(@PathParam("type") String type, @HeaderParam("Prefer") String prefer, UriInfo uri) {
        if (type.equals("$export")) {
            return exports.kickOff("system", uri, prefer);
        }
        return search(type, prefer, uri, uri.getQueryParameters());
    }

    /**
     * Search by POST ({@code Type/_search} with a form body), for criteria too long or too private for a URL:
     * the form's parameters and the query string's together, answered exactly like the GET.
     */
    @POST
    @Path("_search")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response searchByPost(
            @PathParam("type") String type,
            @HeaderParam("Prefer") String prefer,
            UriInfo uri,
            jakarta.ws.rs.core.MultivaluedMap<String, String> form) {
        var parameters = new jakarta.ws.rs.core.MultivaluedHashMap<String, String>();
        uri.getQueryParameters().forEach(parameters::addAll);
        form.forEach(parameters::addAll);
        return search(type, prefer, uri, parameters);
    }

    private Response search(
            String type, String prefer, UriInfo uri, jakarta.ws.rs.core.MultivaluedMap<String, String> query) {
        if (type.equals("Patient") && health.tessera.fhir.ResourceOwnership.isReverseChainSearch(query)) {
            return reverseSearch.search(query, prefer, uri);
        }
        String pages = query.getFirst("_getpages");
        RecordSearch.Page page = pages != null
                ? search.page(
                        pages,
                        query.getFirst("_offset"),
                        query.getFirst("_count"),
                        visibility.get().resultOwner())
                : search.search(type, query, visibility.get(), prefer != null && prefer.contains("handling=lenient"));
        return searchset(type, page, uri, query);
    }

    /** A page of a search (or of $lastn) as a searchset Bundle, links to the other pages included. */
    private Response searchset(
            String type, RecordSearch.Page page, UriInfo uri, jakarta.ws.rs.core.MultivaluedMap<String, String> query) {
        java.util.Map<String, String> links = new java.util.LinkedHashMap<>();
        links.put("self", uri.getRequestUri().toString());
        if (page.searchId() != null) {
            // Further pages keep the page's includes, _elements and _summary; the result set itself is fixed.
            StringBuilder kept = new StringBuilder();
            query.forEach((name, values) -> {
                if (name.startsWith("_include")
                        || name.startsWith("_revinclude")
                        || name.equals("_elements")
                        || name.equals("_summary")) {
                    values.forEach(v -> kept.append('&')
                            .append(name)
                            .append('=')
                            .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
                }
            });
            String pages = uri.getBaseUri() + "fhir/" + type + "?_getpages=" + page.searchId() + "&_count="
                    + page.count() + kept + "&_offset=";
            if (page.offset() + page.count() < page.total()) {
                links.put("next", pages + (page.offset() + page.count()));
            }
            if (page.offset() > 0) {
                links.put("previous", pages + Math.max(0, page.offset() - page.count()));
            }
        }
        String base = uri.getBaseUri() + "fhir/";
        List<SearchsetJson.Entry> entries = new java.util.ArrayList<>();
        for (var loaded : search.load(type, page.ids(), visibility.get())) {
            entries.add(new SearchsetJson.Entry(base + type + "/" + loaded.id(), loaded.json(), "match"));
        }
        // (a patient context has no includes: its searches refuse them)
        for (RecordSearch.Included included :
                search.includes(type, page.ids(), query, visibility.get().organization())) {
            entries.add(new SearchsetJson.Entry(
                    base + included.resourceType() + "/" + included.id(), included.json(), "include"));
        }
        if (!page.ignored().isEmpty()) {
            String outcome = fhir.newJsonParser()
                    .encodeResourceToString(health.tessera.fhir.OperationOutcomes.warning(
                            "Ignored unknown search parameters: " + String.join(", ", page.ignored())));
            entries.add(new SearchsetJson.Entry(null, outcome, "outcome"));
        }
        return SearchsetJson.response(
                fhir, headers.getAcceptableMediaTypes(), query, page.capped() ? null : page.total(), links, entries);
    }

    /**
     * Read by id, and the operations that share its path. The common case, an organisation reading its own
     * record as stored JSON, is answered on the event loop with one non-blocking query: no worker thread, no
     * hand-off between threads (RecordsReadBench). Everything else runs on a worker thread, as any blocking
     * endpoint does.
     */
    @GET
    @Path("{id}")
    public Uni<Response> read(@PathParam("type") String type, @PathParam("id") String id, UriInfo uri) {
        if (type.equals("$export-poll-status")) {
            return blocking(() -> exports.status(id, uri));
        }
        if (id.startsWith("$")) {
            return blocking(() -> typeOperation(type, id, uri));
        }
        health.tessera.fhir.Elements.Subset subset = health.tessera.fhir.Elements.parse(
                uri.getQueryParameters().getFirst("_elements"),
                uri.getQueryParameters().getFirst("_summary"));
        boolean storedJson =
                SearchsetJson.storedJsonWillDo(headers.getAcceptableMediaTypes(), uri.getQueryParameters(), subset);
        if (!storedJson || caller.patientContext().isPresent()) {
            return blocking(() -> readVisible(type, id, subset, storedJson));
        }
        // (a type this service does not own, too, comes back empty and is refused on the worker path)
        return store.readOwnWithoutBlocking(type, id, caller.organization())
                .flatMap(own -> own.isPresent()
                        ? Uni.createFrom().item(storedJson(own.get()))
                        : blocking(() -> readVisible(type, id, subset, true)));
    }

    /** The current version if the caller may see it (404 if not, 410 if deleted), whole or reduced to the subset. */
    private Response readVisible(
            String type, String id, health.tessera.fhir.Elements.Subset subset, boolean storedJson) {
        health.tessera.records.domain.StoredRecord current = store.readStored(type, id, visibility.get());
        if (storedJson) {
            return storedJson(current);
        }
        return FhirResponses.ok(health.tessera.fhir.Elements.subset(fhir, store.parse(current.json()), subset));
    }

    /** The stored JSON as it is: what HAPI wrote at commit time, id and meta included. */
    private static Response storedJson(health.tessera.records.domain.StoredRecord current) {
        return Response.ok(current.json(), FhirMediaType.JSON_TYPE.withCharset("UTF-8"))
                .tag(new jakarta.ws.rs.core.EntityTag(String.valueOf(current.version()), true))
                .lastModified(java.util.Date.from(current.lastUpdated()))
                .build();
    }

    /** {@code work} on a worker thread, in this request's context (its CDI request scope and JAX-RS context). */
    private Uni<Response> blocking(java.util.concurrent.Callable<Response> work) {
        return vertx.executeBlocking(work, false);
    }

    /** Type-level operations share the read path ({@code Observation/$lastn}, {@code Observation/$trend}). */
    private Response typeOperation(String type, String operation, UriInfo uri) {
        if (type.equals("Patient") && operation.equals("$export")) {
            return exports.kickOff("patient", uri, headers.getHeaderString("Prefer"));
        }
        if (type.equals("Observation") && operation.equals("$lastn")) {
            List<java.util.UUID> ids = views.lastN(uri.getQueryParameters(), caller.organization());
            RecordSearch.Page page = new RecordSearch.Page(null, ids, 0, ids.size(), ids.size(), false, List.of());
            return searchset(type, page, uri, uri.getQueryParameters());
        }
        if (type.equals("Observation") && operation.equals("$trend")) {
            var query = uri.getQueryParameters();
            health.tessera.fhir.SearchBundles.rejectUnknownParameters(uri, "patient", "code", "date", "_format");
            String codes = query.getFirst("code");
            var series = views.trend(
                    query.getFirst("patient"),
                    codes == null ? List.of() : List.of(codes.split(",")),
                    query.containsKey("date") ? java.util.Map.of("date", query.get("date")) : java.util.Map.of(),
                    caller.organization());
            return Response.ok(java.util.Map.of("patient", query.getFirst("patient"), "series", series))
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .build();
        }
        RecordStore.requireOwnedType(type);
        throw new FhirException(
                404,
                org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTSUPPORTED,
                "Operation " + operation + " is not supported on " + type);
    }

    /** Instance-level operations; {@code Patient/{id}/$everything} is the one served here. */
    @GET
    @Path("{id}/{operation}")
    public Response instanceOperation(
            @PathParam("type") String type,
            @PathParam("id") String id,
            @PathParam("operation") String operation,
            UriInfo uri) {
        if (type.equals("$export-file")) {
            return exports.file(id, operation);
        }
        if (type.equals("Group") && operation.equals("$export")) {
            return exports.kickOffGroup(id, uri, headers.getHeaderString("Prefer"));
        }
        if (!type.equals("Patient")) {
            RecordStore.requireOwnedType(type);
            throw new FhirException(
                    404,
                    org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTSUPPORTED,
                    "Operation " + operation + " is not supported on " + type);
        }
        return everything.everything(id, operation, uri);
    }

    @PUT
    @Path("{id}")
    public Response update(
            @PathParam("type") String type,
            @PathParam("id") String id,
            Resource resource,
            @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("Prefer") String prefer,
            UriInfo uri) {
        RecordStore.requireOwnedType(type);
        RecordStore.Written written = store.update(type, id, validated(resource), caller.organization(), ifMatch);
        return written.created()
                ? FhirResponses.created(written.resource(), prefer, uri)
                : FhirResponses.updated(written.resource(), prefer);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("type") String type, @PathParam("id") String id) {
        if (type.equals("$export-poll-status")) {
            return exports.cancel(id);
        }
        store.delete(type, id, caller.organization());
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/_history/{vid}")
    public Response vread(
            @PathParam("type") String type, @PathParam("id") String id, @PathParam("vid") String versionId) {
        return FhirResponses.ok(store.vread(type, id, versionId, visibility.get()));
    }

    @GET
    @Path("{id}/_history")
    public Response instanceHistory(
            @PathParam("type") String type,
            @PathParam("id") String id,
            @QueryParam("_count") String count,
            @QueryParam("_since") String since,
            UriInfo uri) {
        SearchBundles.rejectUnknownParameters(uri, "_count", "_since", "_format");
        List<StoredRecord> versions = store.instanceHistory(
                type,
                id,
                since(since),
                SearchBundles.count(count, DEFAULT_HISTORY_COUNT, MAX_HISTORY_COUNT),
                visibility.get());
        return Response.ok(history(versions, uri)).build();
    }

    @GET
    @Path("_history")
    public Response typeHistory(
            @PathParam("type") String type,
            @QueryParam("_count") String count,
            @QueryParam("_since") String since,
            UriInfo uri) {
        SearchBundles.rejectUnknownParameters(uri, "_count", "_since", "_format");
        List<StoredRecord> versions = store.typeHistory(
                type,
                since(since),
                SearchBundles.count(count, DEFAULT_HISTORY_COUNT, MAX_HISTORY_COUNT),
                caller.organization());
        return Response.ok(history(versions, uri)).build();
    }

    /** A FHIR history Bundle: each version with the request that made it and its outcome. */
    private Bundle history(List<StoredRecord> versions, UriInfo uri) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY);
        bundle.addLink().setRelation("self").setUrl(uri.getRequestUri().toString());
        for (StoredRecord version : versions) {
            String url = version.resourceType() + "/" + version.id();
            Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl(uri.getBaseUri() + "fhir/" + url);
            Bundle.HTTPVerb verb = version.deleted()
                    ? Bundle.HTTPVerb.DELETE
                    : version.version() == 1 ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT;
            entry.getRequest().setMethod(verb).setUrl(verb == Bundle.HTTPVerb.POST ? version.resourceType() : url);
            entry.getResponse()
                    .setStatus(version.deleted() ? "204 No Content" : version.version() == 1 ? "201 Created" : "200 OK")
                    .setEtag("W/\"" + version.version() + "\"")
                    .setLastModified(Date.from(version.lastUpdated()));
            if (!version.deleted()) {
                entry.setResource(store.parse(version.json()));
            }
        }
        return bundle;
    }

    private static Instant since(String since) {
        Instant parsed = SearchBundles.instant("_since", since);
        return parsed == null ? Instant.EPOCH : parsed;
    }
}
