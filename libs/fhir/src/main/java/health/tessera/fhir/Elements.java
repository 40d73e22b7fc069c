package health.tessera.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.util.Arrays;
import java.util.LinkedHashSet;
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
