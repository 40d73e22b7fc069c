package health.tessera.exchange.subscription;

import health.tessera.events.RecordCommitted;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The notifications waiting for delivery ({@code subscription_notification}), numbered per subscription in the order
 * their events were matched, and the hold a delivery worker takes on a subscription while it posts (a lease, so two
 * replicas never deliver one subscription's notifications at once or out of order).
 */
@ApplicationScoped
public class NotificationQueue {

    /** A subscription that asked for heartbeats and was sent nothing for a heartbeat period. */
    private static final String HEARTBEAT_DUE = " heartbeat_seconds IS NOT NULL AND coalesce(last_sent_at, created_at)"
            + " < now() - make_interval(secs => heartbeat_seconds)";

    /** How long a worker holds a subscription it claimed; a worker that dies frees it when this runs out. */
    static final Duration LEASE = Duration.ofMinutes(1);

    private final AgroalDataSource dataSource;

    public NotificationQueue(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A subscription a worker claimed for delivery, with what the notification needs. */
    public record Claimed(
            UUID id,
            UUID leaseToken,
            int version,
            String status,
            String topic,
            String endpoint,
            String payloadContent,
            List<String> headers,
            String fhirBase,
            long eventsSinceStart,
            int maxCount,
            int failures,
            boolean heartbeatDue) {}

    /** A queued notification: the handshake ({@code eventNumber} 0) or one record event. */
    public record Pending(long eventNumber, String focus, String operation, Instant occurredAt) {}

    /**
     * Whether {@code subscriber} may know of {@code record}: its own organisation's, or shared with it by a grant in
     * force (a Consent or accepted referral for the record's patient, covering its type).
     */
    public boolean visible(String subscriber, RecordCommitted record) {
        if (subscriber.equals(record.organization())) {
            return true;
        }
        if (record.patientId() == null) {
            return false;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT 1 FROM access_grant WHERE recipient = ? AND"
                        + " custodian = ? AND patient_id = ? AND (resource_types IS NULL OR ? = ANY (resource_types))"
                        + " AND (valid_from IS NULL OR valid_from <= now()) AND (valid_to IS NULL OR valid_to > now())"
                        + " LIMIT 1")) {
            select.setString(1, subscriber);
            select.setString(2, record.organization());
            select.setString(3, record.patientId());
            select.setString(4, record.resourceType());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check the access grants of " + subscriber, e);
        }
    }

    /**
     * Queues {@code record} for {@code subscription} under the subscription's next event number, unless it stopped
     * listening meanwhile. Runs in the caller's transaction.
     */
    public void add(UUID subscription, RecordCommitted record, Instant occurredAt) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement number = c.prepareStatement("UPDATE subscription SET events_since_start ="
                        + " events_since_start + 1 WHERE id = ? AND status IN ('requested', 'active') AND NOT deleted"
                        + " RETURNING events_since_start");
                PreparedStatement insert = c.prepareStatement("INSERT INTO subscription_notification"
                        + " (subscription_id, event_number, focus, operation, occurred_at) VALUES (?, ?, ?, ?, ?)")) {
            number.setObject(1, subscription);
            try (ResultSet rs = number.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                insert.setObject(1, subscription);
                insert.setLong(2, rs.getLong(1));
            }
            insert.setString(3, record.resourceType() + "/" + record.resourceId() + "/_history/" + record.version());
            insert.setString(4, record.operation());
            insert.setTimestamp(5, Timestamp.from(occurredAt));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot queue a notification for Subscription/" + subscription, e);
        }
    }

    /** Claims up to {@code limit} subscriptions with notifications due and no other worker on them. */
    public List<Claimed> claim(int limit) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement claim = c.prepareStatement("UPDATE subscription SET lease_until = ?,"
                        + " lease_token = gen_random_uuid() WHERE id IN"
                        + " (SELECT s.id FROM subscription s WHERE s.status IN ('requested', 'active') AND NOT"
                        + " s.deleted AND (s.lease_until IS NULL OR s.lease_until < now()) AND (s.retry_at IS NULL"
                        + " OR s.retry_at <= now()) AND (EXISTS (SELECT 1 FROM subscription_notification n WHERE"
                        + " n.subscription_id = s.id) OR (s.status = 'active' AND" + HEARTBEAT_DUE + "))"
                        + " ORDER BY s.id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING id, lease_token, version, status,"
                        + " topic, endpoint, payload_content, headers, fhir_base, events_since_start, max_count,"
                        + " failures, (" + HEARTBEAT_DUE + ")")) {
            claim.setTimestamp(1, Timestamp.from(Instant.now().plus(LEASE)));
            claim.setInt(2, limit);
            List<Claimed> claimed = new ArrayList<>();
            try (ResultSet rs = claim.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new Claimed(
                            rs.getObject(1, UUID.class),
                            rs.getObject(2, UUID.class),
                            rs.getInt(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            List.of((String[]) rs.getArray(8).getArray()),
                            rs.getString(9),
                            rs.getLong(10),
                            rs.getInt(11),
                            rs.getInt(12),
                            rs.getBoolean(13)));
                }
            }
            return claimed;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim subscriptions for delivery", e);
        }
    }

    /** The first {@code max} queued notifications of {@code subscription}, in event-number order. */
    public List<Pending> pending(UUID subscription, int max) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT event_number, focus, operation, occurred_at"
                        + " FROM subscription_notification WHERE subscription_id = ? ORDER BY event_number LIMIT ?")) {
            select.setObject(1, subscription);
            select.setInt(2, max);
            List<Pending> pending = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    pending.add(new Pending(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getTimestamp(4).toInstant()));
                }
            }
            return pending;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the notifications of Subscription/" + subscription, e);
        }
    }

    /**
     * The endpoint accepted the notifications up to {@code lastEventNumber} (-1: a heartbeat): they go, and the hold
     * is released. Nothing changes, and false is returned, when the claim was overtaken meanwhile (the lease ran out
     * and another worker took it, or the subscriber changed the subscription).
     */
    public boolean delivered(Claimed claim, long lastEventNumber) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement release = c.prepareStatement("UPDATE subscription SET failures = 0,"
                            + " retry_at = NULL, lease_until = NULL, lease_token = NULL, last_sent_at = now()"
                            + " WHERE id = ? AND lease_token = ?");
                    PreparedStatement delete = c.prepareStatement("DELETE FROM subscription_notification WHERE"
                            + " subscription_id = ? AND event_number <= ?")) {
                release.setObject(1, claim.id());
                release.setObject(2, claim.leaseToken());
                if (release.executeUpdate() == 0) {
                    return false;
                }
                delete.setObject(1, claim.id());
                delete.setLong(2, lastEventNumber);
                delete.executeUpdate();
                return true;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot record the delivery to Subscription/" + claim.id(), e);
            }
        });
    }

    /**
     * A delivery failed: the next attempt waits {@code retryIn}. Returns the consecutive failures so far, or 0 when
     * the claim was overtaken meanwhile (nothing changes then).
     */
    public int failed(Claimed claim, Duration retryIn) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement("UPDATE subscription SET failures = failures + 1,"
                        + " retry_at = ?, lease_until = NULL, lease_token = NULL WHERE id = ? AND lease_token = ?"
                        + " RETURNING failures")) {
            update.setTimestamp(1, Timestamp.from(Instant.now().plus(retryIn)));
            update.setObject(2, claim.id());
            update.setObject(3, claim.leaseToken());
            try (ResultSet rs = update.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the failed delivery to Subscription/" + claim.id(), e);
        }
    }

    /** Queues a handshake (a requested subscription whose handshake row is missing). */
    public void queueHandshake(UUID subscription) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO subscription_notification (subscription_id,"
                        + " event_number, occurred_at) VALUES (?, 0, now()) ON CONFLICT DO NOTHING")) {
            insert.setObject(1, subscription);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot queue the handshake of Subscription/" + subscription, e);
        }
    }

    /** Gives up the hold without delivering. */
    public void release(Claimed claim) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement("UPDATE subscription SET lease_until = NULL,"
                        + " lease_token = NULL WHERE id = ? AND lease_token = ?")) {
            update.setObject(1, claim.id());
            update.setObject(2, claim.leaseToken());
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot release Subscription/" + claim.id(), e);
        }
    }
}
