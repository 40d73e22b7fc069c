package health.tessera.bench;

import health.tessera.bench.matching.BaselineRun;
import health.tessera.bench.matching.DataSet;
import health.tessera.bench.matching.EngineRun;
import health.tessera.bench.matching.FebrlData;
import health.tessera.bench.matching.HardSetGenerator;
import health.tessera.bench.matching.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Patient matching accuracy and speed; see the class comment at the end of the work. */
public final class MatchingBench {

    public static void main(String[] args) throws Exception {
        Path febrl = Path.of(args.length > 0 ? args[0] : "../shared/data/febrl");
        if (!Files.isDirectory(febrl)) {
            febrl = Path.of("..").resolve(febrl);
        }
        boolean diagnose = List.of(args).contains("--diagnose");
        int persons = args.length > 1 && !args[1].startsWith("--") ? Integer.parseInt(args[1]) : 10_000;
        long seed = args.length > 2 && !args[2].startsWith("--") ? Long.parseLong(args[2]) : 20_260_601L;
        List<DataSet> sets = new ArrayList<>();
        for (String f : new String[] {"dataset1.csv", "dataset2.csv", "dataset3.csv"}) {
            sets.add(FebrlData.deduplication(febrl, f));
        }
        sets.add(FebrlData.linkage(febrl, "dataset4a.csv", "dataset4b.csv"));
        sets.add(HardSetGenerator.generate(persons, seed));
        EngineRun.run(sets.get(2)); // warm-up (JIT) so records/s of the first set is comparable
        for (DataSet d : sets) {
            EngineRun.Output ours = EngineRun.run(d);
            Metrics base = BaselineRun.run(d, ours.pairs());
            print(d, ours.metrics(), base);
            if (diagnose) {
                health.tessera.bench.matching.Diagnostics.print(d, ours, 15);
            }
        }
    }

    static void print(DataSet d, Metrics ours, Metrics base) {
        System.out.printf("%n== %s: %d records%n", d.name(), ours.records());
        System.out.printf(
                "   candidate pairs %d of %d (reduction ratio %.5f), true pairs %d, blocking recall %.4f%n",
                ours.candidatePairs(), ours.allPairs(), ours.reductionRatio(), ours.truePairs(), ours.blockingRecall());
        System.out.printf(
                "   %-9s %-24s %-24s %10s %10s%n", "", "pairwise P / R / F1", "clustered P / R / F1", "records/s", "EM s");
        for (Metrics m : List.of(ours, base)) {
            System.out.printf(
                    "   %-9s %.4f %.4f %.4f    %.4f %.4f %.4f    %10.0f %10.2f%n",
                    m.matcher(),
                    m.pairwise().precision(),
                    m.pairwise().recall(),
                    m.pairwise().f1(),
                    m.clustered().precision(),
                    m.clustered().recall(),
                    m.clustered().f1(),
                    m.recordsPerSecond(),
                    m.trainSeconds());
        }
        System.out.printf(
                "   tessera: pairwise tp %d fp %d fn %d; clustered tp %d fp %d fn %d; review %d (%d true)%n",
                ours.pairwise().tp(),
                ours.pairwise().fp(),
                ours.pairwise().fn(),
                ours.clustered().tp(),
                ours.clustered().fp(),
                ours.clustered().fn(),
                ours.reviewPairs(),
                ours.reviewTrue());
        if (!d.twins().isEmpty() || !d.juniorSenior().isEmpty()) {
            System.out.printf(
                    "   hard negatives: %d twin pairs, %d Jr/Sr pairs of people in the data%n",
                    d.twins().size(), d.juniorSenior().size());
            for (Metrics m : List.of(ours, base)) {
                System.out.printf(
                        "   %-9s twins merged %d (record links %d), Jr/Sr merged %d (record links %d)%s%n",
                        m.matcher(),
                        m.twinMerges(),
                        m.twinLinks(),
                        m.juniorSeniorMerges(),
                        m.juniorSeniorLinks(),
                        m == ours ? ", hard-negative pairs sent to review " + m.hardNegativesInReview() : "");
            }
        }
        System.out.printf(
                "   baseline: pairwise tp %d fp %d fn %d; clustered tp %d fp %d fn %d%n",
                base.pairwise().tp(),
                base.pairwise().fp(),
                base.pairwise().fn(),
                base.clustered().tp(),
                base.clustered().fp(),
                base.clustered().fn());
    }
}
