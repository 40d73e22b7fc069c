package health.tessera.fhir;

import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** Search plumbing shared by FHIR endpoints: {@code _count} limits, strict parameters, searchset Bundles. */
public final class SearchBundles {

    private SearchBundles() {}

    /** {@code _count} within its limit; over the limit or below zero is a 400, as ARCHITECTURE.md §4 says. */
    public static int count(Integer requested, int defaultCount, int maxCount) {
        if (requested == null) {
            return defaultCount;
        }
        if (requested < 0 || requested > maxCount) {
            throw FhirException.badRequest("_count must be between 0 and " + maxCount);
        }
        return requested;
    }

    /** Unknown search parameters are an error (400), so a typo never silently widens a search. */
    public static void rejectUnknownParameters(UriInfo uri, String... known) {
        Set<String> allowed = Set.of(known);
        for (String name : uri.getQueryParameters().keySet()) {
            if (!allowed.contains(name)) {
                throw FhirException.badRequest("Unknown search parameter: " + name);
            }
        }
    }

    public static Bundle searchset(List<Resource> resources, UriInfo uri) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        bundle.addLink().setRelation("self").setUrl(uri.getRequestUri().toString());
        for (Resource resource : resources) {
            bundle.addEntry()
                    .setFullUrl(uri.getBaseUri() + "fhir/" + resource.fhirType() + "/" + resource.getIdElement().getIdPart())
                    .setResource(resource)
                    .getSearch()
                    .setMode(Bundle.SearchEntryMode.MATCH);
        }
        return bundle;
    }
}
