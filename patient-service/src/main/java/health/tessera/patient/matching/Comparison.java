package health.tessera.patient.matching;

import java.util.EnumSet;
import java.util.Set;

/** The outcome of comparing two records field by field: one {@link Agreement} per {@link Field}, and conflicts. */
public final class Comparison {

    private final Features left;
    private final Features right;
    private final Agreement[] agreements;
    private final Set<Conflict> conflicts;

    Comparison(Features left, Features right, Agreement[] agreements, EnumSet<Conflict> conflicts) {
        this.left = left;
        this.right = right;
        this.agreements = agreements;
        this.conflicts = conflicts;
    }

    public PersonRecord left() {
        return left.record;
    }

    public PersonRecord right() {
        return right.record;
    }

    Features leftFeatures() {
        return left;
    }

    Features rightFeatures() {
        return right;
    }

    public Agreement agreement(Field f) {
        return agreements[f.ordinal()];
    }

    public Level level(Field f) {
        return agreements[f.ordinal()].level();
    }

    /** The conflicts found (whether the model treats them as strict is the model's business). */
    public Set<Conflict> conflicts() {
        return conflicts;
    }

    /**
     * This comparison with {@code fields} taken as missing (no evidence either way), conflicts unchanged: for a field
     * whose disagreement other records of the same person explain (a maiden name, an old address).
     */
    Comparison without(Set<Field> fields) {
        if (fields.isEmpty()) {
            return this;
        }
        Agreement[] a = agreements.clone();
        for (Field f : fields) {
            a[f.ordinal()] = Agreement.MISSING;
        }
        return new Comparison(
                left, right, a, conflicts.isEmpty() ? EnumSet.noneOf(Conflict.class) : EnumSet.copyOf(conflicts));
    }

    /** The levels as one number in base 5 (field 0 lowest): the pattern EM counts. */
    long pattern() {
        long p = 0;
        for (int f = agreements.length - 1; f >= 0; f--) {
            p = p * 5 + agreements[f].level().ordinal();
        }
        return p;
    }
}
