package health.tessera.patient.matching;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The incremental matcher patient-service uses: records are indexed one at a time as they are registered, and a new
 * (or changed) record is matched against its blocking candidates. Thread-safe.
 *
 * <ul>
 *   <li>{@link #match} scores a record against its candidates ({@code Patient/$match});
 *   <li>{@link #resolve} decides what to do with a new record given where the candidates' identities stand: link
 *       it to one identity, create a new identity, or create one and ask for review;
 *   <li>{@link #register} is {@link #resolve} plus an in-memory identity table, for tests, tools and benchmarks.
 * </ul>
 */
public final class PatientMatcher {

    /** Where the existing records' identities stand (patient-service answers from its link table). */
    public interface Identities {
        /** The identity of an indexed record, or null. */
        String identityOf(String recordId);

        /** The records of an identity. */
        List<PersonRecord> members(String identityId);
    }

    /** What to do with a new record. */
    public enum Action {
        /** Link to {@link Resolution#identityId()}: a clear match, no strict conflict with its records. */
        LINK,
        /** A new identity; nothing came close. */
        NEW_IDENTITY,
        /** A new identity, and a review task for each of {@link Resolution#reviews()}. */
        NEW_IDENTITY_AND_REVIEW
    }

    /**
     * The decision for a record.
     *
     * @param action what to do
     * @param identityId the identity to link to ({@link Action#LINK}), else null
     * @param link the explanation of the link (the best match in that identity), else null
     * @param reviews pairs for a person to decide (review band, or matches kept apart by a conflict or an ambiguity)
     * @param relinks existing records whose identity the new evidence changes: record id to identity id (an existing
     *     identity, or a new one named after one of its records)
     */
    public record Resolution(
            Action action,
            String identityId,
            Explanation link,
            List<Explanation> reviews,
            Map<String, String> relinks) {}

    /** Local re-clustering takes in about this many existing records at most (the rest keep their identities). */
    static final int MAX_LOCAL_GROUP = 60;

    private final CandidateIndex index;
    private volatile MatchModel model;
    private volatile MatchModel scaled;
    private final Map<String, String> identities = new ConcurrentHashMap<>();
    private final Map<String, List<String>> membersOf = new ConcurrentHashMap<>();

    public PatientMatcher(MatchModel model) {
        this(model, CandidateIndex.DEFAULT_MAX_BLOCK_SIZE);
    }

    public PatientMatcher(MatchModel model, int maxBlockSize) {
        this.model = Objects.requireNonNull(model);
        this.index = new CandidateIndex(maxBlockSize);
    }

    public MatchModel model() {
        return model;
    }

    /** Switches to a newly trained or configured model (the index is kept). */
    public void setModel(MatchModel model) {
        this.model = Objects.requireNonNull(model);
        this.scaled = null;
    }

    /**
     * The model with its priors scaled to the number of indexed records ({@link MatchModel#forPopulation}),
     * recomputed when the index has grown or shrunk by more than 5%.
     */
    MatchModel effectiveModel() {
        MatchModel base = model;
        MatchModel s = scaled;
        int n = Math.max(index.size(), 1);
        if (base.trainingRecords() <= 0) {
            return base;
        }
        if (s == null || Math.abs(s.trainingRecords() - n) > 0.05 * n) {
            s = base.forPopulation(n);
            scaled = s;
        }
        return s;
    }

    /** Indexes a record (replacing an earlier version with the same id). */
    public void add(PersonRecord r) {
        index.add(r);
    }

    public boolean remove(String id) {
        return index.remove(id);
    }

    public int size() {
        return index.size();
    }

    public List<PersonRecord> candidates(PersonRecord r) {
        return index.candidates(r);
    }

    /** Every candidate scored and explained, best first (all bands; filter as needed). */
    public List<Explanation> match(PersonRecord r) {
        return match(Features.of(r), effectiveModel());
    }

    private List<Explanation> match(Features x, MatchModel m) {
        List<Explanation> out = new ArrayList<>();
        for (Features c : index.candidates(x)) {
            out.add(m.explain(RecordComparator.compare(x, c)));
        }
        out.sort(Comparator.comparingDouble(Explanation::score).reversed());
        return out;
    }

    /** Compares and explains any two records. */
    public Explanation explain(PersonRecord a, PersonRecord b) {
        return effectiveModel().explain(RecordComparator.compare(a, b));
    }

    /**
     * Decides for a new record (not yet indexed) by clustering it locally, with exactly the rules of the batch
     * {@link IdentityClusterer}, together with every record of the identities its candidates belong to (those in
     * the match or review band):
     *
     * <ul>
     *   <li>the record joins the identity most of its cluster's records belong to ({@link Action#LINK}), or starts a
     *       new one ({@link Action#NEW_IDENTITY}, {@link Action#NEW_IDENTITY_AND_REVIEW} when some pairs are in the
     *       review band or were kept apart by a conflict or an ambiguity);
     *   <li>the new record's evidence may also show that earlier decisions were wrong (a record that had joined
     *       Sr's identity for lack of a birth date, now that Jr's dated record shows it fits both equally): the
     *       clusters are mapped back to identities and every existing record whose identity changes is listed in
     *       {@link Resolution#relinks()} (patient-service applies them as unlink/link, or queues them for review).
     * </ul>
     *
     * Without candidates in those bands the record is a new identity.
     */
    public Resolution resolve(PersonRecord r, Identities ids) {
        MatchModel m = effectiveModel();
        Features x = Features.of(r);
        List<Explanation> scored = match(x, m);
        // the records to cluster: the new one and all records of its candidates' identities
        Map<String, PersonRecord> group = new LinkedHashMap<>();
        Map<String, String> identityOf = new HashMap<>();
        List<Explanation> reviews = new ArrayList<>();
        for (Explanation e : scored) {
            if (e.band() == Band.NON_MATCH) {
                continue;
            }
            if (e.band() == Band.REVIEW) {
                reviews.add(e);
            }
            String id = ids.identityOf(e.rightId());
            if (id == null || group.size() > MAX_LOCAL_GROUP) {
                continue;
            }
            for (PersonRecord member : ids.members(id)) {
                if (!member.id().equals(r.id()) && group.putIfAbsent(member.id(), member) == null) {
                    identityOf.put(member.id(), id);
                }
            }
        }
        if (group.isEmpty()) {
            return new Resolution(
                    reviews.isEmpty() ? Action.NEW_IDENTITY : Action.NEW_IDENTITY_AND_REVIEW,
                    null,
                    null,
                    reviews,
                    Map.of());
        }
        List<Features> records = new ArrayList<>(group.size() + 1);
        records.add(x);
        for (PersonRecord p : group.values()) {
            records.add(Features.of(p));
        }
        int n = records.size();
        Comparison[][] cmp = new Comparison[n][n];
        List<IdentityClusterer.Link> links = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                Comparison c = RecordComparator.compare(records.get(i), records.get(j));
                cmp[i][j] = c;
                double score = m.score(c);
                if (m.band(score, m.hasStrictConflict(c)) == Band.MATCH) {
                    links.add(new IdentityClusterer.Link(i, j, score));
                }
            }
        }
        IdentityClusterer.Judge judge = new RecordsJudge(records, m, (a, b) -> cmp[a][b]);
        int[] label = IdentityClusterer.cluster(
                n, links, judge, m.upperThreshold() - m.lowerThreshold(), m.probability(m.upperThreshold()));

        // each cluster keeps the identity most of its existing records have; when an identity is split, the larger
        // part keeps it and the other becomes a new identity named after its first record
        Map<Integer, Map<String, Integer>> votes = new TreeMap<>();
        for (int i = 1; i < n; i++) {
            votes.computeIfAbsent(label[i], k -> new TreeMap<>())
                    .merge(identityOf.get(records.get(i).record.id()), 1, Integer::sum);
        }
        List<Map.Entry<Integer, Map<String, Integer>>> byWeight = new ArrayList<>(votes.entrySet());
        byWeight.sort(
                Comparator.comparingInt((Map.Entry<Integer, Map<String, Integer>> e) -> e.getValue().values().stream()
                                .mapToInt(Integer::intValue)
                                .sum())
                        .reversed());
        Map<Integer, String> clusterIdentity = new HashMap<>();
        Set<String> taken = new HashSet<>();
        for (Map.Entry<Integer, Map<String, Integer>> e : byWeight) {
            String best = null;
            int bestVotes = -1;
            for (Map.Entry<String, Integer> v : e.getValue().entrySet()) {
                if (!taken.contains(v.getKey()) && v.getValue() > bestVotes) {
                    best = v.getKey();
                    bestVotes = v.getValue();
                }
            }
            if (best == null) {
                best = firstRecordOf(e.getKey(), label, records);
            }
            taken.add(best);
            clusterIdentity.put(e.getKey(), best);
        }
        Map<String, String> relinks = new LinkedHashMap<>();
        for (int i = 1; i < n; i++) {
            String id = records.get(i).record.id();
            String now = clusterIdentity.get(label[i]);
            if (!now.equals(identityOf.get(id))) {
                relinks.put(id, now);
            }
        }
        String target = clusterIdentity.get(label[0]);
        if (target == null) {
            for (int i = 1; i < n; i++) {
                if (m.band(cmp[0][i]) == Band.MATCH) {
                    reviews.add(m.explain(cmp[0][i])); // a match kept apart by a conflict or an ambiguity
                }
            }
            return new Resolution(
                    reviews.isEmpty() ? Action.NEW_IDENTITY : Action.NEW_IDENTITY_AND_REVIEW,
                    null,
                    null,
                    reviews,
                    relinks);
        }
        Explanation link = null;
        for (int i = 1; i < n; i++) {
            if (label[i] == label[0] && (link == null || m.score(cmp[0][i]) > link.score())) {
                link = m.explain(cmp[0][i]);
            }
        }
        return new Resolution(Action.LINK, target, link, reviews, relinks);
    }

    private static String firstRecordOf(int cluster, int[] label, List<Features> records) {
        for (int i = 1; i < label.length; i++) {
            if (label[i] == cluster) {
                return records.get(i).record.id();
            }
        }
        return records.get(0).record.id();
    }

    /**
     * {@link #resolve} against the in-memory identity table, then indexes the record and records its identity (the
     * record's own id names a new identity). Returns the resolution.
     */
    public Resolution register(PersonRecord r) {
        Identities table = new Identities() {
            @Override
            public String identityOf(String recordId) {
                return identities.get(recordId);
            }

            @Override
            public List<PersonRecord> members(String identityId) {
                List<PersonRecord> out = new ArrayList<>();
                List<String> ids;
                synchronized (membersOf) {
                    ids = List.copyOf(membersOf.getOrDefault(identityId, List.of()));
                }
                for (String id : ids) {
                    PersonRecord p = index.get(id);
                    if (p != null) {
                        out.add(p);
                    }
                }
                return out;
            }
        };
        Resolution res = resolve(r, table);
        String identity = res.action() == Action.LINK ? res.identityId() : r.id();
        add(r);
        synchronized (membersOf) {
            for (Map.Entry<String, String> move : res.relinks().entrySet()) {
                String old = identities.put(move.getKey(), move.getValue());
                if (old != null && membersOf.containsKey(old)) {
                    membersOf.get(old).remove(move.getKey());
                }
                membersOf
                        .computeIfAbsent(move.getValue(), k -> new ArrayList<>())
                        .add(move.getKey());
            }
            identities.put(r.id(), identity);
            membersOf.computeIfAbsent(identity, k -> new ArrayList<>()).add(r.id());
        }
        return res;
    }

    /** The in-memory identity of a registered record (see {@link #register}). */
    public String identityOf(String recordId) {
        return identities.get(recordId);
    }
}
