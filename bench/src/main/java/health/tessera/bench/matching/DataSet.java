package health.tessera.bench.matching;

import java.util.List;
import java.util.Set;

/**
 * A labelled data set: deduplication ({@code right} null: pairs within {@code left}) or linkage (pairs across
 * {@code left} and {@code right}). {@code twins} and {@code juniorSenior} hold hard-negative entity pairs
 * ("a|b", a &lt; b) whose merging the benchmark counts.
 */
public record DataSet(
        String name, List<LabeledRecord> left, List<LabeledRecord> right, Set<String> twins, Set<String> juniorSenior) {

    public boolean linkage() {
        return right != null;
    }

    public int size() {
        return left.size() + (right == null ? 0 : right.size());
    }

    public static String entityPair(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }
}
