package health.tessera.bench.matching;

import health.tessera.patient.matching.Band;
import health.tessera.patient.matching.BatchMatching;
import health.tessera.patient.matching.CandidateIndex;
import health.tessera.patient.matching.Features;
import health.tessera.patient.matching.MatchModel;
import health.tessera.patient.matching.PersonRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the Tessera engine on a data set the way a bulk load would: blocking and comparing, training without labels
 * ({@code ModelTrainer}: u on random pairs, EM sessions), bands from the posterior thresholds, identities with the
 * clustering guards. Only the scoring at the end looks at the labels. Its time (records/s) covers features,
 * blocking, comparisons, scoring and clustering; training is timed separately.
 */
public final class EngineRun {

    /** What the run produced, for the baseline to reuse (same candidate pairs) and for diagnostics. */
    public record Output(
            Metrics metrics,
            List<Features> features,
            List<BatchMatching.Pair> pairs,
            MatchModel model,
            int[] identities,
            double blockingSeconds) {}

    private EngineRun() {}

    public static Output run(DataSet data) {
        Truth truth = new Truth(data);
        long t0 = System.nanoTime();
        List<Features> left = BatchMatching.features(records(data.left()));
        List<Features> all = new ArrayList<>(left);
        List<BatchMatching.Pair> pairs;
        List<Features> right = null;
        if (data.linkage()) {
            right = BatchMatching.features(records(data.right()));
            all.addAll(right);
            pairs = BatchMatching.linkagePairs(left, right, CandidateIndex.DEFAULT_MAX_BLOCK_SIZE);
        } else {
            pairs = BatchMatching.deduplicationPairs(left, CandidateIndex.DEFAULT_MAX_BLOCK_SIZE);
        }
        long t1 = System.nanoTime();
        MatchModel model = BatchMatching.train(left, right, MatchModel.defaults());
        long t2 = System.nanoTime();
        int[] identities = BatchMatching.identities(all, pairs, model);
        long t3 = System.nanoTime();

        long trueCandidates = 0;
        long tp = 0;
        long fp = 0;
        long review = 0;
        long reviewTrue = 0;
        long twinLinks = 0;
        long jsLinks = 0;
        long hardInReview = 0;
        for (BatchMatching.Pair p : pairs) {
            boolean same = truth.same(p.left(), p.right());
            if (same) {
                trueCandidates++;
            }
            Band band = model.band(p.comparison());
            int hard = truth.hardNegativeKind(p.left(), p.right());
            if (band == Band.MATCH) {
                if (same) {
                    tp++;
                } else {
                    fp++;
                }
                if (hard == 1) {
                    twinLinks++;
                } else if (hard == 2) {
                    jsLinks++;
                }
            } else if (band == Band.REVIEW) {
                review++;
                if (same) {
                    reviewTrue++;
                }
                if (hard > 0) {
                    hardInReview++;
                }
            }
        }
        long truePairs = truth.truePairs();
        Metrics.Counts pairwise = new Metrics.Counts(tp, fp, truePairs - tp);
        Metrics.Counts clustered = truth.clusters(identities, truePairs);
        long[] hardMerges = truth.hardNegativeMerges(identities);
        Metrics m = new Metrics(
                "tessera",
                data.size(),
                truth.allPairs(),
                pairs.size(),
                truePairs,
                trueCandidates,
                pairwise,
                clustered,
                review,
                reviewTrue,
                twinLinks,
                hardMerges[0],
                jsLinks,
                hardMerges[1],
                hardInReview,
                ((t1 - t0) + (t3 - t2)) / 1e9,
                (t2 - t1) / 1e9);
        return new Output(m, all, pairs, model, identities, (t1 - t0) / 1e9);
    }

    static List<PersonRecord> records(List<LabeledRecord> l) {
        return l.stream().map(LabeledRecord::record).toList();
    }
}
