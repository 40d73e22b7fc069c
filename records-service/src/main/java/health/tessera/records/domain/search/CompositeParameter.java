package health.tessera.records.domain.search;

import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.List;

/**
 * A composite search parameter ({@code code-value-quantity=http://loinc.org|8480-6$gt140}): two component
 * parameters whose values must belong together. Three forms, from how the definition's base path relates to the
 * record:
 *
 * <ul>
 *   <li>on the record itself ({@code Observation.code-value-quantity}, base {@code Observation}): an Observation
 *       has one code and one value, so both components of the same record belong together. Answered from the
 *       component parameters' own index rows; nothing more is stored.
 *   <li>paired inside a repeating element ({@code component-code-value-quantity}, base {@code Observation.component};
 *       {@code Group.characteristic-value}; {@code DocumentReference.relationship}): each element's pair is indexed
 *       as one row of the second component's kind, its {@code param} naming the first component's value
 *       ({@link #key}). {@code base} and {@code relative} (per component, relative to the base) extract them.
 *   <li>a union ({@code combo-code-value-quantity}): the record form or the paired form, {@code unionOf} names them.
 * </ul>
 */
public record CompositeParameter(
        String resourceType,
        String name,
        List<SearchParameter> components,
        IFhirPath.IParsedExpression base,
        String basePath,
        List<List<IFhirPath.IParsedExpression>> relative,
        List<String> unionOf) {

    public boolean onRecord() {
        return base == null && unionOf.isEmpty();
    }

    public boolean paired() {
        return base != null;
    }

    /** The repeating element a paired composite lives in ({@code component} for {@code Observation.component}). */
    public String baseElement() {
        return basePath.substring(basePath.lastIndexOf('.') + 1);
    }

    /** The index row's param of a paired value whose first component is {@code firstValue} ({@code system|code}). */
    public String key(String firstValue) {
        return name + "$" + firstValue;
    }
}
