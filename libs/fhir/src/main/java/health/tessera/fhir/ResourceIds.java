package health.tessera.fhir;

import java.util.Optional;
import java.util.UUID;

/** Tessera assigns UUIDs as logical ids; an id that is not one cannot exist, which is a 404, not a 400. */
public final class ResourceIds {

    /** Version 7 UUIDs: 74 random bits (unguessable), ordered by time and, within a millisecond, by a counter. */
    private static final com.fasterxml.uuid.impl.TimeBasedEpochGenerator GENERATOR =
            com.fasterxml.uuid.Generators.timeBasedEpochGenerator();

    private ResourceIds() {}

    /**
     * A new logical id. Time-ordered (UUID version 7) rather than fully random: records written together sit
     * together in the primary key and in every index keyed by id, so inserts append instead of touching random
     * pages of ever larger indexes, and a patient's records loaded in one Bundle are read back from a few pages.
     */
    public static UUID newId() {
        return GENERATOR.generate();
    }

    /** A relative reference: a resource type, then '/' (an absolute URL or urn has ':', a conditional one '?'). */
    private static final java.util.regex.Pattern RELATIVE_REFERENCE =
            java.util.regex.Pattern.compile("[A-Z][A-Za-z]*/([^/]*)(/.*)?");

    /** FHIR's id datatype. */
    private static final java.util.regex.Pattern FHIR_ID = java.util.regex.Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    /**
     * Whether {@code reference} is relative ({@code Type/id}, perhaps with {@code /_history/n}) with an id that is
     * missing or not a FHIR id ({@code Patient/}, {@code Patient/two words}, {@code Patient//x}): it points nowhere.
     * Absolute URLs, {@code urn:}, conditional ({@code ?}) and contained ({@code #}) references are not relative.
     */
    public static boolean isMalformedRelativeReference(String reference) {
        if (reference == null
                || reference.startsWith("#")
                || reference.indexOf(':') >= 0
                || reference.indexOf('?') >= 0) {
            return false;
        }
        java.util.regex.Matcher relative = RELATIVE_REFERENCE.matcher(reference);
        return relative.matches() && !FHIR_ID.matcher(relative.group(1)).matches();
    }

    public static Optional<UUID> asUuid(String id) {
        if (id == null || id.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
