package health.tessera.bench;

import health.tessera.bench.matching.BaselineRun;
import health.tessera.bench.matching.DataSet;
import health.tessera.bench.matching.Diagnostics;
import health.tessera.bench.matching.EngineRun;
import health.tessera.bench.matching.FebrlData;
import health.tessera.bench.matching.HardSetGenerator;
import health.tessera.bench.matching.IncrementalRun;
import health.tessera.bench.matching.Metrics;
import health.tessera.patient.matching.Conflict;
import health.tessera.patient.matching.MatchModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy and speed of the patient-matching engine ({@code health.tessera.patient.matching}), in process (no
 * platform needed), against a plain Fellegi–Sunter baseline in the same run.
 *
 * <p>Data sets: FEBRL 1–3 (deduplication) and 4a x 4b (linkage) from {@code ../shared/data/febrl/} (or the
 * directory given), with true pairs as its README defines them; and a generated US population that is harder
 * (see {@link HardSetGenerator}: nicknames, married and hyphenated names, moves, typos, missing values, twins and
 * Jr/Sr at one address), fixed seed.
 *
 * <p>For each: pairs compared vs all pairs (reduction ratio), blocking recall (true pairs among them), precision /
 * recall / F1 of the pairwise {@code MATCH} decisions and of the identities after clustering, records/s, and for
 * the generated set the twin and Jr/Sr pairs of people merged into one identity. Thresholds are the model's fixed
 * posterior probabilities (match at 0.9, review from 0.1), never tuned on the labels; models are trained per data set
 * without labels. Then the incremental path patient-service uses: a fresh generated population registered one
 * record at a time, identities and per-registration latency.
 *
 * <p>With {@code --service=RECORDS} (the platform running), first the same engine inside patient-service: a fresh
 * generated population registered through its API, the identities it formed scored against the truth, and
 * {@code $match} latency at that size ({@link PatientServiceRun}); {@code --service-only} stops there.
 *
 * <p>Args: {@code [febrl dir] [people in the generated set, 10000] [seed, 20260601] [--incremental=RECORDS,
 * 100000; 0 skips] [--service=RECORDS] [--train-after=RECORDS] [--service-only] [--diagnose]}. Run: {@code ./mvnw -q -pl bench exec:java -Dbench=MatchingBench
 * -Dexec.args="../shared/data/febrl"}.
 */
public final class MatchingBench {

    private record Row(String name, Metrics ours, Metrics base, String target, boolean met) {}

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        boolean diagnose = false;
        int incremental = 100_000;
        int service = 0;
        int trainAfter = 0;
        boolean offline = true;
        for (String a : args) {
            if (a.equals("--diagnose")) {
                diagnose = true;
            } else if (a.startsWith("--service=")) {
                service = Integer.parseInt(a.substring("--service=".length()));
            } else if (a.startsWith("--train-after=")) {
                trainAfter = Integer.parseInt(a.substring("--train-after=".length()));
            } else if (a.equals("--service-only")) {
                offline = false;
            } else if (a.startsWith("--incremental=")) {
                incremental = Integer.parseInt(a.substring("--incremental=".length()));
            } else {
                positional.add(a);
            }
        }
        Path febrl = Path.of(positional.size() > 0 ? positional.get(0) : "../shared/data/febrl");
        if (!Files.isDirectory(febrl) && Files.isDirectory(Path.of("..").resolve(febrl))) {
            febrl = Path.of("..").resolve(febrl); // exec:java runs in bench/
        }
        int persons = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 10_000;
        long seed = positional.size() > 2 ? Long.parseLong(positional.get(2)) : 20_260_601L;
        System.out.printf(
                "MatchingBench: FEBRL from %s; generated US population of %d people, seed %d;"
                        + " thresholds: match at posterior >= %.2f, review from %.2f (fixed, not tuned on labels)%n",
                febrl.toAbsolutePath().normalize(),
                persons,
                seed,
                MatchModel.DEFAULT_UPPER_PROBABILITY,
                MatchModel.DEFAULT_LOWER_PROBABILITY);

        if (service > 0) {
            // the service's population: a fresh generated one (another seed), plus 2,000 records kept back as probes
            int probes = 2_000;
            DataSet population = HardSetGenerator.generate((int) ((service + probes) / 2.2) + 1, seed + 2);
            PatientServiceRun.run(population, service, probes, trainAfter);
            if (!offline) {
                return;
            }
        }
        List<DataSet> sets = new ArrayList<>();
        for (String f : new String[] {"dataset1.csv", "dataset2.csv", "dataset3.csv"}) {
            sets.add(FebrlData.deduplication(febrl, f));
        }
        sets.add(FebrlData.linkage(febrl, "dataset4a.csv", "dataset4b.csv"));
        DataSet hard = HardSetGenerator.generate(persons, seed);
        sets.add(hard);
        EngineRun.run(sets.get(2)); // warm-up (JIT), so that records/s of the first set is comparable

        List<Row> rows = new ArrayList<>();
        MatchModel hardModel = null;
        for (DataSet d : sets) {
            EngineRun.Output ours = EngineRun.run(d);
            Metrics base = BaselineRun.run(d, ours.pairs(), ours.blockingSeconds());
            print(d, ours, base);
            if (diagnose) {
                Diagnostics.print(d, ours, 15);
            }
            String name = d.name();
            if (name.startsWith("dataset4a")) {
                rows.add(new Row(
                        name,
                        ours.metrics(),
                        base,
                        "F1 >= 0.999",
                        ours.metrics().pairwise().f1() >= 0.999));
            } else if (name.equals("dataset3")) {
                rows.add(new Row(
                        name,
                        ours.metrics(),
                        base,
                        "clustered F1 >= 0.998",
                        ours.metrics().clustered().f1() >= 0.998));
            } else if (d == hard) {
                hardModel = ours.model();
                Metrics m = ours.metrics();
                rows.add(new Row(
                        "generated-us",
                        m,
                        base,
                        "clustered F1 >= 0.99, 0 twin/JrSr merges",
                        m.clustered().f1() >= 0.99 && m.twinMerges() == 0 && m.juniorSeniorMerges() == 0));
            } else {
                rows.add(new Row(name, ours.metrics(), base, "-", true));
            }
        }

