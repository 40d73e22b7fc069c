package health.tessera.patient.domain;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The master patient index's tables: enterprise identities with their golden records, the history of every
 * link, the review queue, the pairs decided to be different people, and merges. Callers own the transaction.
 */
@ApplicationScoped
public class IdentityRepository {

    /** Serialises identity decisions across replicas (a transaction-scoped PostgreSQL advisory lock). */
    private static final long IDENTITY_LOCK = 0x7465_7373_6d70_69L; // "tessmpi"

    private final AgroalDataSource dataSource;

    public IdentityRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** An enterprise identity: its golden record (null when no source record is linked) and version. */
    public record Enterprise(UUID id, String goldenJson, int version, UUID mergedInto, Instant updatedAt) {}

    /** One link a source record had. */
    public record Link(
            UUID patientId,
            int linkVersion,
            UUID enterpriseId,
            String reason,
            UUID matchedPatientId,
            Double probability,
            String explanationJson,
            String actor,
            Instant createdAt) {}

    /** A review task: is {@code patientId} the same person as {@code candidateId}? */
    public record Review(
            UUID id,
            UUID patientId,
            UUID candidateId,
            double probability,
            String explanationJson,
            String status,
            String decidedBy,
            Instant decidedAt,
            Instant createdAt) {}

    /** A merge of one identity's records into another. */
    public record Merge(
            UUID id,
            UUID sourceEnterprise,
            UUID targetEnterprise,
            List<UUID> moved,
            String actor,
            Instant createdAt,
            Instant unmergedAt) {}

    /** Waits for, then holds until commit, the right to change identities. */
    public void lockIdentities() {
        query("SELECT pg_advisory_xact_lock(?)", s -> s.setLong(1, IDENTITY_LOCK), rs -> Boolean.TRUE);
    }

    public void insertEnterprise(UUID id, String goldenJson) {
        execute("INSERT INTO enterprise (id, golden, version) VALUES (?, ?::jsonb, 1)", s -> {
            s.setObject(1, id);
            s.setString(2, goldenJson);
        });
    }

    /** Stores a rebuilt golden record (null: no members left) and, when merged away, where to. */
    public void updateEnterprise(UUID id, String goldenJson, UUID mergedInto) {
        execute(
                "UPDATE enterprise SET golden = ?::jsonb, version = version + 1, merged_into = ?, updated_at = now()"
                        + " WHERE id = ?",
                s -> {
                    s.setString(1, goldenJson);
                    s.setObject(2, mergedInto);
                    s.setObject(3, id);
                });
    }

    public Optional<Enterprise> enterprise(UUID id) {
        return queryOne(
                "SELECT id, golden::text, version, merged_into, updated_at FROM enterprise WHERE id = ?",
                s -> s.setObject(1, id),
                rs -> new Enterprise(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getInt(3),
                        rs.getObject(4, UUID.class),
                        rs.getTimestamp(5).toInstant()));
    }

    public void insertLink(Link link) {
        execute(
                "INSERT INTO patient_link (patient_id, link_version, enterprise_id, reason, matched_patient_id,"
                        + " probability, explanation, actor) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)",
                s -> {
                    s.setObject(1, link.patientId());
                    s.setInt(2, link.linkVersion());
                    s.setObject(3, link.enterpriseId());
                    s.setString(4, link.reason());
                    s.setObject(5, link.matchedPatientId());
                    if (link.probability() == null) {
                        s.setNull(6, Types.DOUBLE);
                    } else {
                        s.setDouble(6, link.probability());
                    }
                    s.setString(7, link.explanationJson());
                    s.setString(8, link.actor());
                });
    }

