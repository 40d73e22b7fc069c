package health.tessera.testkit;

import java.util.UUID;

/** Small, valid FHIR R4 resources for tests and benchmarks. */
public final class FhirFixtures {

    private FhirFixtures() {}

    /** A Patient with a unique MRN, so tests never collide with each other's data. */
    public static String patient(String family, String given) {
        return """
                {"resourceType":"Patient",
                 "identifier":[{"system":"urn:oid:2.16.840.1.113883.19.5","value":"MRN-%s"},
                               {"system":"http://hl7.org/fhir/sid/us-ssn","value":"%s"}],
                 "name":[{"family":"%s","given":["%s"]}],
                 "gender":"female","birthDate":"%s"}
                """.formatted(UUID.randomUUID(), randomSsn(), family, given, randomBirthDate());
    }

    /**
     * A random nine-digit SSN. Each {@link #patient} fixture is its own person: tests reuse names, and the
     * databases keep the patients of earlier runs, so without a person identifier of its own a fixture could be
     * linked by the master patient index to an earlier run's namesake born on a nearby date (a year typo or a
     * swapped day and month is a match to it). Two different SSNs are a strict conflict and never auto-link.
     */
    public static String randomSsn() {
        return String.valueOf(java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000_000, 1_000_000_000));
    }

    /**
     * A Patient with full demographics and a unique MRN: two of these with the same name, birth date and address
     * from two organisations are the same person to the master patient index.
     */
    public static String person(String given, String family, String birthDate, String phone, String line) {
        return """
                {"resourceType":"Patient","identifier":[{"system":"urn:tessera:system-test:mrn","value":"%s"}],
                 "name":[{"use":"official","family":"%s","given":["%s"]}],"gender":"male","birthDate":"%s",
                 "telecom":[{"system":"phone","value":"%s"}],
                 "address":[{"line":["%s"],"city":"Cleveland","postalCode":"44114","state":"OH"}]}
                """.formatted(UUID.randomUUID(), family, given, birthDate, phone, line);
    }

    /**
     * A birth date between 1930 and 2009, different for each fixture: the master patient index links records of
     * the same name and birth date, and tests reuse names.
     */
    public static String randomBirthDate() {
        return java.time.LocalDate.of(1930, 1, 1)
                .plusDays(java.util.concurrent.ThreadLocalRandom.current().nextInt(80 * 365))
                .toString();
    }

    /** A blood-pressure panel (LOINC 85354-9) with systolic and diastolic components, in mm[Hg]. */
    public static String bloodPressure(String patientId, int systolic, int diastolic) {
        return """
                {"resourceType":"Observation","status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"85354-9","display":"Blood pressure panel with all children optional"}]},
                 "subject":{"reference":"Patient/%s"},
                 "effectiveDateTime":"2026-11-20T09:30:00Z",
                 "component":[
                  {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6","display":"Systolic blood pressure"}]},
                   "valueQuantity":{"value":%d,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
                  {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4","display":"Diastolic blood pressure"}]},
                   "valueQuantity":{"value":%d,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]}
                """.formatted(patientId, systolic, diastolic);
    }
}
