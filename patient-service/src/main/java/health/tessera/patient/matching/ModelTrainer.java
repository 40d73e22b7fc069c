package health.tessera.patient.matching;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Fits a {@link MatchModel} to a population of records without labels, the way Splink does it: blocking biases
 * what it blocks on, so every field is estimated only from pairs that were <em>not</em> selected by agreeing on it.
 *
 * <ol>
 *   <li><b>u</b> (unrelated pairs) is measured on {@value #RANDOM_PAIRS} record pairs drawn at random (fixed seed)
 *       among those that share no blocking key, so that the few matches a random sample holds (and which dominate
 *       rare agreements such as an equal birth date) are left out. Smoothed with half a pair's worth of the prior's
 *       u. For an exact first or family name, u is the name's frequency ({@link TermFrequencies}).
 *   <li><b>m</b> (matches) comes from EM in three sessions, each on the pairs sharing one thing, with that thing
 *       left out of the EM: pairs with the same complete <em>birth date</em> (m of names, address, contact,
 *       identifiers), pairs with the same first given and family <em>name</em> (m of the birth date and the rest),
 *       pairs at the same <em>address</em> (m of names and birth date; these pairs are mostly households). Each
 *       session has three classes (match, household, unrelated) with u held at the measured values; a field's m is
 *       the average over the sessions that estimate it, weighted by their expected matches.
 *   <li><b>h</b> (households) comes from the address session (its household class); the household's address level
 *       stays at the prior (people of one household share it by definition).
 *   <li><b>lambda</b>, the prior that a pair is a match: the matches the birth-date session found, divided by the
 *       probability that a match has two equal complete birth dates (m and presence), over all pairs.
 *       <b>eta</b> likewise from the address session.
 *   <li><b>strict conflicts</b>: from anchor pairs, see {@link MatchModel}.
 * </ol>
 *
 * Sessions skip blocks larger than {@value #MAX_SESSION_BLOCK} records (placeholder values).
 */
public final class ModelTrainer {

    public static final int RANDOM_PAIRS = 300_000;
    public static final int MAX_SESSION_BLOCK = 500;

    private static final int F = Field.ALL.length;
    private static final int L = Level.EVIDENCE_LEVELS;

    private ModelTrainer() {}

    /** Deduplication: trains on one list of records. */
    public static MatchModel train(List<Features> records, MatchModel prior) {
        return train(records, null, prior);
    }

    /** Trains on one list ({@code right} null, deduplication) or on two lists to be linked. */
    public static MatchModel train(List<Features> left, List<Features> right, MatchModel prior) {
        long all = right == null ? (long) left.size() * (left.size() - 1) / 2 : (long) left.size() * right.size();
        StringBuilder report = new StringBuilder();
        double[][] u = measureU(randomPairs(left, right), prior.uRaw());
        List<Features> everyone = new ArrayList<>(left);
        if (right != null) {
            everyone.addAll(right);
        }
        TermFrequencies frequencies = TermFrequencies.of(everyone);

        List<Comparison> byDate = session(left, right, x -> x.birthDigits);
        List<Comparison> byName = session(
                left,
                right,
                x -> x.given.length == 0 || x.familyJoined.isEmpty() ? null : x.given[0] + "|" + x.familyJoined);
        List<Comparison> byAddress = session(left, right, ModelTrainer::addressKey);

        Fit date = fit(byDate, EnumSet.of(Field.BIRTH_DATE), prior, u, false);
        Fit name = fit(byName, EnumSet.of(Field.GIVEN_NAME, Field.FAMILY_NAME), prior, u, false);
        Fit address = fit(byAddress, EnumSet.of(Field.ADDRESS), prior, u, true);
        report.append(String.format(
                "u from %d random pairs; EM sessions: birth date %s, name %s, address %s",
                Math.min(RANDOM_PAIRS, all), date, name, address));

        double[][] m = new double[F][L];
        for (Field f : Field.ALL) {
            double weight = 0;
            for (Fit s : List.of(date, name, address)) {
                if (!s.excluded.contains(f) && s.matches > 0) {
                    weight += s.matches;
                    for (int l = 0; l < L; l++) {
                        m[f.ordinal()][l] += s.matches * s.m[f.ordinal()][l];
                    }
                }
            }
            for (int l = 0; l < L; l++) {
                m[f.ordinal()][l] = weight > 0 ? m[f.ordinal()][l] / weight : prior.mRaw()[f.ordinal()][l];
            }
        }
        double[][] h = new double[F][];
        for (Field f : Field.ALL) {
            h[f.ordinal()] = f == Field.ADDRESS ? prior.hRaw()[f.ordinal()].clone() : address.h[f.ordinal()].clone();
        }

        double dateMatch = m[Field.BIRTH_DATE.ordinal()][Level.EXACT.ordinal()]
                * presence(left, right, x -> x.birthDigits != null);
        double lambda = date.matches / Math.max(dateMatch, 1e-9) / all;
        double addressShared = prior.hRaw()[Field.ADDRESS.ordinal()][Level.EXACT.ordinal()]
                * presence(left, right, x -> addressKey(x) != null);
        double eta = address.households / Math.max(addressShared, 1e-9) / all;
        lambda = Math.min(Math.max(lambda, 1e-12), 0.5);
        eta = Math.min(Math.max(eta, 0), 0.4);

        List<Comparison> sameIdentifier = session(left, right, ModelTrainer::personIdentifierKey);
        List<Comparison> sameNameAndDate = byName.stream()
                .filter(c -> c.level(Field.BIRTH_DATE) == Level.EXACT)
                .toList();
        Map<Conflict, String> why = new EnumMap<>(Conflict.class);
        Set<Conflict> strict = MatchModel.strictConflicts(sameIdentifier, sameNameAndDate, why);
        return MatchModel.fitted(lambda, eta, m, h, u, prior, strict, why, report.toString(), frequencies, left.size());
    }

    /** The EM result of one session. */
    private record Fit(
            Set<Field> excluded, int pairs, double matches, double households, double[][] m, double[][] h, int it) {
        @Override
        public String toString() {
            return String.format(
                    "(%d pairs, %.0f matches, %.0f household pairs, %d iterations)", pairs, matches, households, it);
        }
    }

    private static Fit fit(List<Comparison> pairs, Set<Field> excluded, MatchModel prior, double[][] u, boolean free) {
        EmEstimator em = new EmEstimator(F, L);
        int[] pattern = new int[F];
        for (Comparison c : pairs) {
            for (Field f : Field.ALL) {
                pattern[f.ordinal()] = excluded.contains(f)
                        ? Level.MISSING.ordinal()
                        : c.level(f).ordinal();
            }
            em.add(pattern);
        }
        EmEstimator.Result r = em.estimate(
                new double[] {0.3, 0.05, 0.65},
                new double[][][] {prior.mRaw(), prior.hRaw(), u},
                new boolean[] {false, !free, true},
                10,
                1000,
                1e-7);
        return new Fit(
                excluded,
                pairs.size(),
                r.classWeights()[0] * pairs.size(),
                r.classWeights()[1] * pairs.size(),
                r.theta()[0],
                r.theta()[1],
                r.iterations());
    }

    private static String addressKey(Features x) {
        if (x.streetNumber == null || x.streetName.isEmpty()) {
            return null;
        }
        String place = !x.postcode.isEmpty() ? x.postcode : x.cityJoined;
        return place.isEmpty() ? null : x.streetNumber + "|" + Text.joined(x.streetName) + "|" + place;
    }

    private static String personIdentifierKey(Features x) {
        for (Identifier i : x.identifiers) {
            if (i.kind() == Identifier.Kind.PERSON) {
                return i.system() + "|" + i.value();
            }
        }
        return null;
    }

    /** Pairs of records with the same key (within the list, or across the two lists), compared. */
    static List<Comparison> session(List<Features> left, List<Features> right, Function<Features, String> key) {
        Map<String, List<Integer>> a = blocks(left, key);
        Map<String, List<Integer>> b = right == null ? a : blocks(right, key);
        List<int[]> pairs = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : a.entrySet()) {
            List<Integer> x = e.getValue();
            if (right == null) {
                if (x.size() > MAX_SESSION_BLOCK) {
                    continue;
                }
                for (int i = 0; i < x.size(); i++) {
                    for (int j = i + 1; j < x.size(); j++) {
                        pairs.add(new int[] {x.get(i), x.get(j)});
                    }
                }
            } else {
                List<Integer> y = b.get(e.getKey());
                if (y == null || x.size() > MAX_SESSION_BLOCK || y.size() > MAX_SESSION_BLOCK) {
                    continue;
                }
                for (int i : x) {
                    for (int j : y) {
                        pairs.add(new int[] {i, j});
                    }
                }
            }
        }
        List<Features> other = right == null ? left : right;
        return pairs.parallelStream()
                .map(p -> RecordComparator.compare(left.get(p[0]), other.get(p[1])))
                .toList();
    }

    private static Map<String, List<Integer>> blocks(List<Features> records, Function<Features, String> key) {
        Map<String, List<Integer>> out = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            String k = key.apply(records.get(i));
            if (k != null) {
                out.computeIfAbsent(k, kk -> new ArrayList<>(2)).add(i);
            }
        }
        return out;
    }

    private static double presence(List<Features> left, List<Features> right, Function<Features, Boolean> has) {
        double pa = left.stream().filter(has::apply).count() / (double) Math.max(1, left.size());
        if (right == null) {
            return pa * pa;
        }
        double pb = right.stream().filter(has::apply).count() / (double) Math.max(1, right.size());
        return pa * pb;
    }

    /**
     * {@value #RANDOM_PAIRS} random pairs that share no blocking key: practically no matches or household pairs are
     * among them (blocking finds those), so what they show is u. (Agreement on a blocked field is a little rarer
     * among them than among all unrelated pairs; by the share of such agreements that blocking catches.)
     */
    static List<Comparison> randomPairs(List<Features> left, List<Features> right) {
        List<Features> other = right == null ? left : right;
        long all = right == null ? (long) left.size() * (left.size() - 1) / 2 : (long) left.size() * right.size();
        int n = (int) Math.min(RANDOM_PAIRS, all / 2);
        List<java.util.Set<String>> keysA = left.parallelStream()
                .map(x -> java.util.Set.copyOf(BlockingKeys.of(x)))
                .toList();
        List<java.util.Set<String>> keysB = right == null
                ? keysA
                : right.parallelStream()
                        .map(x -> java.util.Set.copyOf(BlockingKeys.of(x)))
                        .toList();
        SplittableRandom rnd = new SplittableRandom(20_260_601L);
        List<int[]> idx = new ArrayList<>(n);
        int attempts = 0;
        while (idx.size() < n && attempts++ < 4 * n) {
            int a;
            int b;
            if (right == null) {
                a = rnd.nextInt(left.size());
                b = rnd.nextInt(left.size() - 1);
                b = b >= a ? b + 1 : b;
            } else {
                a = rnd.nextInt(left.size());
                b = rnd.nextInt(right.size());
            }
            if (java.util.Collections.disjoint(keysA.get(a), keysB.get(b))) {
                idx.add(new int[] {a, b});
            }
        }
        return idx.parallelStream()
                .map(p -> RecordComparator.compare(left.get(p[0]), other.get(p[1])))
                .toList();
    }

    static double[][] measureU(List<Comparison> randomPairs, double[][] prior) {
        double[][] u = new double[F][L];
        for (int f = 0; f < F; f++) {
            double ps = 0;
            for (int l = 0; l < L; l++) {
                ps += prior[f][l];
            }
            for (int l = 0; l < L; l++) {
                u[f][l] = ps > 0 ? 0.5 * prior[f][l] / ps : 0;
            }
        }
        for (Comparison c : randomPairs) {
            for (Field f : Field.ALL) {
                Level l = c.level(f);
                if (l != Level.MISSING) {
                    u[f.ordinal()][l.ordinal()]++;
                }
            }
        }
        for (int f = 0; f < F; f++) {
            double s = 0;
            for (int l = 0; l < L; l++) {
                s += u[f][l];
            }
            for (int l = 0; l < L; l++) {
                u[f][l] = s > 0 ? u[f][l] / s : 0;
            }
        }
        return u;
    }
}
