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
 * to Patient targets, since nothing is resolved at index time. Composite parameters are described by
 * {@link CompositeParameter}; special parameters and SampledData alternatives are not indexed.
 */
@Singleton
public class SearchParameterRegistry {

    private static final Logger LOG = Logger.getLogger(SearchParameterRegistry.class);
    private static final Pattern RESOLVE_IS = Pattern.compile("\\.where\\(resolve\\(\\) is (\\w+)\\)");

    private final Map<String, Map<String, SearchParameter>> byType = new HashMap<>();
    private final Map<String, Map<String, CompositeParameter>> compositesByType = new HashMap<>();

    public SearchParameterRegistry(FhirContext fhir) {
        IFhirPath fhirPath = fhir.newFhirPath();
        // Patient too: records-service indexes its projection of patients, for chains such as subject:Patient.name.
        java.util.Set<String> types = new java.util.TreeSet<>(ResourceOwnership.RECORDS.resourceTypes());
        types.add("Patient");
        for (String type : types) {
            Map<String, SearchParameter> parameters = new HashMap<>();
            Map<String, Set<String>> alternatives = new HashMap<>();
            for (RuntimeSearchParam definition :
                    fhir.getResourceDefinition(type).getSearchParams()) {
                Set<String> paths = new java.util.HashSet<>();
                kindOf(definition.getParamType())
                        .flatMap(kind -> compile(fhirPath, type, definition, kind, paths))
                        .ifPresent(parameter -> {
                            parameters.put(parameter.name(), parameter);
                            alternatives.put(parameter.name(), paths);
                        });
            }
            storeUnionsAsTheirParts(parameters, alternatives);
            storeRestrictionsAsTheirBase(parameters, alternatives);
            byType.put(type, Map.copyOf(parameters));
            compositesByType.put(type, composites(fhir, fhirPath, type, parameters));
        }
    }

    /**
     * A parameter whose expression is exactly the union of other parameters' expressions of the same kind
     * ({@code combo-code} = {@code code | component-code}, {@code combo-value-quantity} = {@code value-quantity |
     * component-value-quantity}) is stored as those parts: its rows would repeat theirs (a third of an
     * Observation's index rows). References are left alone: includes, chains and compartments name their rows.
     */
    private static void storeUnionsAsTheirParts(
            Map<String, SearchParameter> parameters, Map<String, Set<String>> alternatives) {
        for (SearchParameter union : List.copyOf(parameters.values())) {
            Set<String> whole = alternatives.get(union.name());
            if (union.kind() == ParameterKind.REFERENCE
                    || whole.size() < 2
                    || !union.targetTypes().isEmpty()) {
                continue;
            }
            List<String> parts = parameters.values().stream()
                    .filter(part ->
                            part.kind() == union.kind() && part.targetTypes().isEmpty())
                    .filter(part -> !SearchIndexer.ROW_PARAMETERS.contains(part.name()))
                    .filter(part -> {
                        Set<String> own = alternatives.get(part.name());
                        return own.size() < whole.size() && whole.containsAll(own);
                    })
                    .map(SearchParameter::name)
                    .sorted()
                    .toList();
            Set<String> covered = new java.util.HashSet<>();
            parts.forEach(part -> covered.addAll(alternatives.get(part)));
            if (!parts.isEmpty() && covered.equals(whole)) {
                parameters.put(union.name(), union.storedIn(parts, Set.of()));
            }
        }
    }

    /**
     * A reference parameter that is another one of the same type narrowed to some targets ({@code patient} is
     * {@code subject.where(resolve() is Patient)} in Observation, Condition, Procedure, DiagnosticReport and a dozen
     * more) reads that one's rows to those targets: its own would repeat them (one in seven of a Synthea load's
     * reference rows, each inserted into the two largest indexes).
     */
    private static void storeRestrictionsAsTheirBase(
            Map<String, SearchParameter> parameters, Map<String, Set<String>> alternatives) {
        for (SearchParameter narrowed : List.copyOf(parameters.values())) {
            if (narrowed.kind() != ParameterKind.REFERENCE
                    || narrowed.targetTypes().isEmpty()) {
                continue;
            }
            parameters.values().stream()
                    .filter(base -> base.kind() == ParameterKind.REFERENCE
                            && base.targetTypes().isEmpty()
                            && base.hasOwnRows()
                            && alternatives.get(base.name()).equals(alternatives.get(narrowed.name())))
                    .map(SearchParameter::name)
                    .sorted()
                    .findFirst()
                    .ifPresent(base ->
                            parameters.put(narrowed.name(), narrowed.storedIn(List.of(base), narrowed.targetTypes())));
        }
    }

