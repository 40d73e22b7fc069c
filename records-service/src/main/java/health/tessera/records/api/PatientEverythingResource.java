package health.tessera.records.api;

import health.tessera.fhir.SearchsetJson;
import health.tessera.records.service.PatientEverything;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/**
 * {@code Patient/{id}/$everything}, served by records-service (the gateway routes the operation here). Reached
 * through {@link RecordResource}'s instance-operation path: JAX-RS picks one root class per path, so a second
 * class on {@code /fhir/Patient} would never see these requests.
 */
@jakarta.enterprise.context.RequestScoped
public class PatientEverythingResource {

    private final PatientEverything everything;
    private final CallerVisibility visibility;
    private final ca.uhn.fhir.context.FhirContext fhir;

    @jakarta.inject.Inject
    jakarta.ws.rs.core.HttpHeaders headers;

    public PatientEverythingResource(
            PatientEverything everything, CallerVisibility visibility, ca.uhn.fhir.context.FhirContext fhir) {
        this.everything = everything;
        this.visibility = visibility;
        this.fhir = fhir;
    }

    public Response everything(String id, String operation, UriInfo uri) {
        if (!operation.equals("$everything")) {
            throw new health.tessera.fhir.FhirException(
                    404,
                    org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTSUPPORTED,
                    "Operation " + operation + " is not supported on Patient here");
        }
        health.tessera.fhir.SearchBundles.rejectUnknownParameters(
                uri, "_since", "_type", "_count", "_getpages", "_offset", "_format", "_pretty", "_elements");
        var query = uri.getQueryParameters();
        String since = query.getFirst("_since");
        String types = query.getFirst("_type");
        String count = query.getFirst("_count");
        String pages = query.getFirst("_getpages");
        String offset = query.getFirst("_offset");
        PatientEverything.Page page = pages == null
                ? everything.firstPage(id, since, types, count, visibility.get())
                : everything.nextPage(pages, offset, count, visibility.get().resultOwner());

        java.util.Map<String, String> links = new java.util.LinkedHashMap<>();
        links.put("self", uri.getRequestUri().toString());
        if (page.searchId() != null) {
            String pagesUrl = uri.getBaseUri() + "fhir/Patient/" + id + "/$everything?_getpages=" + page.searchId()
                    + "&_count=" + page.count() + "&_offset=";
            if (page.offset() + page.count() < page.total()) {
                links.put("next", pagesUrl + (page.offset() + page.count()));
            }
            if (page.offset() > 0) {
                links.put("previous", pagesUrl + Math.max(0, page.offset() - page.count()));
            }
        }
        String base = uri.getBaseUri() + "fhir/";
        List<SearchsetJson.Entry> entries = new java.util.ArrayList<>();
        if (page.patientJson() != null) {
            entries.add(new SearchsetJson.Entry(base + "Patient/" + id, page.patientJson(), "match"));
        }
        for (var record : everything.records(page, visibility.get())) {
            entries.add(
                    new SearchsetJson.Entry(base + record.resourceType() + "/" + record.id(), record.json(), "match"));
        }
        // The total counts the Patient too, on every page.
        return SearchsetJson.response(fhir, headers.getAcceptableMediaTypes(), query, page.total() + 1, links, entries);
    }
}
