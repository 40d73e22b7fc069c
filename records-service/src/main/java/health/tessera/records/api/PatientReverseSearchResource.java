package health.tessera.records.api;

import health.tessera.fhir.FhirException;
import health.tessera.fhir.SearchsetJson;
import health.tessera.records.service.PatientReverseSearch;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET Patient?_has:…}, which the gateway routes here (see {@link PatientReverseSearch}). Reached through
 * {@link RecordResource}'s type-level search, for the same reason as {@link PatientEverythingResource}.
 */
@jakarta.enterprise.context.RequestScoped
public class PatientReverseSearchResource {

    private final PatientReverseSearch search;
    private final CallerVisibility visibility;
    private final ca.uhn.fhir.context.FhirContext fhir;

    @jakarta.inject.Inject
    jakarta.ws.rs.core.HttpHeaders headers;

    public PatientReverseSearchResource(
            PatientReverseSearch search, CallerVisibility visibility, ca.uhn.fhir.context.FhirContext fhir) {
        this.search = search;
        this.visibility = visibility;
        this.fhir = fhir;
    }

    public Response search(MultivaluedMap<String, String> query, String prefer, UriInfo uri) {
        if (visibility.get().isPatient()) {
            throw FhirException.badRequest(
                    "_has is not available with a patient's own (patient/) token; search the records themselves");
        }
        PatientReverseSearch.Page page = search.search(
                query, visibility.get().organization(), prefer != null && prefer.contains("handling=lenient"));
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", uri.getRequestUri().toString());
        // Next/previous repeat the criteria with another _offset.
        if (page.offset() + page.count() < page.total()) {
            links.put(
                    "next",
                    health.tessera.fhir.SearchBundles.pageLink(uri, page.count(), page.offset() + page.count()));
        }
        if (page.offset() > 0) {
            links.put(
                    "previous",
                    health.tessera.fhir.SearchBundles.pageLink(
                            uri, page.count(), Math.max(0, page.offset() - page.count())));
        }
        List<SearchsetJson.Entry> entries = new ArrayList<>();
        for (PatientReverseSearch.Found patient : page.patients()) {
            entries.add(new SearchsetJson.Entry(
                    uri.getBaseUri() + "fhir/Patient/" + patient.id(), patient.json(), "match"));
        }
        if (!page.ignored().isEmpty()) {
            entries.add(new SearchsetJson.Entry(
                    null,
                    fhir.newJsonParser()
                            .encodeResourceToString(health.tessera.fhir.OperationOutcomes.warning(
                                    "Ignored unknown search parameters: " + String.join(", ", page.ignored()))),
                    "outcome"));
        }
        return SearchsetJson.response(fhir, headers.getAcceptableMediaTypes(), query, page.total(), links, entries);
    }
}
