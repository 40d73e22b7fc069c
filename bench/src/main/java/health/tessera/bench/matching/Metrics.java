package health.tessera.bench.matching;

/** What one matcher achieved on one data set. */
public record Metrics(
        String matcher,
        int records,
        long allPairs,
        long candidatePairs,
        long truePairs,
        long trueCandidates,
        Counts pairwise,
        Counts clustered,
        long reviewPairs,
        long reviewTrue,
        long twinLinks,
        long twinMerges,
        long juniorSeniorLinks,
        long juniorSeniorMerges,
        long hardNegativesInReview,
        double seconds,
        double trainSeconds) {

    /** True positives, false positives, false negatives. */
    public record Counts(long tp, long fp, long fn) {
        public double precision() {
            return tp + fp == 0 ? 1 : (double) tp / (tp + fp);
        }

        public double recall() {
            return tp + fn == 0 ? 1 : (double) tp / (tp + fn);
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    public double reductionRatio() {
        return 1 - (double) candidatePairs / allPairs;
    }

    public double blockingRecall() {
        return truePairs == 0 ? 1 : (double) trueCandidates / truePairs;
    }

    public double recordsPerSecond() {
        return records / seconds;
    }
}
