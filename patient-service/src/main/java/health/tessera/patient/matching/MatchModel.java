package health.tessera.patient.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A Fellegi–Sunter model with a household class (Winkler's three-class extension). Pairs of records are of three
 * kinds: records of the same person (match, prior probability per pair {@code lambda}), records of <em>different
 * people of one household</em> (same family name, address and home phone: spouses, siblings, twins, father and son;
 * prior {@code eta}), and unrelated records (the rest). Per field and level the model holds {@code m}, {@code h} and
 * {@code u}: the probability of that level among matches, household pairs and unrelated pairs. Immutable.
 *
 * <h2>Why a household class</h2>
 *
 * With two classes, the fields a household shares (family name, street, locality, phone) agree together far more
 * often than their separate u-probabilities predict, so their weights add up and two siblings outscore a person
 * who moved; unsupervised EM may even take "same household" for the match class. The third class absorbs that
 * correlation: a pair is a match only if it is more likely a match than both an unrelated pair and a household
 * pair.
 *
 * <h2>Scoring and explanation</h2>
 *
 * Each field level has two weights: {@code log2(m/u)} (evidence against "unrelated people") and {@code log2(m/h)}
 * (evidence against "two people of one household"); a missing value weighs 0. Their sums plus the log prior odds
 * give the pair's evidence against each non-match class, {@code E_u} and {@code E_h}; the score is the posterior
 * log-odds of a match, in bits: {@code 2^-score = 2^-E_u + 2^-E_h}. The posterior probability is
 * {@code 1 / (1 + 2^-score)}. Fixed weights can be set per field level with {@link #withWeight} (they replace both
 * weights).
 *
 * <h2>Thresholds</h2>
 *
 * Chosen on the probability scale, never on labelled data: a pair is a {@link Band#MATCH} when its posterior match
 * probability is at least {@link #DEFAULT_UPPER_PROBABILITY} (odds 9:1 for), a {@link Band#NON_MATCH} below
 * {@link #DEFAULT_LOWER_PROBABILITY} (odds 9:1 against), a {@link Band#REVIEW} in between. A pair with a strict
 * conflict is never a {@code MATCH}: at most a {@code REVIEW}.
 *
 * <h2>Training</h2>
 *
 * {@link ModelTrainer} measures {@code u} on random record pairs and fits {@code m}, {@code h} and the priors by EM
 * ({@link EmEstimator}) without labels (details there). It then decides which conflicts are strict from <em>anchor
 * pairs</em>
 * (pairs that share a person identifier, or that agree exactly on given name, family name and birth date): a
 * conflict is strict when it occurs in fewer than {@value #STRICT_RATE} of the anchor pairs where it could occur,
 * i.e. when the data shows that one person's records practically never look like that; with fewer than {@value
 * #MIN_ANCHORS} such anchors it stays strict (the safe side: a review instead of a wrong merge). On data where birth
 * dates are sometimes replaced wholesale (FEBRL), a generation gap is thus evidence weighed like any other; where
 * that does not happen, it marks a Jr/Sr pair.
 */
public final class MatchModel {

    public static final double DEFAULT_UPPER_PROBABILITY = 0.9;
    public static final double DEFAULT_LOWER_PROBABILITY = 0.1;
    public static final double STRICT_RATE = 0.005;
    public static final int MIN_ANCHORS = 50;

    private static final int F = Field.ALL.length;
    private static final int L = Level.EVIDENCE_LEVELS;
    private static final double FLOOR = 1e-6;

    private final double lambda;
    private final double eta;
    private final double[][] m;
    private final double[][] h;
    private final double[][] u;
    private final double[][] override;
    private final double upperProbability;
    private final double lowerProbability;
    private final Set<Conflict> strict;
    private final Map<Conflict, String> strictness;
    private final double[][] weightU;
    private final double[][] weightH;
    private final double priorU;
    private final double priorH;
    private String training = "";
    private TermFrequencies frequencies = TermFrequencies.NONE;
    private int trainingRecords;

    private MatchModel(
            double lambda,
            double eta,
            double[][] m,
            double[][] h,
            double[][] u,
            double[][] override,
            double upperProbability,
            double lowerProbability,
            Set<Conflict> strict,
            Map<Conflict, String> strictness) {
        if (!(lambda > 0 && eta >= 0 && lambda + eta < 1)) {
            throw new IllegalArgumentException("need lambda > 0, eta >= 0, lambda + eta < 1");
        }
        if (!(lowerProbability > 0 && lowerProbability <= upperProbability && upperProbability < 1)) {
            throw new IllegalArgumentException("need 0 < lower <= upper < 1");
        }
        this.lambda = lambda;
        this.eta = eta;
        this.m = m;
        this.h = h;
        this.u = u;
        this.override = override;
        this.upperProbability = upperProbability;
        this.lowerProbability = lowerProbability;
        this.strict = strict.isEmpty() ? EnumSet.noneOf(Conflict.class) : EnumSet.copyOf(strict);
        this.strictness = Map.copyOf(strictness);
        this.weightU = weights(m, u, override);
        this.weightH = weights(m, h, override);
        this.priorU = log2(lambda / (1 - lambda - eta));
        this.priorH = eta > 0 ? log2(lambda / eta) : Double.POSITIVE_INFINITY;
    }

    private static double[][] weights(double[][] a, double[][] b, double[][] override) {
        double[][] w = new double[F][L];
        for (int f = 0; f < F; f++) {
            for (int l = 0; l < L; l++) {
                if (!Double.isNaN(override[f][l])) {
                    w[f][l] = override[f][l];
                } else if (a[f][l] <= 0 && b[f][l] <= 0) {
                    w[f][l] = 0;
                } else {
                    w[f][l] = log2(Math.max(a[f][l], FLOOR) / Math.max(b[f][l], FLOOR));
                }
            }
        }
        return w;
    }

    /**
     * Hand-set values for running untrained: m typical of registration data, h of household members, u of two
     * records drawn at random from a US population, priors for a population of about 10,000 records. The m and h
     * values are also the starting values and priors of {@link ModelTrainer}. All conflicts strict.
     */
    public static MatchModel defaults() {
        double[][] m = new double[F][];
        double[][] h = new double[F][];
        double[][] u = new double[F][];
        set(m, h, u, Field.GIVEN_NAME, v(.85, .08, .04, .03), v(.03, .02, .05, .90), v(.02, .005, .02, .955));
        set(m, h, u, Field.FAMILY_NAME, v(.86, .07, .04, .03), v(.85, .05, .03, .07), v(.005, .002, .01, .983));
        set(m, h, u, Field.BIRTH_DATE, v(.92, .04, .02, .02), v(.02, .02, .04, .92), v(5e-5, 3e-4, 1e-3, .99865));
        set(m, h, u, Field.SEX, v(.98, 0, 0, .02), v(.5, 0, 0, .5), v(.5, 0, 0, .5));
        set(m, h, u, Field.ADDRESS, v(.75, .08, .05, .12), v(.85, .07, .04, .04), v(2e-4, 2e-4, .02, .9796));
        set(m, h, u, Field.PHONE, v(.70, .03, .02, .25), v(.50, .01, .01, .48), v(1e-4, 1e-4, 1e-3, .9988));
        set(m, h, u, Field.EMAIL, v(.80, .05, .03, .12), v(.01, .01, .05, .93), v(1e-5, 5e-5, 1e-3, .99894));
        set(m, h, u, Field.IDENTIFIER, v(.95, .02, .01, .02), v(.001, .001, .001, .997), v(1e-6, 1e-5, 1e-4, .99989));
        set(m, h, u, Field.SUFFIX, v(.95, 0, 0, .05), v(.2, 0, 0, .8), v(.4, 0, 0, .6));
        Map<Conflict, String> why = new EnumMap<>(Conflict.class);
        for (Conflict c : Conflict.values()) {
            why.put(c, "strict by default");
        }
        return new MatchModel(
                1e-4,
                1e-4,
                m,
                h,
                u,
                nanMatrix(),
                DEFAULT_UPPER_PROBABILITY,
                DEFAULT_LOWER_PROBABILITY,
                EnumSet.allOf(Conflict.class),
                why);
    }

    /** A trained model: see {@link ModelTrainer}. */
    static MatchModel fitted(
            double lambda,
            double eta,
            double[][] m,
            double[][] h,
            double[][] u,
            MatchModel prior,
            Set<Conflict> strict,
            Map<Conflict, String> why,
            String training,
            TermFrequencies frequencies,
            int trainingRecords) {
        MatchModel r = new MatchModel(
                lambda, eta, m, h, u, prior.override, prior.upperProbability, prior.lowerProbability, strict, why);
        r.training = training;
        r.frequencies = frequencies;
        r.trainingRecords = trainingRecords;
        return r;
    }

    /** The number of records the priors are for (0: unknown). */
    public int trainingRecords() {
        return trainingRecords;
    }

    /**
     * The model for a population of {@code records} records: the priors per pair scaled by {@code trainingRecords /
     * records} (a record has about as many duplicates and household members whatever the population size, while its
     * number of possible partners grows with it). Unchanged when the training size is unknown.
     */
    public MatchModel forPopulation(int records) {
        if (trainingRecords <= 0 || records <= 0 || records == trainingRecords) {
            return this;
        }
        double f = (double) trainingRecords / records;
        double l = Math.min(lambda * f, 0.45);
        double e = Math.min(eta * f, 0.45);
        MatchModel r = copyWith(l, e, override, upperProbability, lowerProbability, strict, strictness);
        r.trainingRecords = records;
        return r;
    }

    /** The name frequencies of the term frequency adjustment (empty: no adjustment). */
    public TermFrequencies frequencies() {
        return frequencies;
    }

    /** A copy using these name frequencies (e.g. recounted as the population grows). */
    public MatchModel withFrequencies(TermFrequencies frequencies) {
        MatchModel r = copyWith(lambda, eta, override, upperProbability, lowerProbability, strict, strictness);
        r.frequencies = frequencies;
        return r;
    }

    private MatchModel copyWith(
            double lambda,
            double eta,
            double[][] override,
            double upperProbability,
            double lowerProbability,
            Set<Conflict> strict,
            Map<Conflict, String> strictness) {
        MatchModel r =
                new MatchModel(lambda, eta, m, h, u, override, upperProbability, lowerProbability, strict, strictness);
        r.training = training;
        r.frequencies = frequencies;
        r.trainingRecords = trainingRecords;
        return r;
    }

    double[][] mRaw() {
        return m;
    }

    double[][] hRaw() {
        return h;
    }

    double[][] uRaw() {
        return u;
    }

    /** How the model was trained (sessions, pair counts), or empty. */
    public String training() {
        return training;
    }

    /** A copy with other priors per pair (e.g. rescaled when the population has grown: lambda ~ 1/records). */
    public MatchModel withPriors(double lambda, double eta) {
        return copyWith(lambda, eta, override, upperProbability, lowerProbability, strict, strictness);
    }

    /**
     * Decides strict conflicts from anchor pairs: {@code sameIdentifier} are pairs sharing a person identifier (for
     * generation gap, suffix, twin pattern), {@code sameNameAndBirthDate} pairs agreeing exactly on given name,
     * family name and birth date (for identifier mismatch).
     */
    static Set<Conflict> strictConflicts(
            Collection<Comparison> sameIdentifier,
            Collection<Comparison> sameNameAndBirthDate,
            Map<Conflict, String> why) {
        long[] seen = new long[Conflict.values().length];
        long[] hit = new long[Conflict.values().length];
        for (Comparison c : sameIdentifier) {
            Level id = c.level(Field.IDENTIFIER);
            if (id == Level.EXACT) {
                Features a = c.leftFeatures();
                Features b = c.rightFeatures();
                if (a.birthDate.isKnown() && b.birthDate.isKnown()) {
                    // the conflict itself is waived for these pairs; count the raw pattern
                    count(
                            seen,
                            hit,
                            Conflict.GENERATION_GAP,
                            BirthDateComparator.generationGap(a.birthDate, b.birthDate));
                }
                if (a.suffix != null && b.suffix != null) {
                    count(seen, hit, Conflict.SUFFIX_MISMATCH, c.conflicts().contains(Conflict.SUFFIX_MISMATCH));
                }
                if (RecordComparator.twinSetting(c) && c.level(Field.GIVEN_NAME) != Level.MISSING) {
                    count(seen, hit, Conflict.POSSIBLE_TWIN, RecordComparator.twinNames(c));
                }
            }
        }
        for (Comparison c : sameNameAndBirthDate) {
            Level id = c.level(Field.IDENTIFIER);
            if (id != Level.MISSING
                    && c.level(Field.GIVEN_NAME) == Level.EXACT
                    && c.level(Field.FAMILY_NAME) == Level.EXACT
                    && c.level(Field.BIRTH_DATE) == Level.EXACT) {
                count(seen, hit, Conflict.IDENTIFIER_MISMATCH, id == Level.DISAGREE);
            }
        }
        Set<Conflict> strict = EnumSet.noneOf(Conflict.class);
        for (Conflict k : Conflict.values()) {
            long n = seen[k.ordinal()];
            long x = hit[k.ordinal()];
            double rate = n == 0 ? 0 : (double) x / n;
            if (n < MIN_ANCHORS) {
                strict.add(k);
                why.put(k, String.format("strict: only %d anchor pairs to judge from (%d with the conflict)", n, x));
            } else if (rate < STRICT_RATE) {
                strict.add(k);
                why.put(k, String.format("strict: in %d of %d anchor pairs (%.2f%%)", x, n, 100 * rate));
            } else {
                why.put(k, String.format("weighed, not strict: in %d of %d anchor pairs (%.2f%%)", x, n, 100 * rate));
            }
        }
        return strict;
    }

    private static void count(long[] seen, long[] hit, Conflict k, boolean present) {
        seen[k.ordinal()]++;
        if (present) {
            hit[k.ordinal()]++;
        }
    }

    /** A copy with the weight of one field level fixed (instead of log2(m/u) and log2(m/h)). */
    public MatchModel withWeight(Field field, Level level, double weight) {
        if (level == Level.MISSING) {
            throw new IllegalArgumentException("a missing value always weighs 0");
        }
        double[][] o = copy(override);
        o[field.ordinal()][level.ordinal()] = weight;
        return copyWith(lambda, eta, o, upperProbability, lowerProbability, strict, strictness);
    }

    /** A copy with other probability thresholds. */
    public MatchModel withThresholds(double upperProbability, double lowerProbability) {
        return copyWith(lambda, eta, override, upperProbability, lowerProbability, strict, strictness);
    }

    /** A copy with the given set of strict conflicts. */
    public MatchModel withStrictConflicts(Set<Conflict> conflicts) {
        Map<Conflict, String> why = new EnumMap<>(Conflict.class);
        for (Conflict c : Conflict.values()) {
            why.put(c, conflicts.contains(c) ? "strict by configuration" : "not strict by configuration");
        }
        return copyWith(lambda, eta, override, upperProbability, lowerProbability, conflicts, why);
    }

    /** The weight against unrelated pairs, log2(m/u) (or the override); 0 for a missing value. */
    public double weight(Field field, Level level) {
        return level == Level.MISSING ? 0 : weightU[field.ordinal()][level.ordinal()];
    }

    /** The weight against household pairs, log2(m/h) (or the override); 0 for a missing value. */
    public double householdWeight(Field field, Level level) {
        return level == Level.MISSING ? 0 : weightH[field.ordinal()][level.ordinal()];
    }

    public double m(Field field, Level level) {
        return level == Level.MISSING ? 1 : m[field.ordinal()][level.ordinal()];
    }

    public double h(Field field, Level level) {
        return level == Level.MISSING ? 1 : h[field.ordinal()][level.ordinal()];
    }

    public double u(Field field, Level level) {
        return level == Level.MISSING ? 1 : u[field.ordinal()][level.ordinal()];
    }

    /** The prior probability that a pair of records is a match. */
    public double lambda() {
        return lambda;
    }

    /** The prior probability that a pair of records is two people of one household. */
    public double eta() {
        return eta;
    }

    public Set<Conflict> strictConflicts() {
        return strict.isEmpty() ? EnumSet.noneOf(Conflict.class) : EnumSet.copyOf(strict);
    }

    /** Why each conflict is or is not strict (the anchor counts of training). */
    public Map<Conflict, String> strictness() {
        return strictness;
    }

    /** The score (posterior log-odds, bits) at and above which a pair without strict conflicts is a match. */
    public double upperThreshold() {
        return log2(upperProbability / (1 - upperProbability));
    }

    /** The score below which a pair is a non-match. */
    public double lowerThreshold() {
        return log2(lowerProbability / (1 - lowerProbability));
    }

    /** Evidence against "unrelated": log prior odds plus the sum of log2(m/u) (term-frequency adjusted). */
    public double evidenceVsUnrelated(Comparison c) {
        double s = priorU;
        for (int f = 0; f < F; f++) {
            Level l = c.level(Field.ALL[f]);
            if (l != Level.MISSING) {
                s += unrelatedWeight(c, Field.ALL[f], l);
            }
        }
        return s;
    }

    /**
     * The weight against unrelated pairs of one field of a comparison: {@code log2(m/u)}, where for an exact given
     * or family name u is the frequency of that name (see {@link TermFrequencies}).
     */
    public double unrelatedWeight(Comparison c, Field f, Level l) {
        double tf = termFrequency(c, f, l);
        if (Double.isNaN(tf) || !Double.isNaN(override[f.ordinal()][l.ordinal()])) {
            return weightU[f.ordinal()][l.ordinal()];
        }
        return log2(Math.max(m[f.ordinal()][l.ordinal()], FLOOR) / Math.max(tf, FLOOR));
    }

    /** The frequency used as u for an exact name agreement, or NaN when the average u applies. */
    double termFrequency(Comparison c, Field f, Level l) {
        if (l != Level.EXACT || frequencies.isEmpty()) {
            return Double.NaN;
        }
        Features a = c.leftFeatures();
        if (f == Field.GIVEN_NAME && a.given.length > 0 && a.given[0].length() > 1) {
            return frequencies.given(a.given[0]);
        }
        if (f == Field.FAMILY_NAME && !a.familyJoined.isEmpty()) {
            return frequencies.family(a.familyJoined);
        }
        return Double.NaN;
    }

    /** Evidence against "household": log prior odds plus the sum of log2(m/h); +infinity without that class. */
    public double evidenceVsHousehold(Comparison c) {
        if (eta <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double s = priorH;
        for (int f = 0; f < F; f++) {
            Level l = c.level(Field.ALL[f]);
            if (l != Level.MISSING) {
                s += weightH[f][l.ordinal()];
            }
        }
        return s;
    }

    /** The posterior log-odds of a match in bits: {@code 2^-score = 2^-E_u + 2^-E_h}. */
    public double score(Comparison c) {
        return combine(evidenceVsUnrelated(c), evidenceVsHousehold(c));
    }

    static double combine(double eu, double eh) {
        if (eh == Double.POSITIVE_INFINITY) {
            return eu;
        }
        double lo = Math.min(eu, eh);
        double hi = Math.max(eu, eh);
        return lo - log2(1 + Math.pow(2, lo - hi));
    }

    public double probability(double score) {
        return 1 / (1 + Math.pow(2, -score));
    }

    public boolean hasStrictConflict(Comparison c) {
        for (Conflict k : c.conflicts()) {
            if (strict.contains(k)) {
                return true;
            }
        }
        return false;
    }

    public Band band(Comparison c) {
        return band(score(c), hasStrictConflict(c));
    }

    public Band band(double score, boolean strictConflict) {
        if (score >= upperThreshold()) {
            return strictConflict ? Band.REVIEW : Band.MATCH;
        }
        return score >= lowerThreshold() ? Band.REVIEW : Band.NON_MATCH;
    }

    /** The full explanation of a comparison under this model. */
    public Explanation explain(Comparison c) {
        List<Explanation.FieldExplanation> fields = new ArrayList<>(F);
        for (Field f : Field.ALL) {
            Agreement a = c.agreement(f);
            boolean missing = a.level() == Level.MISSING;
            double tf = missing ? Double.NaN : termFrequency(c, f, a.level());
            String detail = Double.isNaN(tf)
                    ? a.detail()
                    : String.format(Locale.ROOT, "%s; u is the name's frequency, %.3f%%", a.detail(), 100 * tf);
            fields.add(new Explanation.FieldExplanation(
                    f,
                    display(c.leftFeatures(), f),
                    display(c.rightFeatures(), f),
                    a.level(),
                    detail,
                    missing ? 0 : round(unrelatedWeight(c, f, a.level())),
                    round(householdWeight(f, a.level())),
                    missing ? null : m(f, a.level()),
                    missing ? null : Double.isNaN(tf) ? u(f, a.level()) : tf,
                    missing ? null : h(f, a.level())));
        }
        List<Explanation.ConflictExplanation> conflicts = new ArrayList<>();
        for (Conflict k : c.conflicts()) {
            conflicts.add(new Explanation.ConflictExplanation(k, strict.contains(k), k.description()));
        }
        double eu = evidenceVsUnrelated(c);
        double eh = evidenceVsHousehold(c);
        double score = combine(eu, eh);
        return new Explanation(
                c.left().id(),
                c.right().id(),
                round(score),
                probability(score),
                band(score, hasStrictConflict(c)),
                round(eu),
                eh == Double.POSITIVE_INFINITY ? null : round(eh),
                round(upperThreshold()),
                round(lowerThreshold()),
                fields,
                conflicts);
    }

    /** The parameters as plain values (for configuration files and for storing with links). */
    public Parameters parameters() {
        List<FieldParameters> fields = new ArrayList<>();
        for (Field f : Field.ALL) {
            int i = f.ordinal();
            Map<Level, Double> oo = new LinkedHashMap<>();
            for (int l = 0; l < L; l++) {
                if (!Double.isNaN(override[i][l])) {
                    oo.put(Level.ALL[l], override[i][l]);
                }
            }
            fields.add(new FieldParameters(f, levels(m[i]), levels(h[i]), levels(u[i]), oo));
        }
        return new Parameters(
                lambda,
                eta,
                upperProbability,
                lowerProbability,
                strictConflicts(),
                fields,
                trainingRecords,
                frequencies.givenCounts(),
                frequencies.familyCounts());
    }

    /** A model from plain values (see {@link #parameters()}); absent levels are 0, absent fields keep defaults. */
    public static MatchModel of(Parameters p) {
        MatchModel d = defaults();
        double[][] m = copy(d.m);
        double[][] h = copy(d.h);
        double[][] u = copy(d.u);
        double[][] o = nanMatrix();
        for (FieldParameters fp : p.fields()) {
            int f = fp.field().ordinal();
            for (int l = 0; l < L; l++) {
                m[f][l] = fp.m().getOrDefault(Level.ALL[l], 0.0);
                h[f][l] = fp.h() == null ? d.h[f][l] : fp.h().getOrDefault(Level.ALL[l], 0.0);
                u[f][l] = fp.u().getOrDefault(Level.ALL[l], 0.0);
                o[f][l] = fp.weightOverrides() == null
                        ? Double.NaN
                        : fp.weightOverrides().getOrDefault(Level.ALL[l], Double.NaN);
            }
        }
        Map<Conflict, String> why = new EnumMap<>(Conflict.class);
        for (Conflict c : Conflict.values()) {
            why.put(c, p.strictConflicts().contains(c) ? "strict by configuration" : "not strict by configuration");
        }
        MatchModel r = new MatchModel(
                p.lambda(), p.eta(), m, h, u, o, p.upperProbability(), p.lowerProbability(), p.strictConflicts(), why);
        r.trainingRecords = p.trainingRecords();
        if (p.givenFrequencies() != null && p.familyFrequencies() != null) {
            r.frequencies = TermFrequencies.of(p.givenFrequencies(), p.familyFrequencies());
        }
        return r;
    }

    /**
     * The model as plain values (JSON-friendly records, maps and enums): priors, thresholds, strict conflicts, per
     * field m/h/u and fixed weights, the population size the priors are for, and the name counts of the term
     * frequency adjustment (null: none).
     */
    public record Parameters(
            double lambda,
            double eta,
            double upperProbability,
            double lowerProbability,
            Set<Conflict> strictConflicts,
            List<FieldParameters> fields,
            int trainingRecords,
            Map<String, Integer> givenFrequencies,
            Map<String, Integer> familyFrequencies) {}

    /** One field's m, h and u per evidence level, and any fixed weights. */
    public record FieldParameters(
            Field field,
            Map<Level, Double> m,
            Map<Level, Double> h,
            Map<Level, Double> u,
            Map<Level, Double> weightOverrides) {}

    /** A table of the weights, for logs and benchmarks. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                "priors per pair: match %.3g, household %.3g; match if p >= %.2f (score >= %.2f), review if"
                        + " p >= %.2f%n",
                lambda, eta, upperProbability, upperThreshold(), lowerProbability));
        b.append(String.format(
                "%-12s %28s %28s %28s %28s%n", "field", "EXACT", "STRONG", "WEAK", "DISAGREE (w_u/w_h m/u/h)"));
        for (Field f : Field.ALL) {
            int i = f.ordinal();
            b.append(String.format("%-12s", f));
            for (int l = 0; l < L; l++) {
                b.append(String.format(
                        " %+6.2f/%+6.2f %.3f/%.3f/%.3f", weightU[i][l], weightH[i][l], m[i][l], u[i][l], h[i][l]));
            }
            b.append('\n');
        }
        for (Conflict c : Conflict.values()) {
            b.append(String.format("%-20s %s%n", c, strictness.getOrDefault(c, "")));
        }
        return b.toString();
    }

    static String display(Features x, Field f) {
        PersonRecord r = x.record;
        return switch (f) {
            case GIVEN_NAME -> r.given();
            case FAMILY_NAME ->
                r.previousFamilyNames().isEmpty()
                        ? r.familyName()
                        : r.familyName() + " (previously " + String.join(", ", r.previousFamilyNames()) + ")";
            case BIRTH_DATE -> r.birthDate().toString();
            case SEX -> r.sex() == Sex.UNKNOWN ? "" : r.sex().name().toLowerCase(Locale.ROOT);
            case ADDRESS -> r.address().toString();
            case PHONE -> String.join(", ", r.phones());
            case EMAIL -> String.join(", ", r.emails());
            case IDENTIFIER ->
                String.join(
                        ", ",
                        r.identifiers().stream()
                                .map(MatchModel::maskedIdentifier)
                                .toList());
            case SUFFIX -> r.suffix() == null ? "" : r.suffix();
        };
    }

    /** Person identifiers keep only their last four characters in explanations (they are stored with links). */
    private static String maskedIdentifier(Identifier i) {
        String label = Identifier.US_SSN.equals(i.system()) ? "SSN" : i.system();
        if (i.kind() == Identifier.Kind.RECORD) {
            return label + " " + i.value();
        }
        String v = i.value();
        return label + " " + "*".repeat(Math.max(0, v.length() - 4)) + v.substring(Math.max(0, v.length() - 4));
    }

    private static Map<Level, Double> levels(double[] p) {
        Map<Level, Double> out = new LinkedHashMap<>();
        for (int l = 0; l < L; l++) {
            out.put(Level.ALL[l], p[l]);
        }
        return out;
    }

    private static double[] v(double... p) {
        return p;
    }

    private static void set(double[][] m, double[][] h, double[][] u, Field f, double[] mv, double[] hv, double[] uv) {
        m[f.ordinal()] = mv;
        h[f.ordinal()] = hv;
        u[f.ordinal()] = uv;
    }

    private static double[][] nanMatrix() {
        double[][] o = new double[F][L];
        for (double[] row : o) {
            Arrays.fill(row, Double.NaN);
        }
        return o;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
