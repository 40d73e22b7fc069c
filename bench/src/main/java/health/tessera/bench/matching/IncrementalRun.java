package health.tessera.bench.matching;

import health.tessera.patient.matching.MatchModel;
import health.tessera.patient.matching.PatientMatcher;
import health.tessera.patient.matching.PersonRecord;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The path patient-service takes: records registered one at a time into a {@link PatientMatcher} (index, match,
 * resolve: link, new identity, or new identity and review), with a model trained beforehand on another sample. Reports
 * the identities' accuracy and the latency of one registration (candidates, comparisons, decision, indexing).
 */
public final class IncrementalRun {

    /** Accuracy of the incremental identities and latency percentiles in milliseconds. */
    public record Result(
            int records,
            Metrics.Counts clustered,
            long reviews,
            long twinMerges,
            long juniorSeniorMerges,
            double seconds,
            double p50,
            double p95,
            double p99,
            double max) {}

    private IncrementalRun() {}

    /** With {@code diagnose}, prints the records (in registration order) of every identity that merged two people. */
    public static Result run(DataSet data, MatchModel model, boolean diagnose) {
        List<LabeledRecord> records = data.left();
        PatientMatcher matcher = new PatientMatcher(model);
        long[] nanos = new long[records.size()];
        long reviews = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < records.size(); i++) {
            PersonRecord r = records.get(i).record();
            long s = System.nanoTime();
            PatientMatcher.Resolution res = matcher.register(r);
            nanos[i] = System.nanoTime() - s;
            if (!res.reviews().isEmpty()) {
                reviews++;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Truth truth = new Truth(data);
        Map<String, Integer> ids = new HashMap<>();
        int[] label = new int[records.size()];
        for (int i = 0; i < records.size(); i++) {
            String identity = matcher.identityOf(records.get(i).record().id());
            label[i] = ids.computeIfAbsent(identity, k -> ids.size());
        }
        Metrics.Counts clustered = truth.clusters(label, truth.truePairs());
        long[] hard = truth.hardNegativeMerges(label);
        if (diagnose) {
            for (List<Integer> members : truth.hardNegativeClusters(label)) {
                System.out.println("   merged twins or father and son:");
                for (int m : members) {
                    PersonRecord r = records.get(m).record();
                    System.out.printf(
                            "      #%d %s: %s %s %s %s | %s | %s%n",
                            m,
                            records.get(m).entity(),
                            r.given(),
                            r.familyName(),
                            r.suffix() == null ? "" : r.suffix(),
                            r.birthDate(),
                            r.address(),
                            r.identifiers());
                }
            }
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Result(
                records.size(),
                clustered,
                reviews,
                hard[0],
                hard[1],
                seconds,
                percentile(sorted, 50),
                percentile(sorted, 95),
                percentile(sorted, 99),
                sorted[sorted.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
