package health.tessera.fhir;

import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** Search plumbing shared by FHIR endpoints: {@code _count} limits, strict parameters, searchset Bundles. */
public final class SearchBundles {

    private SearchBundles() {}

    /**
     * {@code _count} within its limit. A value that is not a number, below zero or over the limit is a 400
     * (ARCHITECTURE.md §4); it is taken as text because JAX-RS would answer a failed conversion with 404.
     */
    public static int count(String requested, int defaultCount, int maxCount) {
        return wholeNumber("_count", requested, defaultCount, maxCount);
    }

    /**
     * A whole-number parameter such as {@code _count} or {@code _offset}: {@code defaultValue} when absent, a 400
     * naming the parameter when it is not a number between 0 and {@code max}.
     */
    public static int wholeNumber(String name, String requested, int defaultValue, int max) {
        if (requested == null || requested.isBlank()) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(requested.trim());
        } catch (NumberFormatException e) {
            throw FhirException.badRequest(name + " must be a whole number, not '" + requested + "'");
        }
        if (value < 0 || value > max) {
            throw FhirException.badRequest(name + " must be between 0 and " + max);
        }
        return value;
    }

    /**
     * Checks {@code _total}: R4 names none, estimate and accurate. Every total here is counted exactly, which
     * each of them allows; any other value is a 400, as an unknown {@code _summary} is, rather than ignored.
     */
    public static void checkTotal(String requested) {
        if (requested != null
                && !requested.isEmpty()
                && !java.util.List.of("none", "estimate", "accurate").contains(requested)) {
            throw FhirException.badRequest("_total is one of none, estimate and accurate, not '" + requested + "'");
        }
    }

    /**
     * An instant parameter such as {@code _since}: null when absent, a 400 naming the parameter when it is not
     * an instant.
     */
    public static java.time.Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return new org.hl7.fhir.r4.model.InstantType(value).getValue().toInstant();
        } catch (RuntimeException e) {
            throw FhirException.badRequest(
                    name + " must be an instant such as 2026-01-31T12:00:00Z, not '" + value + "'");
        }
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

    /**
     * The link to another page of an offset-paged search: the request's own criteria with {@code _count} and
     * {@code _offset} replaced, so next/previous links repeat the search exactly as the client wrote it.
     */
    public static String pageLink(UriInfo uri, int count, int offset) {
        return jakarta.ws.rs.core.UriBuilder.fromUri(uri.getRequestUri())
                .replaceQueryParam("_count", count)
                .replaceQueryParam("_offset", offset)
                .build()
                .toString();
    }

    public static Bundle searchset(List<Resource> resources, UriInfo uri) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        bundle.addLink().setRelation("self").setUrl(uri.getRequestUri().toString());
        for (Resource resource : resources) {
            addEntry(bundle, uri.getBaseUri(), resource, Bundle.SearchEntryMode.MATCH);
        }
        return bundle;
    }

    /** Adds {@code resource} to a search Bundle with its full URL under {@code baseUri} and its search mode. */
    public static void addEntry(Bundle bundle, java.net.URI baseUri, Resource resource, Bundle.SearchEntryMode mode) {
        bundle.addEntry()
                .setFullUrl(baseUri + "fhir/" + resource.fhirType() + "/"
                        + resource.getIdElement().getIdPart())
                .setResource(resource)
                .getSearch()
                .setMode(mode);
    }
}
