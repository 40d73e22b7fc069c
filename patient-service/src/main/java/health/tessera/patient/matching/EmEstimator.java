package health.tessera.patient.matching;

import java.util.HashMap;
import java.util.Map;

/**
 * Expectation–maximisation for a latent-class model of comparison patterns, unsupervised: the Fellegi–Sunter
 * mixture with two classes (match, non-match) or more (Winkler's three classes: match, same household,
 * unrelated). Each pair is a pattern of levels, one per field ({@code levels} evidence levels plus "missing", which
 * is ignored: it multiplies every class by 1). Given the class, fields are independent with per-level
 * probabilities {@code theta[class][field][level]}.
 *
 * <p>Identical patterns are counted once, so an iteration costs the number of distinct patterns, not of pairs.
 * Priors are Dirichlet pseudo-counts ({@code priorWeight} pairs' worth per class and field, spread over the levels
 * in proportion to the starting values) so that levels seen rarely or never keep sensible, non-zero
 * probabilities, and each class keeps the meaning its starting values give it.
 */
public final class EmEstimator {

    /** The fitted class proportions and level probabilities, the iterations used and the log-likelihood. */
    public record Result(double[] classWeights, double[][][] theta, int iterations, double logLikelihood) {}

    private final int fields;
    private final int levels;
    private final Map<Long, long[]> counts = new HashMap<>();

    /** For {@code fields} fields with {@code levels} evidence levels each; level {@code levels} means missing. */
    public EmEstimator(int fields, int levels) {
        this.fields = fields;
        this.levels = levels;
    }

    /** Counts one pair with the given levels (each 0..levels, levels = missing). */
    public void add(int[] pattern) {
        long key = 0;
        for (int f = fields - 1; f >= 0; f--) {
            key = key * (levels + 1) + pattern[f];
        }
        counts.computeIfAbsent(key, k -> new long[1])[0]++;
    }

    /** The number of pairs counted. */
    public long pairs() {
        long n = 0;
        for (long[] c : counts.values()) {
            n += c[0];
        }
        return n;
    }

    public int distinctPatterns() {
        return counts.size();
    }

    /**
     * Runs EM from the starting values (which are also the priors' shape).
     *
     * @param weights0 starting class proportions (summing to 1)
     * @param theta0 starting level probabilities, {@code [class][field][level]}
     * @param priorWeight pseudo-count of pairs per class and field
     */
    public Result estimate(
            double[] weights0, double[][][] theta0, double priorWeight, int maxIterations, double tolerance) {
        return estimate(weights0, theta0, new boolean[weights0.length], priorWeight, maxIterations, tolerance);
    }

    /**
     * As {@link #estimate(double[], double[][][], double, int, double)}, with the level probabilities of the classes
     * marked in {@code fixed} held at their starting values (e.g. u-probabilities measured on random pairs).
     */
    public Result estimate(
            double[] weights0,
            double[][][] theta0,
            boolean[] fixed,
            double priorWeight,
            int maxIterations,
            double tolerance) {
        int classes = weights0.length;
        int n = counts.size();
        int[][] pat = new int[n][fields];
        double[] cnt = new double[n];
        int k = 0;
        for (Map.Entry<Long, long[]> e : counts.entrySet()) {
            long key = e.getKey();
            for (int f = 0; f < fields; f++) {
                pat[k][f] = (int) (key % (levels + 1));
                key /= levels + 1;
            }
            cnt[k] = e.getValue()[0];
            k++;
        }
        double[] w = weights0.clone();
        double[][][] theta = new double[classes][][];
        double[][][] alpha = new double[classes][][];
        for (int c = 0; c < classes; c++) {
            theta[c] = copy(theta0[c]);
            alpha[c] = scaled(theta0[c], priorWeight);
        }
        double[][][] sums = new double[classes][fields][levels];
        double[] post = new double[classes];
        double ll = Double.NEGATIVE_INFINITY;
        int it = 0;
        while (it < maxIterations) {
            it++;
            for (int c = 0; c < classes; c++) {
                for (int f = 0; f < fields; f++) {
                    System.arraycopy(alpha[c][f], 0, sums[c][f], 0, levels);
                }
            }
            double[] classTotals = new double[classes];
            double total = 0;
            double newLl = 0;
            for (int p = 0; p < n; p++) {
                int[] g = pat[p];
                double z = 0;
                for (int c = 0; c < classes; c++) {
                    double v = w[c];
                    double[][] t = theta[c];
                    for (int f = 0; f < fields; f++) {
                        int l = g[f];
                        if (l < levels) {
                            v *= t[f][l];
                        }
                    }
                    post[c] = v;
                    z += v;
                }
                newLl += cnt[p] * Math.log(Math.max(z, Double.MIN_NORMAL));
                total += cnt[p];
                for (int c = 0; c < classes; c++) {
                    double wc = z > 0 ? cnt[p] * post[c] / z : 0;
                    classTotals[c] += wc;
                    double[][] s = sums[c];
                    for (int f = 0; f < fields; f++) {
                        int l = g[f];
                        if (l < levels) {
                            s[f][l] += wc;
                        }
                    }
                }
            }
            double change = 0;
            for (int c = 0; c < classes; c++) {
                double nw = (classTotals[c] + 1) / (total + classes);
                change = Math.max(change, Math.abs(nw - w[c]));
                w[c] = nw;
                if (fixed[c]) {
                    continue;
                }
                for (int f = 0; f < fields; f++) {
                    change = Math.max(change, normaliseInto(sums[c][f], theta[c][f]));
                }
            }
            ll = newLl;
            if (change < tolerance) {
                break;
            }
        }
        return new Result(w, theta, it, ll);
    }

    private static double normaliseInto(double[] sums, double[] target) {
        double s = 0;
        for (double v : sums) {
            s += v;
        }
        double change = 0;
        for (int l = 0; l < sums.length; l++) {
            double v = s > 0 ? sums[l] / s : target[l];
            change = Math.max(change, Math.abs(v - target[l]));
            target[l] = v;
        }
        return change;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static double[][] scaled(double[][] a, double w) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (double v : a[i]) {
                s += v;
            }
            c[i] = new double[a[i].length];
            for (int l = 0; l < a[i].length; l++) {
                c[i][l] = s > 0 ? w * a[i][l] / s : 0;
            }
        }
        return c;
    }
}
