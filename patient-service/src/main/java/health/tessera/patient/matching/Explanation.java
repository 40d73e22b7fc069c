package health.tessera.patient.matching;

import java.util.List;

/**
 * Why two records were (or were not) linked: every field compared with the two values, the level found, why, and
 * the weight it contributed; the conflicts; the total score, the match probability and the band, with the
 * thresholds in force. Plain records of strings, numbers and enums: serialise it as JSON with the link and return it
 * from {@code GET} on the link.
 *
 * @param leftId the first record's id
 * @param rightId the second record's id
 * @param score the posterior log-odds of a match, in bits: {@code 2^-score = 2^-evidenceVsUnrelated +
 *     2^-evidenceVsHousehold}
 * @param probability the posterior match probability, {@code 1 / (1 + 2^-score)}
 * @param band the decision
 * @param evidenceVsUnrelated log prior odds of match vs unrelated plus the fields' {@code weight}s (log2 m/u)
 * @param evidenceVsHousehold log prior odds of match vs household plus the fields' {@code householdWeight}s (log2
 *     m/h); null when the model has no household class
 * @param upperThreshold the score at and above which a pair is a {@link Band#MATCH} (without strict conflicts)
 * @param lowerThreshold the score below which a pair is a {@link Band#NON_MATCH}
 * @param fields one entry per compared field, in {@link Field} order
 * @param conflicts the conflicts found; a strict one keeps the pair out of {@link Band#MATCH}
 */
public record Explanation(
        String leftId,
        String rightId,
        double score,
        double probability,
        Band band,
        double evidenceVsUnrelated,
        Double evidenceVsHousehold,
        double upperThreshold,
        double lowerThreshold,
        List<FieldExplanation> fields,
        List<ConflictExplanation> conflicts) {

    public Explanation {
        fields = List.copyOf(fields);
        conflicts = List.copyOf(conflicts);
    }

    /**
     * One field of the comparison: the two values compared, the level and why, the weight against unrelated pairs
     * (log2 m/u) and against household pairs (log2 m/h); {@code m}, {@code u}, {@code h} are null for a missing
     * value (weights 0).
     */
    public record FieldExplanation(
            Field field,
            String left,
            String right,
            Level level,
            String detail,
            double weight,
            double householdWeight,
            Double m,
            Double u,
            Double h) {}

    /** A conflict found, and whether the model treats it as strict. */
    public record ConflictExplanation(Conflict conflict, boolean strict, String description) {}

    /** The entry for a field. */
    public FieldExplanation field(Field f) {
        for (FieldExplanation e : fields) {
            if (e.field() == f) {
                return e;
            }
        }
        throw new IllegalArgumentException(f.name());
    }

    public boolean hasStrictConflict() {
        return conflicts.stream().anyMatch(ConflictExplanation::strict);
    }

    /** A few lines for people: the band, then each field with its weight. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                "%s vs %s: %s, score %.1f bits, probability %.4f (match >= %.1f, review >= %.1f);"
                        + " evidence vs unrelated %.1f, vs household %s%n",
                leftId,
                rightId,
                band,
                score,
                probability,
                upperThreshold,
                lowerThreshold,
                evidenceVsUnrelated,
                evidenceVsHousehold == null ? "-" : String.format("%.1f", evidenceVsHousehold)));
        for (FieldExplanation f : fields) {
            b.append(String.format(
                    "  %-12s %-8s %+6.1f %+6.1f  %s | %s  (%s)%n",
                    f.field(), f.level(), f.weight(), f.householdWeight(), f.left(), f.right(), f.detail()));
        }
        for (ConflictExplanation c : conflicts) {
            b.append(String.format(
                    "  conflict %s%s: %s%n", c.conflict(), c.strict() ? " (strict)" : "", c.description()));
        }
        return b.toString();
    }
}
