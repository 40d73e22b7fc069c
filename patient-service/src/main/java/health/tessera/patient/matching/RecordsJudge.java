package health.tessera.patient.matching;

import java.util.List;

/**
 * What {@link IdentityClusterer} asks about records numbered in a list: the model's verdict on a pair, and the
 * rules that look at groups of records (a twin pattern the groups explain, an undated namesake, a shared suffix).
 * The batch load and the one-at-a-time registration share it; only how a pair's comparison is obtained differs.
 */
final class RecordsJudge implements IdentityClusterer.Judge {

    /** The comparison of records a &lt; b. */
    @FunctionalInterface
    interface Comparisons {
        Comparison of(int a, int b);
    }

    private final List<Features> records;
    private final MatchModel model;
    private final Comparisons comparisons;

    RecordsJudge(List<Features> records, MatchModel model, Comparisons comparisons) {
        this.records = records;
        this.model = model;
        this.comparisons = comparisons;
    }

    @Override
    public IdentityClusterer.Verdict judge(int a, int b) {
        Comparison c = compare(a, b);
        return new IdentityClusterer.Verdict(
                model.probability(model.score(c)),
                model.hasStrictConflict(c),
                c.conflicts().contains(Conflict.POSSIBLE_TWIN));
    }

    /**
     * A family name, address or phone that x and y disagree on is no evidence against them when a record of y's group
     * agrees with x on it (or one of x's group with y): the groups show that one person has had both (a maiden and a
     * married name, an old and a new address). The other fields still count.
     */
    @Override
    public double probabilityWithin(int x, int y, List<Integer> xs, List<Integer> ys) {
        Comparison c = compare(x, y);
        java.util.EnumSet<Field> explained = java.util.EnumSet.noneOf(Field.class);
        for (Field f : EXPLAINABLE) {
            if (c.level(f) == Level.DISAGREE && (agreesWithSome(x, f, ys, y) || agreesWithSome(y, f, xs, x))) {
                explained.add(f);
            }
        }
        return model.probability(model.score(c.without(explained)));
    }

    /** Fields a person changes over a lifetime, so two values can both be theirs. */
    private static final List<Field> EXPLAINABLE = List.of(Field.FAMILY_NAME, Field.ADDRESS, Field.PHONE);

    private boolean agreesWithSome(int r, Field f, List<Integer> group, int except) {
        for (int z : group) {
            if (z != except && z != r) {
                Level level = compare(r, z).level(f);
                if (level == Level.EXACT || level == Level.STRONG) {
                    return true;
                }
            }
        }
        return false;
    }

    private Comparison compare(int a, int b) {
        return a < b ? comparisons.of(a, b) : comparisons.of(b, a);
    }

    @Override
    public boolean explained(int a, int b, List<Integer> members) {
        return RecordComparator.twinPatternExplained(records.get(a), records.get(b), features(members));
    }

    @Override
    public boolean keptApart(List<Integer> a, List<Integer> b) {
        return RecordComparator.undatedNamesake(features(a), features(b));
    }

    @Override
    public boolean sharesSuffix(int r, List<Integer> group) {
        return RecordComparator.sharesSuffix(records.get(r), features(group));
    }

    private List<Features> features(List<Integer> numbers) {
        return numbers.stream().map(records::get).toList();
    }
}
