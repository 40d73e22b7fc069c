package health.tessera.bench.matching;

import health.tessera.patient.matching.BatchMatching;
import health.tessera.patient.matching.EmEstimator;
import health.tessera.patient.matching.Identifier;
import health.tessera.patient.matching.PersonRecord;
import health.tessera.patient.matching.Sex;
import java.util.Arrays;
import java.util.List;

/**
 * The baseline: a plain Fellegi–Sunter matcher with EM, as textbooks and most open-source MPIs start. The same
 * normalised records and the same candidate pairs (blocking) as the engine, but each field compared exactly
 * (agree / disagree / missing): first given name, family name, birth date, sex, first address line, city,
 * postcode, state, any phone, any e-mail, any person identifier. EM from m = 0.9 / u = 0.1 for agreement, the same
 * posterior threshold (0.9), and identities as the plain transitive closure of the matches (connected components).
 */
public final class BaselineRun {

    static final int FIELDS = 11;

    private BaselineRun() {}

    /**
     * @param candidatePairs the engine's candidate pairs (same blocking)
     * @param blockingSeconds the time the engine's blocking took, counted in the baseline's records/s too
     */
    public static Metrics run(DataSet data, List<BatchMatching.Pair> candidatePairs, double blockingSeconds) {
        Truth truth = new Truth(data);
        long t0 = System.nanoTime();
        List<PersonRecord> all = new java.util.ArrayList<>(EngineRun.records(data.left()));
        if (data.linkage()) {
            all.addAll(EngineRun.records(data.right()));
        }
        String[][] values = all.stream().map(BaselineRun::values).toArray(String[][]::new);
        int n = candidatePairs.size();
        int[][] patterns = new int[n][];
        EmEstimator em = new EmEstimator(FIELDS, 2);
        for (int k = 0; k < n; k++) {
            BatchMatching.Pair p = candidatePairs.get(k);
            patterns[k] = pattern(values[p.left()], values[p.right()], all.get(p.left()), all.get(p.right()));
            em.add(patterns[k]);
        }
        long t1 = System.nanoTime();
        double[][] m0 = new double[FIELDS][];
        double[][] u0 = new double[FIELDS][];
        for (int f = 0; f < FIELDS; f++) {
            m0[f] = new double[] {0.9, 0.1};
            u0[f] = new double[] {0.1, 0.9};
        }
        EmEstimator.Result r = em.estimate(new double[] {0.1, 0.9}, new double[][][] {m0, u0}, 10, 1000, 1e-7);
        double lambda = r.classWeights()[0];
        double[][] m = r.theta()[0];
        double[][] u = r.theta()[1];
        long t2 = System.nanoTime();
        double[][] w = new double[FIELDS][2];
        for (int f = 0; f < FIELDS; f++) {
            for (int l = 0; l < 2; l++) {
                w[f][l] = Math.log(Math.max(m[f][l], 1e-6) / Math.max(u[f][l], 1e-6)) / Math.log(2);
            }
        }
        double threshold = Math.log(0.9 / 0.1 * (1 - lambda) / lambda) / Math.log(2);
        int[] parent = new int[all.size()];
        Arrays.setAll(parent, i -> i);
        long tp = 0;
        long fp = 0;
        long trueCandidates = 0;
        long twinLinks = 0;
        long jsLinks = 0;
        for (int k = 0; k < n; k++) {
            BatchMatching.Pair p = candidatePairs.get(k);
            double s = 0;
            for (int f = 0; f < FIELDS; f++) {
                if (patterns[k][f] < 2) {
                    s += w[f][patterns[k][f]];
                }
            }
            boolean same = truth.same(p.left(), p.right());
            if (same) {
                trueCandidates++;
            }
            if (s >= threshold) {
                if (same) {
                    tp++;
                } else {
                    fp++;
                }
                int hard = truth.hardNegativeKind(p.left(), p.right());
                if (hard == 1) {
                    twinLinks++;
                } else if (hard == 2) {
                    jsLinks++;
                }
                int a = find(parent, p.left());
                int b = find(parent, p.right());
                if (a != b) {
                    parent[Math.max(a, b)] = Math.min(a, b);
                }
            }
        }
        int[] label = new int[all.size()];
        for (int i = 0; i < label.length; i++) {
            label[i] = find(parent, i);
        }
        long t3 = System.nanoTime();
        long truePairs = truth.truePairs();
        long[] hard = truth.hardNegativeMerges(label);
        return new Metrics(
                "baseline",
                all.size(),
                truth.allPairs(),
                n,
                truePairs,
                trueCandidates,
                new Metrics.Counts(tp, fp, truePairs - tp),
                truth.clusters(label, truePairs),
                0,
                0,
                twinLinks,
                hard[0],
                jsLinks,
                hard[1],
                0,
                blockingSeconds + ((t1 - t0) + (t3 - t2)) / 1e9,
                (t2 - t1) / 1e9);
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private static String[] values(PersonRecord r) {
        String person = r.identifiers().stream()
                .filter(i -> i.kind() == Identifier.Kind.PERSON)
                .map(i -> i.system() + ":" + i.value())
                .findFirst()
                .orElse("");
        return new String[] {
            r.givenNames().isEmpty() ? "" : r.givenNames().get(0),
            r.familyName(),
            r.birthDate().toString(),
            r.sex() == Sex.UNKNOWN ? "" : r.sex().name(),
            r.address().lines().isEmpty() ? "" : r.address().lines().get(0),
            r.address().city(),
            r.address().postcode(),
            r.address().state(),
            "", // phones: any-of, below
            "", // e-mails: any-of, below
            person
        };
    }

    private static int[] pattern(String[] a, String[] b, PersonRecord ra, PersonRecord rb) {
        int[] p = new int[FIELDS];
        for (int f = 0; f < FIELDS; f++) {
            if (f == 8) {
                p[f] = anyOf(ra.phones(), rb.phones());
            } else if (f == 9) {
                p[f] = anyOf(ra.emails(), rb.emails());
            } else if (a[f].isEmpty() || b[f].isEmpty()) {
                p[f] = 2;
            } else {
                p[f] = a[f].equals(b[f]) ? 0 : 1;
            }
        }
        return p;
    }

    private static int anyOf(List<String> a, List<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 2;
        }
        for (String x : a) {
            if (b.contains(x)) {
                return 0;
            }
        }
        return 1;
    }
}
