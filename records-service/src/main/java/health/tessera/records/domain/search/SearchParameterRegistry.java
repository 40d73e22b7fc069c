package health.tessera.records.domain.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import health.tessera.fhir.ResourceOwnership;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The standard R4 search parameters of every type records-service owns, taken from HAPI's definitions (no
 * hand-written list per type), with their FHIRPath expressions parsed once.
 *
 * <p>Expressions of the form {@code X.subject.where(resolve() is Patient)} become {@code X.subject} restricted
 * to Patient targets, since nothing is resolved at index time. Composite and special parameters, and
 * SampledData alternatives, are not indexed yet.
 */
@Singleton
public class SearchParameterRegistry {

    private static final Logger LOG = Logger.getLogger(SearchParameterRegistry.class);
    private static final Pattern RESOLVE_IS = Pattern.compile("\\.where\\(resolve\\(\\) is (\\w+)\\)");

    private final Map<String, Map<String, SearchParameter>> byType = new HashMap<>();

    public SearchParameterRegistry(FhirContext fhir) {
        IFhirPath fhirPath = fhir.newFhirPath();
        // Patient too: records-service indexes its projection of patients, for chains such as subject:Patient.name.
        java.util.Set<String> types = new java.util.TreeSet<>(ResourceOwnership.RECORDS.resourceTypes());
        types.add("Patient");
        for (String type : types) {
            Map<String, SearchParameter> parameters = new HashMap<>();
            for (RuntimeSearchParam definition :
                    fhir.getResourceDefinition(type).getSearchParams()) {
                kindOf(definition.getParamType())
                        .flatMap(kind -> compile(fhirPath, type, definition, kind))
                        .ifPresent(parameter -> parameters.put(parameter.name(), parameter));
            }
            byType.put(type, Map.copyOf(parameters));
        }
    }

    /** The indexed parameters of {@code resourceType}, by name. */
    public Map<String, SearchParameter> parametersOf(String resourceType) {
        return byType.getOrDefault(resourceType, Map.of());
    }

    public Optional<SearchParameter> find(String resourceType, String name) {
        return Optional.ofNullable(parametersOf(resourceType).get(name));
    }

    private static Optional<ParameterKind> kindOf(RestSearchParameterTypeEnum type) {
        return switch (type) {
            case TOKEN -> Optional.of(ParameterKind.TOKEN);
            case STRING -> Optional.of(ParameterKind.STRING);
            case DATE -> Optional.of(ParameterKind.DATE);
            case QUANTITY -> Optional.of(ParameterKind.QUANTITY);
            case REFERENCE -> Optional.of(ParameterKind.REFERENCE);
            case URI -> Optional.of(ParameterKind.URI);
            case NUMBER -> Optional.of(ParameterKind.NUMBER);
            default -> Optional.empty(); // composite, special, has
        };
    }

    private static Optional<SearchParameter> compile(
            IFhirPath fhirPath, String type, RuntimeSearchParam definition, ParameterKind kind) {
        String path = definition.getPath();
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        List<IFhirPath.IParsedExpression> expressions = new ArrayList<>();
        Set<String> targets = new LinkedHashSet<>();
        for (String alternative : splitTopLevel(path)) {
            String expression = alternative.trim();
            if (expression.contains("SampledData")) {
                continue;
            }
            Matcher resolve = RESOLVE_IS.matcher(expression);
            if (resolve.find()) {
                targets.add(resolve.group(1));
                expression = resolve.replaceAll("");
            }
            // Shared parameters list every type's path (e.g. "AllergyIntolerance.patient | CarePlan.subject"):
            // only this type's own alternatives apply.
            String root = expression.replaceFirst("^\\(+", "");
            if (!root.startsWith(type + ".") && !root.startsWith("Resource.") && !root.equals(type)) {
                continue;
            }
            try {
                expressions.add(fhirPath.parse(expression));
            } catch (Exception e) {
                LOG.debugf(
                        "search parameter %s.%s: cannot parse %s (%s)",
                        type, definition.getName(), expression, e.getMessage());
            }
        }
        if (expressions.isEmpty()) {
            return Optional.empty();
        }
        Set<String> declared = definition.getTargets() == null ? Set.of() : Set.copyOf(definition.getTargets());
        return Optional.of(new SearchParameter(
                type, definition.getName(), kind, List.copyOf(expressions), Set.copyOf(targets), declared));
    }

    /** Splits a FHIRPath union on its top-level {@code |} (not inside parentheses). */
    static List<String> splitTopLevel(String path) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                parts.add(path.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(path.substring(start));
        return parts;
    }
}