    /** Every link the source record had, newest first. */
    public List<Link> links(UUID patientId) {
        return query(
                "SELECT patient_id, link_version, enterprise_id, reason, matched_patient_id, probability,"
                        + " explanation::text, actor, created_at FROM patient_link WHERE patient_id = ?"
                        + " ORDER BY link_version DESC",
                s -> s.setObject(1, patientId),
                rs -> new Link(
                        rs.getObject(1, UUID.class),
                        rs.getInt(2),
                        rs.getObject(3, UUID.class),
                        rs.getString(4),
                        rs.getObject(5, UUID.class),
                        (Double) rs.getObject(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getTimestamp(9).toInstant()));
    }

    /** Opens a review task unless one is open for the pair already; returns whether one was opened. */
    public boolean openReview(UUID patientId, UUID candidateId, double probability, String explanationJson) {
        return update(
                        "INSERT INTO match_review (id, patient_id, candidate_id, probability, explanation)"
                                + " VALUES (?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING",
                        s -> {
                            s.setObject(1, health.tessera.fhir.ResourceIds.newId());
                            s.setObject(2, patientId);
                            s.setObject(3, candidateId);
                            s.setDouble(4, probability);
                            s.setString(5, explanationJson);
                        })
                > 0;
    }

    private static final String REVIEW_COLUMNS = "id, patient_id, candidate_id, probability, explanation::text,"
            + " status, decided_by, decided_at, created_at";

    /** Tasks with {@code status} (open, match, not-a-match, withdrawn), oldest first. */
    public List<Review> reviews(String status, int limit) {
        return query(
                "SELECT " + REVIEW_COLUMNS + " FROM match_review WHERE status = ? ORDER BY created_at, id LIMIT ?",
                s -> {
                    s.setString(1, status);
                    s.setInt(2, limit);
                },
                IdentityRepository::review);
    }

    /** The task, locked for a decision. */
    public Optional<Review> reviewForUpdate(UUID id) {
        return queryOne(
                "SELECT " + REVIEW_COLUMNS + " FROM match_review WHERE id = ? FOR UPDATE",
                s -> s.setObject(1, id),
                IdentityRepository::review);
    }

    public void decideReview(UUID id, String status, String actor) {
        execute("UPDATE match_review SET status = ?, decided_by = ?, decided_at = now() WHERE id = ?", s -> {
            s.setString(1, status);
            s.setString(2, actor);
            s.setObject(3, id);
        });
    }

    /** Closes the open tasks between records that are now in one identity (decided by a link or a merge). */
    public void withdrawReviewsWithin(UUID enterpriseId, String actor) {
        execute(
                "UPDATE match_review r SET status = 'withdrawn', decided_by = ?, decided_at = now()"
                        + " FROM patient a, patient b WHERE r.status = 'open' AND a.id = r.patient_id"
                        + " AND b.id = r.candidate_id AND a.enterprise_id = ? AND b.enterprise_id = ?",
                s -> {
                    s.setString(1, actor);
                    s.setObject(2, enterpriseId);
                    s.setObject(3, enterpriseId);
                });
    }

    /** Closes the open tasks that name a record (it was deleted: there is nothing left to decide). */
    public void withdrawReviewsOf(UUID patientId, String actor) {
        execute(
                "UPDATE match_review SET status = 'withdrawn', decided_by = ?, decided_at = now()"
                        + " WHERE status = 'open' AND (patient_id = ? OR candidate_id = ?)",
                s -> {
                    s.setString(1, actor);
                    s.setObject(2, patientId);
                    s.setObject(3, patientId);
                });
    }

    private static Review review(ResultSet rs) throws SQLException {
        Timestamp decided = rs.getTimestamp(8);
        return new Review(
                rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class),
                rs.getObject(3, UUID.class),
                rs.getDouble(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                decided == null ? null : decided.toInstant(),
                rs.getTimestamp(9).toInstant());
    }

    /** Remembers that two source records are different people. */
    public void rememberNotAMatch(UUID a, UUID b, String actor) {
        UUID low = a.compareTo(b) < 0 ? a : b;
        UUID high = low == a ? b : a;
        execute(
                "INSERT INTO not_a_match (patient_a, patient_b, decided_by) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                s -> {
                    s.setObject(1, low);
                    s.setObject(2, high);
                    s.setString(3, actor);
                });
    }

    /** Forgets that decision (a person linked the two after all). */
    public void forgetNotAMatch(UUID a, UUID b) {
        execute(
                "DELETE FROM not_a_match WHERE (patient_a = ? AND patient_b = ?) OR (patient_a = ? AND patient_b = ?)",
                s -> {
                    s.setObject(1, a);
                    s.setObject(2, b);
                    s.setObject(3, b);
                    s.setObject(4, a);
                });
    }

    /** The records a person has said are not {@code patientId}. */
    public List<UUID> notAMatch(UUID patientId) {
        return query(
                "SELECT patient_b FROM not_a_match WHERE patient_a = ? UNION SELECT patient_a FROM not_a_match"
                        + " WHERE patient_b = ?",
                s -> {
                    s.setObject(1, patientId);
                    s.setObject(2, patientId);
                },
                rs -> rs.getObject(1, UUID.class));
    }

    public void insertMerge(Merge merge) {
        execute(
                "INSERT INTO identity_merge (id, source_enterprise, target_enterprise, moved, actor)"
                        + " VALUES (?, ?, ?, ?, ?)",
                s -> {
                    s.setObject(1, merge.id());
                    s.setObject(2, merge.sourceEnterprise());
                    s.setObject(3, merge.targetEnterprise());
                    Array moved = s.getConnection()
                            .createArrayOf("uuid", merge.moved().toArray());
                    s.setArray(4, moved);
                    s.setString(5, merge.actor());
                });
    }

    /** The merge, locked so it is undone once. */
    public Optional<Merge> mergeForUpdate(UUID id) {
        return queryOne(
                "SELECT id, source_enterprise, target_enterprise, moved, actor, created_at, unmerged_at"
                        + " FROM identity_merge WHERE id = ? FOR UPDATE",
                s -> s.setObject(1, id),
                IdentityRepository::merge);
    }

    /** The latest merge that has not been undone and moved {@code patientId}. */
    public Optional<Merge> lastMergeOf(UUID patientId) {
        return queryOne(
                "SELECT id, source_enterprise, target_enterprise, moved, actor, created_at, unmerged_at"
                        + " FROM identity_merge WHERE ? = ANY (moved) AND unmerged_at IS NULL"
                        + " ORDER BY created_at DESC LIMIT 1",
                s -> s.setObject(1, patientId),
                IdentityRepository::merge);
    }

    public void markUnmerged(UUID id, String actor) {
        execute("UPDATE identity_merge SET unmerged_at = now(), unmerged_by = ? WHERE id = ?", s -> {
            s.setString(1, actor);
            s.setObject(2, id);
        });
    }

    private static Merge merge(ResultSet rs) throws SQLException {
        Timestamp unmerged = rs.getTimestamp(7);
        return new Merge(
                rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class),
                rs.getObject(3, UUID.class),
                List.of((UUID[]) rs.getArray(4).getArray()),
                rs.getString(5),
                rs.getTimestamp(6).toInstant(),
                unmerged == null ? null : unmerged.toInstant());
    }

    // --- plumbing: one statement per call, on the transaction's connection --------------------------------------

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private void execute(String sql, Binder binder) {
        update(sql, binder);
    }

    private int update(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement statement = c.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("identity store: " + e.getMessage(), e);
        }
    }

    private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement statement = c.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rs = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("identity store: " + e.getMessage(), e);
        }
    }

    private <T> Optional<T> queryOne(String sql, Binder binder, RowMapper<T> mapper) {
        return query(sql, binder, mapper).stream().findFirst();
    }
}
