package health.tessera.exchange.subscription;

import health.tessera.events.RecordCommitted;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.ResourceOwnership;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One filter criteria of a record-changed Subscription, as the Subscriptions Backport IG writes it:
 * {@code Type?param=value&...}, for example {@code Observation?code=http://loinc.org|8867-4&patient=Patient/123}.
 * Parameters are ANDed; a comma inside a value means any of them, as in FHIR search. The parameters are those a
 * {@link RecordCommitted} event can answer without reading the record: {@code patient} and {@code code} (the record's
 * codes and, for an Observation, its components' codes).
 *
 * @param resourceType the record type, or {@code *} for any
 * @param patients the patient ids (any of them), empty for any patient
 * @param codes {@code system|code}, {@code code} (any system) or {@code system|} (any code in the system)
 */
public record RecordFilter(String resourceType, Set<String> patients, Set<String> codes) {

    static final String ANY_TYPE = "*";

    /** Parses {@code criteria}; a filter the exchange could not apply as written is a 422 naming the element. */
    public static RecordFilter parse(String criteria, String expression) {
        String text = criteria == null ? "" : criteria.strip();
        int query = text.indexOf('?');
        String type = query < 0 ? text : text.substring(0, query);
        if (!ANY_TYPE.equals(type) && !ResourceOwnership.RECORDS.owns(type)) {
            throw FhirException.unprocessable(
                    "The filter criteria '" + criteria + "' must start with a record type that records-service holds"
                            + " (Observation, Condition, Encounter, ...) or * for any",
                    expression);
        }
        Set<String> patients = new LinkedHashSet<>();
        Set<String> codes = new LinkedHashSet<>();
        if (query >= 0 && query < text.length() - 1) {
            for (String pair : text.substring(query + 1).split("&")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value;
                try {
                    value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw FhirException.unprocessable(
                            "The filter criteria '" + criteria + "' has a malformed %-escape", expression);
                }
                if (value.isBlank()) {
                    throw FhirException.unprocessable(
                            "The filter parameter '" + name + "' in '" + criteria + "' has no value", expression);
                }
                switch (name) {
                    case "patient", "subject" -> {
                        for (String patient : value.split(",")) {
                            patients.add(patient.strip().replaceFirst("^Patient/", ""));
                        }
                    }
                    case "code" -> {
                        for (String code : value.split(",")) {
                            codes.add(code.strip());
                        }
                    }
                    default ->
                        throw FhirException.unprocessable(
                                "The filter parameter '" + name + "' in '" + criteria + "' is not supported: a"
                                        + " record-changed filter takes patient and code",
                                expression);
                }
            }
        }
        return new RecordFilter(type, Set.copyOf(patients), Set.copyOf(codes));
    }

    public boolean matches(RecordCommitted record) {
        if (!ANY_TYPE.equals(resourceType) && !resourceType.equals(record.resourceType())) {
            return false;
        }
        if (!patients.isEmpty() && (record.patientId() == null || !patients.contains(record.patientId()))) {
            return false;
        }
        // An Observation's component codes count too: blood-pressure panels carry systolic and diastolic there.
        return codes.isEmpty()
                || record.codes().stream().anyMatch(this::codeMatches)
                || (record.values() != null
                        && record.values().stream()
                                .map(RecordCommitted.MeasuredValue::code)
                                .anyMatch(this::codeMatches));
    }

    private boolean codeMatches(String recordCode) {
        int bar = recordCode.indexOf('|');
        String system = bar < 0 ? "" : recordCode.substring(0, bar);
        String code = bar < 0 ? recordCode : recordCode.substring(bar + 1);
        for (String wanted : codes) {
            int wantedBar = wanted.indexOf('|');
            if (wantedBar < 0
                    ? wanted.equals(code)
                    : wantedBar == wanted.length() - 1
                            ? wanted.substring(0, wantedBar).equals(system)
                            : wanted.equals(recordCode)) {
                return true;
            }
        }
        return false;
    }
}
