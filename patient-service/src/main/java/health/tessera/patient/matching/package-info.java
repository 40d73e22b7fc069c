/**
 * Probabilistic patient matching for the master patient index: explainable Fellegi–Sunter scoring with EM-estimated
 * weights, blocking, and identity clustering that guards against hard negatives. Plain Java (no Quarkus): Apache
 * Commons Text (Jaro–Winkler, Damerau–Levenshtein) and Commons Codec (Double Metaphone).
 *
 * <h2>Pipeline</h2>
 *
 * <ol>
 *   <li>{@link health.tessera.patient.matching.PersonRecord}: normalised demographics (case, accents, punctuation,
 *       street types, phone digits, suffixes), built from raw values by its builder.
 *   <li>{@link health.tessera.patient.matching.BlockingKeys} / {@link health.tessera.patient.matching.CandidateIndex}:
 *       several blocking keys, an incremental index; candidates are records sharing a key.
 *   <li>{@link health.tessera.patient.matching.RecordComparator}: one {@link health.tessera.patient.matching.Level}
 *       per {@link health.tessera.patient.matching.Field} (comparators: names, birth date, address, contact,
 *       identifiers) and the {@link health.tessera.patient.matching.Conflict}s (Jr/Sr, twins...).
 *   <li>{@link health.tessera.patient.matching.MatchModel}: Fellegi–Sunter with a household class (match, same
 *       household, unrelated): log2(m/u) and log2(m/h) weights, name-frequency adjustment, thresholds on the posterior
 *       probability (match at 0.9, review from 0.1), strict conflicts decided from anchor pairs;
 *       {@link health.tessera.patient.matching.ModelTrainer} fits it without labels (u on random pairs, m and h by EM
 *       in blocking-aware sessions).
 *   <li>{@link health.tessera.patient.matching.Explanation}: every field's values, level, reason and weight; score,
 *       probability, band.
 *   <li>{@link health.tessera.patient.matching.IdentityClusterer} (batch) and
 *       {@link health.tessera.patient.matching.PatientMatcher#resolve} (one record at a time): identities without
 *       conflicting members or ambiguous bridges.
 * </ol>
 */
package health.tessera.patient.matching;
