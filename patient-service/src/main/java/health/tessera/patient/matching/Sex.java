package health.tessera.patient.matching;

/** Administrative sex as recorded (FHIR {@code gender}); {@link #UNKNOWN} is treated as missing. */
public enum Sex {
    MALE,
    FEMALE,
    OTHER,
    UNKNOWN;

    /** FHIR codes ({@code male}, {@code female}, {@code other}, {@code unknown}) and the usual M/F letters. */
    public static Sex parse(String s) {
        String f = Text.fold(s);
        return switch (f) {
            case "m", "male", "man" -> MALE;
            case "f", "female", "woman" -> FEMALE;
            case "o", "other", "x" -> OTHER;
            default -> UNKNOWN;
        };
    }
}