        System.out.printf("%n== Summary (tessera vs baseline; RR = reduction ratio >= 0.999 targeted)%n");
        System.out.printf(
                "   %-22s %15s %15s %8s %8s %9s  %s%n",
                "data set", "pairwise F1", "clustered F1", "RR", "block R", "rec/s", "target");
        for (Row r : rows) {
            boolean rr = r.ours().reductionRatio() >= 0.999;
            System.out.printf(
                    "   %-22s %.4f/%.4f %.4f/%.4f %8.5f %8.4f %9.0f  %s%s%n",
                    r.name(),
                    r.ours().pairwise().f1(),
                    r.base().pairwise().f1(),
                    r.ours().clustered().f1(),
                    r.base().clustered().f1(),
                    r.ours().reductionRatio(),
                    r.ours().blockingRecall(),
                    r.ours().recordsPerSecond(),
                    r.target().equals("-") ? "" : r.target() + (r.met() ? ": met" : ": NOT met"),
                    rr ? "" : (r.target().equals("-") ? "" : "; ") + "RR below 0.999");
        }
        if (incremental > 0 && hardModel != null) {
            incremental(hardModel, incremental, seed + 1, diagnose);
        }
    }

    static void print(DataSet d, EngineRun.Output out, Metrics base) {
        Metrics ours = out.metrics();
        System.out.printf("%n== %s: %d records%n", d.name(), ours.records());
        System.out.printf(
                "   pairs compared %d of %d (reduction ratio %.5f); true pairs %d, of which blocking kept %d (blocking"
                        + " recall %.4f)%n",
                ours.candidatePairs(),
                ours.allPairs(),
                ours.reductionRatio(),
                ours.truePairs(),
                ours.trueCandidates(),
                ours.blockingRecall());
        System.out.printf(
                "   %-9s %-26s %-26s %10s %8s%n",
                "", "pairwise P / R / F1", "clustered P / R / F1", "records/s", "train s");
        for (Metrics m : List.of(ours, base)) {
            System.out.printf(
                    "   %-9s %.4f / %.4f / %.4f   %.4f / %.4f / %.4f   %10.0f %8.2f%n",
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
        for (Metrics m : List.of(ours, base)) {
            System.out.printf(
                    "   %-9s pairwise tp %d fp %d fn %d; clustered tp %d fp %d fn %d%s%n",
                    m.matcher(),
                    m.pairwise().tp(),
                    m.pairwise().fp(),
                    m.pairwise().fn(),
                    m.clustered().tp(),
                    m.clustered().fp(),
                    m.clustered().fn(),
                    m == ours
                            ? String.format("; review band %d pairs (%d of them true)", m.reviewPairs(), m.reviewTrue())
                            : "");
        }
        if (!d.twins().isEmpty() || !d.juniorSenior().isEmpty()) {
            System.out.printf(
                    "   hard negatives in the data: %d twin pairs, %d Jr/Sr pairs of people%n",
                    d.twins().size(), d.juniorSenior().size());
            for (Metrics m : List.of(ours, base)) {
                System.out.printf(
                        "   %-9s twins merged %d (pairwise links %d), Jr/Sr merged %d (pairwise links %d)%s%n",
                        m.matcher(),
                        m.twinMerges(),
                        m.twinLinks(),
                        m.juniorSeniorMerges(),
                        m.juniorSeniorLinks(),
                        m == ours ? "; record pairs of them in review: " + m.hardNegativesInReview() : "");
            }
        }
        MatchModel model = out.model();
        System.out.printf(
                "   model: priors per pair match %.3g, household %.3g; %s%n",
                model.lambda(), model.eta(), model.training());
        StringBuilder strict = new StringBuilder("   conflicts:");
        for (Conflict c : Conflict.values()) {
            strict.append(' ')
                    .append(c)
                    .append(" (")
                    .append(model.strictness().get(c))
                    .append(')');
        }
        System.out.println(strict);
    }

    static void incremental(MatchModel model, int records, long seed, boolean diagnose) {
        // about 2.2 records per person in the generator
        DataSet fresh = HardSetGenerator.generate(Math.max(1, (int) (records / 2.24)), seed);
        System.out.printf(
                "%n== Incremental (patient-service path): %d generated records (seed %d) registered one at a time"
                        + " with the model trained on the generated set above%n",
                fresh.left().size(), seed);
        IncrementalRun.Result r = IncrementalRun.run(fresh, model, diagnose);
        System.out.printf(
                "   identities P / R / F1 %.4f / %.4f / %.4f (tp %d fp %d fn %d); registrations with review tasks %d;"
                        + " twins merged %d, Jr/Sr merged %d%n",
                r.clustered().precision(),
                r.clustered().recall(),
                r.clustered().f1(),
                r.clustered().tp(),
                r.clustered().fp(),
                r.clustered().fn(),
                r.reviews(),
                r.twinMerges(),
                r.juniorSeniorMerges());
        System.out.printf(
                "   %.0f registrations/s (one thread); latency of one registration (match + decide + index) p50 %.3f"
                        + " ms, p95 %.3f ms, p99 %.3f ms, max %.1f ms, at up to %d indexed records%n",
                r.records() / r.seconds(), r.p50(), r.p95(), r.p99(), r.max(), r.records());
    }
}
