package health.tessera.records.api;

import health.tessera.fhir.Caller;
import health.tessera.records.service.PatientEverything;
import health.tessera.records.service.RecordStore;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * {@code Patient/{id}/$everything}, served by records-service (the gateway routes the operation here). Reached
 * through {@link RecordResource}'s instance-operation path: JAX-RS picks one root class per path, so a second
 * class on {@code /fhir/Patient} would never see these requests.
 */
@jakarta.enterprise.context.RequestScoped
public class PatientEverythingResource {

    private final PatientEverything everything;
    private final RecordStore store;
    private final Caller caller;
    private final health.tessera.records.domain.RecordRepository repository;

    public PatientEverythingResource(
            PatientEverything everything,
            RecordStore store,
            Caller caller,
            health.tessera.records.domain.RecordRepository repository) {
        this.repository = repository;
        this.everything = everything;
        this.store = store;
        this.caller = caller;
    }

    public Response everything(String id, String operation, UriInfo uri) {
        if (!operation.equals("$everything")) {
            throw new health.tessera.fhir.FhirException(
                    404,
                    org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTSUPPORTED,
                    "Operation " + operation + " is not supported on Patient here");
        }
        health.tessera.fhir.SearchBundles.rejectUnknownParameters(
                uri, "_since", "_type", "_count", "_getpages", "_offset", "_format");
        var query = uri.getQueryParameters();
        String since = query.getFirst("_since");
        String types = query.getFirst("_type");
        String count = query.getFirst("_count");
        String pages = query.getFirst("_getpages");
        String offset = query.getFirst("_offset");
        PatientEverything.Page page = pages == null
                ? everything.firstPage(id, since, types, count, caller.organization())
                : everything.nextPage(pages, offset, count, caller.organization());

        Bundle bundle = new Bundle()
                .setType(Bundle.BundleType.SEARCHSET)
                .setTotal(page.total() + (page.patientJson() == null ? 0 : 1));
        bundle.addLink().setRelation("self").setUrl(uri.getRequestUri().toString());
        if (page.searchId() != null) {
            String base = uri.getBaseUri() + "fhir/Patient/" + id + "/$everything?_getpages=" + page.searchId()
                    + "&_count=" + page.count() + "&_offset=";
            if (page.offset() + page.count() < page.total()) {
                bundle.addLink().setRelation("next").setUrl(base + (page.offset() + page.count()));
            }
            if (page.offset() > 0) {
                bundle.addLink().setRelation("previous").setUrl(base + Math.max(0, page.offset() - page.count()));
            }
        }
        if (page.patientJson() != null) {
            add(bundle, uri, store.parse(page.patientJson()));
        }
        List<String> records = repository.loadInOrder(null, page.ids());
        for (String json : records) {
            add(bundle, uri, store.parse(json));
        }
        return Response.ok(bundle).build();
    }

    private static void add(Bundle bundle, UriInfo uri, Resource resource) {
        health.tessera.fhir.SearchBundles.addEntry(bundle, uri.getBaseUri(), resource, Bundle.SearchEntryMode.MATCH);
    }
}
