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
        Comparison c = comparisons.of(a, b);
        return new IdentityClusterer.Verdict(
                model.probability(model.score(c)),
                model.hasStrictConflict(c),
                c.conflicts().contains(Conflict.POSSIBLE_TWIN));
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
