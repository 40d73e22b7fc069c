package health.tessera.records.domain;

import health.tessera.events.RecordCommitted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;

/**
 * The facts of a record that other services act on without reading it: the patient it belongs to, its
 * codes, when it happened and, for Observations, the measured values (the value and each component's).
 */
public final class RecordFacts {

    /** Elements that point at the patient a record belongs to, in the order FHIR resources use them. */
    private static final List<String> PATIENT_ELEMENTS = List.of("subject", "patient", "beneficiary");
    /** Elements that carry a record's clinically relevant time. */
    private static final List<String> TIME_ELEMENTS = List.of(
            "effective", "onset", "performed", "occurrence", "authoredOn", "recordedDate", "period", "created", "date");

    private RecordFacts() {}

    /** The id of the Patient the record belongs to, or null when it is not about one patient. */
    public static String patientId(Resource resource) {
        for (String element : PATIENT_ELEMENTS) {
            Property property = resource.getNamedProperty(element);
            if (property != null && property.hasValues() && property.getValues().get(0) instanceof Reference ref) {
                if (ref.getReferenceElement().hasIdPart()
                        && "Patient".equals(ref.getReferenceElement().getResourceType())) {
                    return ref.getReferenceElement().getIdPart();
                }
            }
        }
        return null;
    }

    /** The record's main codes as {@code system|code}. */
    public static List<String> codes(Resource resource) {
        List<String> codes = new ArrayList<>();
        Property code = resource.getNamedProperty("code");
        if (code != null) {
            for (var value : code.getValues()) {
                if (value instanceof CodeableConcept concept) {
                    concept.getCoding().forEach(c -> codes.add(token(c)));
                }
            }
        }
        return codes;
    }

    public static Instant effective(Resource resource) {
        for (String element : TIME_ELEMENTS) {
            Property property = resource.getNamedProperty(element);
            if (property == null || !property.hasValues()) {
                continue;
            }
            var value = property.getValues().get(0);
            if (value instanceof BaseDateTimeType dateTime && dateTime.getValue() != null) {
                return dateTime.getValue().toInstant();
            }
            if (value instanceof Period period && period.getStart() != null) {
                return period.getStart().toInstant();
            }
        }
        return null;
    }

    /** An Observation's numeric values: its own value and each component's, keyed by their codes. */
    public static List<RecordCommitted.MeasuredValue> values(Resource resource) {
        List<RecordCommitted.MeasuredValue> values = new ArrayList<>();
        if (resource instanceof Observation observation) {
            addQuantity(values, observation.getCode(), observation.getValue());
            for (Observation.ObservationComponentComponent component : observation.getComponent()) {
                addQuantity(values, component.getCode(), component.getValue());
            }
        }
        return values;
    }

    private static void addQuantity(List<RecordCommitted.MeasuredValue> values, CodeableConcept code, Type value) {
        if (value instanceof Quantity quantity && quantity.hasValue()) {
            String unit = quantity.hasCode() ? quantity.getCode() : quantity.getUnit();
            for (Coding coding : code.getCoding()) {
                values.add(new RecordCommitted.MeasuredValue(
                        token(coding), quantity.getValue().doubleValue(), unit));
            }
        }
    }

    private static String token(Coding coding) {
        return (coding.hasSystem() ? coding.getSystem() : "") + "|" + coding.getCode();
    }
}
