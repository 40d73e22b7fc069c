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

    /**
     * Whether {@code reference} is relative ({@code Type/id}, perhaps with {@code /_history/n}) with an id that is
     * missing or not a FHIR id ({@code Patient/}, {@code Patient/two words}, {@code Patient//x}): it points nowhere.
     * Absolute URLs, {@code urn:}, conditional ({@code ?}) and contained ({@code #}) references are not relative.
     * A scan, not a regular expression: every reference of every record written passes here, and the two patterns
     * it replaced took 3.6% of records-service's CPU during a Synthea ingest.
     */
    public static boolean isMalformedRelativeReference(String reference) {
        if (reference == null
                || reference.startsWith("#")
                || reference.indexOf(':') >= 0
                || reference.indexOf('?') >= 0) {
            return false;
        }
        int slash = reference.indexOf('/');
        if (slash < 1 || !isTypeName(reference, slash)) {
            return false; // not of the form Type/...
        }
        int idEnd = reference.indexOf('/', slash + 1);
        return !isFhirId(reference, slash + 1, idEnd < 0 ? reference.length() : idEnd);
    }

    /** Whether {@code text} up to {@code end} is a resource type's name: a capital, then letters. */
    private static boolean isTypeName(String text, int end) {
        if (text.charAt(0) < 'A' || text.charAt(0) > 'Z') {
            return false;
        }
        for (int i = 1; i < end; i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code text} from {@code start} to {@code end} is FHIR's id datatype: 1 to 64 of A-Z a-z 0-9 - . */
    private static boolean isFhirId(String text, int start, int end) {
        if (end - start < 1 || end - start > 64) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
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
