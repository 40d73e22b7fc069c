package health.tessera.patient.matching;

/**
 * An identifier of a person record. {@link Kind#PERSON} identifiers name the person across organisations (SSN,
 * passport, driver's licence, national health id): two records with different values are probably different
 * people. {@link Kind#RECORD} identifiers name a record inside one organisation (MRN): the same value in the same
 * system means the same record; different values in the same system are exactly the duplicates an MPI exists to
 * find, so they are no evidence against a match.
 */
public record Identifier(String system, String value, Kind kind) {

    /** The FHIR system of US Social Security numbers. */
    public static final String US_SSN = "http://hl7.org/fhir/sid/us-ssn";

    public enum Kind {
        PERSON,
        RECORD
    }

    public Identifier {
        system = system == null ? "" : system.strip();
        value = Text.identifier(value);
    }

    public static Identifier ssn(String value) {
        return new Identifier(US_SSN, value, Kind.PERSON);
    }

    public static Identifier mrn(String system, String value) {
        return new Identifier(system, value, Kind.RECORD);
    }
}
