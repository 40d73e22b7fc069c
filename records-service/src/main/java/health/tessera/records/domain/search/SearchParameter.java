package health.tessera.records.domain.search;

import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.List;
import java.util.Set;

/**
 * One indexed search parameter of one resource type: its name, kind, the FHIRPath expressions that extract
 * its values (already parsed) and, for references, the target types it is restricted to by its expression
 * (empty: any) and the target types the specification declares for it.
 *
 * <p>{@code storedAs} names the index rows that hold its values: its own, or, for a parameter whose expression is
 * the union of other parameters' ({@code combo-code} is {@code code | component-code}), theirs. Such a union
 * writes no rows of its own; its searches read its parts' rows.
 *
 * <p>{@code storedTargetTypes}, when not empty, narrows those rows to references to these types: a parameter that is
 * another one restricted to some targets ({@code patient} is {@code subject.where(resolve() is Patient)}) reads the
 * other's rows that point at those types, and writes none of its own.
 */
public record SearchParameter(
        String resourceType,
        String name,
        ParameterKind kind,
        List<IFhirPath.IParsedExpression> expressions,
        Set<String> targetTypes,
        Set<String> declaredTargets,
        List<String> storedAs,
        Set<String> storedTargetTypes) {

    public SearchParameter(
            String resourceType,
            String name,
            ParameterKind kind,
            List<IFhirPath.IParsedExpression> expressions,
            Set<String> targetTypes,
            Set<String> declaredTargets) {
        this(resourceType, name, kind, expressions, targetTypes, declaredTargets, List.of(name), Set.of());
    }

    /** The same parameter, its values kept in {@code rows} (to {@code targets}, when not empty). */
    public SearchParameter storedIn(List<String> rows, Set<String> targets) {
        return new SearchParameter(
                resourceType,
                name,
                kind,
                expressions,
                targetTypes,
                declaredTargets,
                List.copyOf(rows),
                Set.copyOf(targets));
    }

    /** Whether the index holds rows under this parameter's own name (not a union of others). */
    public boolean hasOwnRows() {
        // (asked for every parameter of every record indexed: no list is built to compare)
        return storedAs.size() == 1 && storedAs.get(0).equals(name);
    }
}
