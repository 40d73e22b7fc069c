package health.tessera.records.domain.search;

import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.List;
import java.util.Set;

/**
 * One indexed search parameter of one resource type: its name, kind, the FHIRPath expressions that extract
 * its values (already parsed) and, for references, the target types it is restricted to by its expression
 * (empty: any) and the target types the specification declares for it.
 */
public record SearchParameter(
        String resourceType,
        String name,
        ParameterKind kind,
        List<IFhirPath.IParsedExpression> expressions,
        Set<String> targetTypes,
        Set<String> declaredTargets) {}
