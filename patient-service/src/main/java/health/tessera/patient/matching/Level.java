package health.tessera.patient.matching;

/**
 * How well one field of two records agrees. Each field's comparator documents what each level means for it;
 * {@link #MISSING} (a value absent on either side) carries no evidence either way (weight 0).
 */
public enum Level {
    EXACT,
    STRONG,
    WEAK,
    DISAGREE,
    MISSING;

    /** Levels that carry evidence (all but {@link #MISSING}), in index order. */
    static final int EVIDENCE_LEVELS = 4;

    static final Level[] ALL = values();
}
