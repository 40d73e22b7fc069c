package health.tessera.patient.matching;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Matching a whole data set at once (bulk loads, re-training, benchmarks): every candidate pair from blocking,
 * compared; a model trained on them; identities from the matches. The incremental path patient-service uses per
 * registration is {@link PatientMatcher}; both use the same keys, comparators and model.
 */
public final class BatchMatching {

    /** A candidate pair: internal numbers (left &lt; right in deduplication) and the comparison. */
    public record Pair(int left, int right, Comparison comparison) {}

    private BatchMatching() {}

    public static List<Features> features(List<PersonRecord> records) {
        return records.parallelStream().map(Features::of).toList();
    }

    /** Deduplication: every pair of records of one list that shares a blocking key, each pair once. */
    public static List<Pair> deduplicationPairs(List<Features> records, int maxBlockSize) {
        CandidateIndex index = new CandidateIndex(maxBlockSize);
        for (Features x : records) {
            index.add(x);
        }
        return IntStream.range(0, records.size())
                .parallel()
                .mapToObj(j -> {
                    int[] below = index.candidatesBelow(j, j);
                    List<Pair> out = new ArrayList<>(below.length);
                    for (int i : below) {
                        out.add(new Pair(i, j, RecordComparator.compare(records.get(i), records.get(j))));
                    }
                    return out;
                })
                .flatMap(List::stream)
                .toList();
    }

    /**
     * Linkage of two lists: pairs of one record of each that share a blocking key. Records of {@code right} are
     * numbered after those of {@code left} ({@code left.size() + j}).
     */
    public static List<Pair> linkagePairs(List<Features> left, List<Features> right, int maxBlockSize) {
        CandidateIndex index = new CandidateIndex(maxBlockSize);
        for (Features x : left) {
            index.add(x);
        }
        int offset = left.size();
        return IntStream.range(0, right.size())
                .parallel()
                .mapToObj(j -> {
                    int[] found = index.candidateNumbers(right.get(j));
                    List<Pair> out = new ArrayList<>(found.length);
                    for (int i : found) {
                        out.add(new Pair(i, offset + j, RecordComparator.compare(left.get(i), right.get(j))));
                    }
                    return out;
                })
                .flatMap(List::stream)
                .toList();
    }

    /** Trains a model without labels: see {@link ModelTrainer}. For deduplication pass {@code right = null}. */
    public static MatchModel train(List<Features> left, List<Features> right, MatchModel prior) {
        return ModelTrainer.train(left, right, prior);
    }

    /**
     * The identity of every record ({@code all} numbered as in the pairs) from the pairs the model puts in
     * {@link Band#MATCH}, with the guards of {@link IdentityClusterer}.
     */
    public static int[] identities(List<Features> all, List<Pair> pairs, MatchModel model) {
        List<IdentityClusterer.Link> links = new ArrayList<>();
        for (Pair p : pairs) {
            double s = model.score(p.comparison());
            if (model.band(s, model.hasStrictConflict(p.comparison())) == Band.MATCH) {
                links.add(new IdentityClusterer.Link(p.left(), p.right(), s));
            }
        }
        IdentityClusterer.Judge judge =
                new RecordsJudge(all, model, (a, b) -> RecordComparator.compare(all.get(a), all.get(b)));
        return IdentityClusterer.cluster(
                all.size(),
                links,
                judge,
                model.upperThreshold() - model.lowerThreshold(),
                model.probability(model.upperThreshold()));
    }
}
