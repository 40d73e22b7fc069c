package health.tessera.patient.matching;

/** The decision for a pair: link automatically, ask a person, or treat as different people. */
public enum Band {
    /** Posterior match probability at or above the upper threshold and no strict conflict: link automatically. */
    MATCH,
    /** Between the thresholds, or above the upper one with a strict conflict: a review task. */
    REVIEW,
    /** Below the lower threshold: a new identity. */
    NON_MATCH
}
