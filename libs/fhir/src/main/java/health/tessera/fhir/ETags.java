package health.tessera.fhir;

/** FHIR's version ETags ({@code W/"3"}). */
public final class ETags {

    private ETags() {}

    /** The version an {@code If-Match} header names ({@code W/"3"} or {@code "3"}), or null when absent; else 400. */
    public static Integer expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        String value = ifMatch.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "");
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw FhirException.badRequest("If-Match must name a version, e.g. W/\"3\"");
        }
    }
}
