package health.tessera.records.domain.search;

import java.math.BigDecimal;
import java.time.Instant;

/** One searchable value of a record, as it goes into the index table of its kind. */
public sealed interface IndexEntry {

    String param();

    /** A code in a system (token and uri parameters); {@code text} is the coding's display or concept text. */
    record Token(String param, String system, String code, String text) implements IndexEntry {}

    /** A string, lower-cased without accents for the default and :contains searches, and as written for :exact. */
    record Text(String param, String normalized, String exact) implements IndexEntry {}

    /** A time range [low, high): a date's precision or a period's bounds. */
    record DateRange(String param, Instant low, Instant high) implements IndexEntry {}

    /** A number, with its unit's system and code for quantities. */
    record Number(String param, BigDecimal value, String system, String code) implements IndexEntry {}

    /** A reference to another resource by type and id. */
    record Ref(String param, String targetType, String targetId) implements IndexEntry {}
}
