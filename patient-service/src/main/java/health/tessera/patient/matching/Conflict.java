package health.tessera.patient.matching;

/**
 * Patterns that say "two different people" even when most fields agree: the hard negatives of patient matching.
 * Each is reported in every {@link Explanation} where it occurs. Whether a conflict is <em>strict</em> (vetoes an
 * automatic link and forbids the two records in one identity) is a property of the {@link MatchModel}: trained
 * models decide it from the data (see {@link MatchModel} and {@link ModelTrainer}).
 */
public enum Conflict {
    /** Both records carry a generational suffix and they differ (Jr / Sr, II / III). */
    SUFFIX_MISMATCH("generational suffixes differ"),
    /**
     * Birth years at least {@value BirthDateComparator#GENERATION_GAP_YEARS} apart, not explained by typos (at most
     * two of the eight digits differ) nor impossible (in the future), and no person identifier in common: a parent
     * and a child with the same name at the same address (Sr / Jr).
     */
    GENERATION_GAP("birth years a generation apart"),
    /** A person identifier of the same system (SSN) differs by more than two edits. */
    IDENTIFIER_MISMATCH("person identifiers differ"),
    /**
     * Same family name and exact birth date, but first given names that are not the same name in any form
     * (spelling, nickname, initial, sound), or only weakly similar while the sexes differ, and no person identifier
     * agrees: twins.
     */
    POSSIBLE_TWIN("same family name and birth date, different first names: possible twins");

    private final String description;

    Conflict(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
