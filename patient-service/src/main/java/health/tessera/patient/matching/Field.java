package health.tessera.patient.matching;

/** The fields compared for every candidate pair, each with its own comparator and its own m/u per level. */
public enum Field {
    /** First and middle names: exact, nickname, typo (Jaro–Winkler), sound (Double Metaphone), initial. */
    GIVEN_NAME,
    /** Family name, its hyphenated parts and previous (maiden) names. */
    FAMILY_NAME,
    /** Birth date: exact, day/month transposed, one-digit typo, year off by one, same year and month. */
    BIRTH_DATE,
    SEX,
    /**
     * Street (house number and street name, all lines tried) and locality (postcode, city) as one field: they
     * change together when a person moves, so counting them as independent would count a move twice.
     */
    ADDRESS,
    PHONE,
    EMAIL,
    /** Person identifiers (SSN...): agreement and disagreement are strong evidence; record ids (MRN) agree only. */
    IDENTIFIER,
    /** Generational suffix (Jr, Sr, II, III). */
    SUFFIX;

    static final Field[] ALL = values();
}
