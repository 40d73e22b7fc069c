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
