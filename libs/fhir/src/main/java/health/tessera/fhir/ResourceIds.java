package health.tessera.fhir;

import java.util.Optional;
import java.util.UUID;

/** Tessera assigns UUIDs as logical ids; an id that is not one cannot exist, which is a 404, not a 400. */
public final class ResourceIds {

    private ResourceIds() {}

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