    /** The composite parameters of {@code resourceType}, by name. */
    public Map<String, CompositeParameter> compositesOf(String resourceType) {
        return compositesByType.getOrDefault(resourceType, Map.of());
    }

    public Optional<CompositeParameter> findComposite(String resourceType, String name) {
        return Optional.ofNullable(compositesOf(resourceType).get(name));
    }

    /** The two-component composites of {@code type} whose components are indexed, in their three forms. */
    private static Map<String, CompositeParameter> composites(
            FhirContext fhir, IFhirPath fhirPath, String type, Map<String, SearchParameter> parameters) {
        Map<String, CompositeParameter> composites = new HashMap<>();
        List<RuntimeSearchParam> definitions = fhir.getResourceDefinition(type).getSearchParams().stream()
                .filter(d -> d.getParamType() == RestSearchParameterTypeEnum.COMPOSITE)
                .toList();
        String prefix = "http://hl7.org/fhir/SearchParameter/" + type + "-";
        // Unions last: they name the record and paired forms registered before them.
        for (RuntimeSearchParam definition : definitions.stream()
                .sorted(java.util.Comparator.comparing(d -> d.getName().startsWith("combo-")))
                .toList()) {
            List<String> names = definition.getComponents().stream()
                    .map(c -> c.getReference() == null ? "" : c.getReference().replace(prefix, ""))
                    .toList();
            List<SearchParameter> components = names.stream()
                    .map(parameters::get)
                    .filter(java.util.Objects::nonNull)
                    .toList();
            if (components.size() != 2 || names.size() != 2) {
                continue;
            }
            String name = definition.getName();
            if (name.startsWith("combo-")) {
                String rest = name.substring("combo-".length());
                List<String> unionOf = List.of(rest, "component-" + rest);
                if (unionOf.stream().allMatch(composites::containsKey)) {
                    composites.put(
                            name, new CompositeParameter(type, name, components, null, null, List.of(), unionOf));
                }
                continue;
            }
            List<String> bases = splitTopLevel(definition.getPath()).stream()
                    .map(String::trim)
                    .toList();
            if (bases.equals(List.of(type))) {
                composites.put(name, new CompositeParameter(type, name, components, null, null, List.of(), List.of()));
            } else if (bases.size() == 1) {
                String base = bases.get(0);
                List<List<IFhirPath.IParsedExpression>> relative = new ArrayList<>();
                for (String component : names) {
                    relative.add(relativeTo(
                            fhirPath,
                            base,
                            fhir.getResourceDefinition(type)
                                    .getSearchParam(component)
                                    .getPath()));
                }
                if (relative.stream().noneMatch(List::isEmpty)) {
                    try {
                        composites.put(
                                name,
                                new CompositeParameter(
                                        type,
                                        name,
                                        components,
                                        fhirPath.parse(base),
                                        base,
                                        List.copyOf(relative),
                                        List.of()));
                    } catch (Exception e) {
                        LOG.debugf("composite %s.%s: cannot parse its base %s (%s)", type, name, base, e.getMessage());
                    }
                }
            }
        }
        return Map.copyOf(composites);
    }

    /**
     * A component's expressions relative to the composite's base: {@code (Observation.component.value as Quantity)}
     * under {@code Observation.component} is {@code value as Quantity}.
     */
    private static List<IFhirPath.IParsedExpression> relativeTo(IFhirPath fhirPath, String base, String path) {
        List<IFhirPath.IParsedExpression> relative = new ArrayList<>();
        for (String alternative : splitTopLevel(path)) {
            String expression = alternative.trim();
            while (expression.startsWith("(") && expression.endsWith(")")) {
                expression = expression.substring(1, expression.length() - 1).trim();
            }
            if (expression.startsWith(base + ".")) {
                try {
                    relative.add(fhirPath.parse(expression.substring(base.length() + 1)));
                } catch (Exception e) {
                    LOG.debugf("composite component %s under %s: cannot parse (%s)", path, base, e.getMessage());
                }
            }
        }
        return relative;
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

    /** The parameter as indexed; {@code paths} receives the text of each alternative it evaluates. */
    private static Optional<SearchParameter> compile(
            IFhirPath fhirPath, String type, RuntimeSearchParam definition, ParameterKind kind, Set<String> paths) {
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
                paths.add(expression.replace(" ", ""));
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
