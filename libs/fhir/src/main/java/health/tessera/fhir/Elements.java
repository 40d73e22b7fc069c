package health.tessera.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * {@code _elements}: answer with only the named top-level elements of each resource (plus id and meta), tagged
 * {@code SUBSETTED} (by HAPI's encoder) as the spec asks. HAPI's parser does the selecting, so choice types ({@code value} for
 * {@code valueQuantity}) behave as HAPI's own server does.
 */
public final class Elements {

    private static final Pattern ELEMENT_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9]*");

    private Elements() {}

    /** The element names of an {@code _elements} value, or null when absent; a malformed name is a 400. */
    public static Set<String> parse(String parameter) {
        if (parameter == null || parameter.isBlank()) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        for (String name : Arrays.stream(parameter.split(",")).map(String::trim).toList()) {
            if (!ELEMENT_NAME.matcher(name).matches()) {
                throw FhirException.badRequest(
                        "_elements names top-level elements, e.g. code,subject; '" + name + "' is not one");
            }
            names.add(name);
        }
        return names;
    }

    /**
     * What to keep of each resource of an answer: the named top-level elements ({@code _elements}) or a
     * {@code _summary} mode: {@code true} (the elements the spec marks as summary), {@code data} (all but the
     * narrative), {@code text} (the narrative, id and meta).
     */
    public record Subset(Set<String> elements, String summary) {}

    /** The subset a request asks for, or null for whole resources; a malformed value is a 400. */
    public static Subset parse(String elementsParameter, String summaryParameter) {
        Set<String> names = parse(elementsParameter);
        String summary = summaryParameter == null || summaryParameter.isBlank() || summaryParameter.equals("false")
                ? null
                : summaryParameter;
        if (summary != null && !List.of("true", "text", "data", "count").contains(summary)) {
            throw FhirException.badRequest("_summary is one of true, text, data, count and false");
        }
        if ("count".equals(summary)) {
            summary = null; // answered by the search itself: no resources at all
        }
        if (names != null && summary != null) {
            throw FhirException.badRequest("_elements and _summary cannot be combined");
        }
        return names == null && summary == null ? null : new Subset(names, summary);
    }

    /** A copy of {@code resource} reduced to {@code subset}; the resource itself when the subset is null. */
    @SuppressWarnings("unchecked")
    public static <T extends IBaseResource> T subset(FhirContext fhir, T resource, Subset subset) {
        if (subset == null) {
            return resource;
        }
        if (subset.elements() != null) {
            return subset(fhir, resource, subset.elements());
        }
        IParser parser = fhir.newJsonParser();
        switch (subset.summary()) {
            case "true" -> parser.setSummaryMode(true);
            case "data" -> parser.setSuppressNarratives(true);
            default -> {
                String type = fhir.getResourceType(resource);
                parser.setEncodeElements(Set.of(type + ".id", type + ".meta", type + ".text"));
            }
        }
        return (T) fhir.newJsonParser().parseResource(resource.getClass(), parser.encodeResourceToString(resource));
    }

    /** A copy of {@code resource} with only {@code names} (and id, meta); the resource itself when names is null. */
    @SuppressWarnings("unchecked")
    public static <T extends IBaseResource> T subset(FhirContext fhir, T resource, Set<String> names) {
        if (names == null) {
            return resource;
        }
        String type = fhir.getResourceType(resource);
        Set<String> paths = new LinkedHashSet<>();
        paths.add(type + ".id");
        paths.add(type + ".meta");
        names.forEach(name -> paths.add(type + "." + name));
        IParser parser = fhir.newJsonParser().setEncodeElements(paths);
        // HAPI's encoder tags what it subsets (SUBSETTED), as the spec asks.
        return (T) fhir.newJsonParser().parseResource(resource.getClass(), parser.encodeResourceToString(resource));
    }
}
