package health.tessera.exchange.subscription;

import ca.uhn.fhir.context.FhirContext;
import health.tessera.fhir.FhirException;
import health.tessera.fhir.ResourceIds;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;

/**
 * Subscriptions, versioned. The organisation whose token created one is its subscriber: it alone reads, changes and
 * deletes it; to anyone else it does not exist (404). A write that asks for notifications queues a handshake, and the
 * exchange moves the subscription to {@code active} once the endpoint accepted it (or to {@code error}); those
 * changes of status are versions too, so an {@code If-Match} written against an older status fails as it should.
 */
@ApplicationScoped
public class SubscriptionStore {

    private final AgroalDataSource dataSource;
    private final FhirContext fhir;
    private final SubscriptionConfig config;
    private final EndpointPolicy endpoints;

    public SubscriptionStore(AgroalDataSource dataSource, FhirContext fhir, SubscriptionConfig config) {
        this.dataSource = dataSource;
        this.fhir = fhir;
        this.config = config;
        this.endpoints = new EndpointPolicy(config.allowLocalEndpoints());
    }

    public EndpointPolicy endpoints() {
        return endpoints;
    }

    /** A stored current version, with what delivery keeps beside it. */
    record Stored(
            UUID id,
            int version,
            String organization,
            String status,
            String endpoint,
            List<String> headers,
            long eventsSinceStart,
            boolean deleted,
            String json) {}

    /** The outcome of an update: the stored version and whether it created the subscription. */
    public record Written(Subscription subscription, boolean created) {}

    /** A subscription's state for {@code $status}. */
    public record Status(Subscription subscription, long eventsSinceStart) {}

    /** A subscription that wants notifications (requested or active), for matching record events. */
    public record Listening(UUID id, int version, String organization, List<RecordFilter> filters, Instant createdAt) {}

    @Transactional
    public Subscription create(Subscription subscription, String organization, String fhirBase) {
        SubscriptionRequest request = request(subscription);
        requireRoomFor(organization);
        return write(ResourceIds.newId(), 1, subscription, request, organization, fhirBase, null, false);
    }

    /**
     * Replaces subscription {@code id} (created when none has that id, as FHIR's update allows); {@code ifMatch},
     * when given, must name the current version (412 otherwise).
     */
    @Transactional
    public Written update(String id, Subscription subscription, String caller, Integer ifMatch, String fhirBase) {
        if (!subscription.hasIdElement()
                || !id.equals(subscription.getIdElement().getIdPart())) {
            throw FhirException.badRequest("The resource's id must equal the id in the URL (" + id + ")");
        }
        UUID uuid = ResourceIds.asUuid(id)
                .orElseThrow(() -> FhirException.badRequest("Subscription ids are UUIDs; " + id + " is not one"));
        Optional<Stored> current = current(uuid, true);
        if (current.isPresent() && !current.get().organization().equals(caller)) {
            throw FhirException.notFound("Subscription", id); // as if it did not exist
        }
        if (ifMatch != null && (current.isEmpty() || current.get().version() != ifMatch)) {
            throw new FhirException(
                    412,
                    IssueType.CONFLICT,
                    "Version conflict: If-Match names version " + ifMatch + " but the current version is "
                            + current.map(c -> String.valueOf(c.version())).orElse("none"));
        }
        SubscriptionRequest request = request(subscription);
        if (current.isEmpty()) {
            requireRoomFor(caller);
            return new Written(write(uuid, 1, subscription, request, caller, fhirBase, null, false), true);
        }
        Stored stored = current.get();
        if (stored.deleted()) {
            requireRoomFor(caller);
        }
        return new Written(
                write(uuid, stored.version() + 1, subscription, request, caller, fhirBase, stored, false), false);
    }

    /** Deletes subscription {@code id}: a deleted version, and nothing more is delivered. Deleting twice is a 204. */
    @Transactional
    public void delete(String id, String caller) {
        Stored current = ResourceIds.asUuid(id)
                .flatMap(uuid -> current(uuid, true))
                .filter(c -> c.organization().equals(caller))
                .orElseThrow(() -> FhirException.notFound("Subscription", id));
        if (current.deleted()) {
            return;
        }
        Subscription subscription = parse(current.json());
        subscription.setStatus(SubscriptionStatus.OFF);
        storeVersion(current.id(), current.version() + 1, subscription, "off", null, true);
        dropQueued(current.id());
    }

    /** The current version, if {@code caller} subscribed it; 410 when deleted. */
    public Subscription read(String id, String caller) {
        Stored stored = visible(id, caller);
        if (stored.deleted()) {
            throw FhirException.gone("Subscription", id, stored.version());
        }
        return parse(stored.json());
    }

    /** Version {@code version}, if {@code caller} subscribed it. */
    public Subscription vread(String id, String version, String caller) {
        Stored stored = visible(id, caller);
        int wanted;
        try {
            wanted = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw FhirException.notFound("Subscription", id + "/_history/" + version);
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT resource, deleted FROM subscription_version WHERE id = ? AND version = ?")) {
            select.setObject(1, stored.id());
            select.setInt(2, wanted);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw FhirException.notFound("Subscription", id + "/_history/" + version);
                }
                if (rs.getBoolean(2)) {
                    throw FhirException.gone("Subscription", id, wanted);
                }
                return parse(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read Subscription/" + id + "/_history/" + version, e);
        }
    }

    /** {@code $status}: the current version and how many events it has had since it started. */
    public Status status(String id, String caller) {
        Stored stored = visible(id, caller);
        if (stored.deleted()) {
            throw FhirException.gone("Subscription", id, stored.version());
        }
        return new Status(parse(stored.json()), stored.eventsSinceStart());
    }

    /** The caller's subscriptions, newest first; {@code status} keeps those in that status. */
    public List<Subscription> search(String caller, String status, int count) {
        String sql = "SELECT resource FROM subscription WHERE organization = ? AND NOT deleted"
                + (status == null ? "" : " AND status = ?") + " ORDER BY last_updated DESC, id LIMIT " + count;
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, caller);
            if (status != null) {
                select.setString(2, status);
            }
            List<Subscription> found = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(parse(rs.getString(1)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot search Subscription", e);
        }
    }

    /** The subscriptions that want notifications now (requested or active), with their filters parsed. */
    public List<Listening> listening() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT id, version, organization, filters, created_at"
                        + " FROM subscription WHERE status IN ('requested', 'active') AND NOT deleted"
                        // in id order: a poll's transaction locks the subscriptions it numbers events for in
                        // that order, so two matchers never wait on each other in a cycle
                        + " ORDER BY id")) {
            List<Listening> found = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    List<RecordFilter> filters = new ArrayList<>();
                    for (String criteria : (String[]) rs.getArray(4).getArray()) {
                        filters.add(RecordFilter.parse(criteria, "Subscription.criteria"));
                    }
                    found.add(new Listening(
                            rs.getObject(1, UUID.class),
                            rs.getInt(2),
                            rs.getString(3),
                            List.copyOf(filters),
                            rs.getTimestamp(5).toInstant()));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the subscriptions", e);
        }
    }

    /**
     * The exchange's own change of status ({@code requested} → {@code active} after the handshake, → {@code error}
     * when deliveries keep failing), as a new version; nothing happens when the subscription changed meanwhile (it
     * is no longer at version {@code seenVersion}: the subscriber wrote it, perhaps with another endpoint).
     */
    @Transactional
    public void changeStatus(UUID id, int seenVersion, SubscriptionStatus to, String error) {
        Optional<Stored> current = current(id, true).filter(s -> !s.deleted() && s.version() == seenVersion);
        if (current.isEmpty()) {
            return;
        }
        Stored stored = current.get();
        Subscription subscription = parse(stored.json());
        subscription.setStatus(to);
        subscription.setError(error);
        storeVersion(id, stored.version() + 1, subscription, to.toCode(), null, false);
        if (to == SubscriptionStatus.ERROR) {
            dropQueued(id);
        }
    }

    /**
     * 422 when the organisation has as many subscriptions as it may: each one costs matching on every record
     * committed, so one subscriber must not be able to slow the exchange for all.
     */
    private void requireRoomFor(String organization) {
        try (Connection c = dataSource.getConnection();
                // one creation at a time per organisation, so two at once cannot both pass the count
                PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))");
                PreparedStatement count = c.prepareStatement(
                        "SELECT count(*) FROM subscription WHERE organization = ? AND NOT deleted")) {
            lock.setString(1, "tessera.subscription:" + organization);
            lock.execute();
            count.setString(1, organization);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                if (rs.getLong(1) >= config.maxPerOrganization()) {
                    throw FhirException.unprocessable(
                            "Your organisation has " + rs.getLong(1) + " subscriptions, the most it may have; delete"
                                    + " one, or narrow an existing one's filters instead",
                            "Subscription");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the subscriptions of " + organization, e);
        }
    }

    private SubscriptionRequest request(Subscription subscription) {
        return SubscriptionRequest.of(subscription, endpoints, config.maxEventsPerNotification());
    }

    private Subscription write(
            UUID id,
            int version,
            Subscription subscription,
            SubscriptionRequest request,
            String organization,
            String fhirBase,
            Stored previous,
            boolean deleted) {
        // A subscription that was active keeps going when its delivery did not change; any other one that asks for
        // notifications is (re)confirmed by a handshake first.
        boolean stillActive = previous != null
                && !previous.deleted()
                && previous.status().equals("active")
                && request.status().equals("requested")
                && previous.endpoint().equals(request.endpoint())
                && previous.headers().equals(request.headers());
        String status = stillActive ? "active" : request.status();
        subscription.setStatus(SubscriptionStatus.fromCode(status));
        subscription.setError(null);
        storeVersion(id, version, subscription, status, new Delivery(request, organization, fhirBase), deleted);
        if (!stillActive) {
            dropQueued(id);
            if (status.equals("requested")) {
                queueHandshake(id);
            }
        }
        return subscription;
    }

    /** What a subscriber's write sets besides the resource (null for the exchange's own changes of status). */
    private record Delivery(SubscriptionRequest request, String organization, String fhirBase) {}

    private void storeVersion(
            UUID id, int version, Subscription subscription, String status, Delivery delivery, boolean deleted) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        subscription.setId(id.toString());
        subscription.getMeta().setVersionId(String.valueOf(version)).setLastUpdated(Date.from(now));
        String json = fhir.newJsonParser().encodeResourceToString(subscription);
        try (Connection c = dataSource.getConnection();
                PreparedStatement history = c.prepareStatement("INSERT INTO subscription_version (id, version,"
                        + " deleted, last_updated, resource) VALUES (?, ?, ?, ?, ?)")) {
            if (delivery == null) {
                try (PreparedStatement update = c.prepareStatement("UPDATE subscription SET version = ?, status = ?,"
                        + " deleted = ?, last_updated = ?, resource = ?, failures = CASE WHEN ? = 'active' THEN 0"
                        + " ELSE failures END, retry_at = NULL, lease_until = NULL, lease_token = NULL"
                        + " WHERE id = ?")) {
                    update.setInt(1, version);
                    update.setString(2, status);
                    update.setBoolean(3, deleted);
                    update.setTimestamp(4, Timestamp.from(now));
                    update.setString(5, json);
                    update.setString(6, status);
                    update.setObject(7, id);
                    update.executeUpdate();
                }
            } else {
                try (PreparedStatement upsert = c.prepareStatement("INSERT INTO subscription (id, version,"
                        + " organization, status, topic, filters, endpoint, payload_content, headers, fhir_base,"
                        + " deleted, last_updated, resource, max_count, heartbeat_seconds)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (id) DO UPDATE SET version = excluded.version, status = excluded.status,"
                        + " topic = excluded.topic, filters = excluded.filters, endpoint = excluded.endpoint,"
                        + " payload_content = excluded.payload_content, headers = excluded.headers,"
                        + " fhir_base = excluded.fhir_base, deleted = excluded.deleted,"
                        + " last_updated = excluded.last_updated, resource = excluded.resource,"
                        + " max_count = excluded.max_count, heartbeat_seconds = excluded.heartbeat_seconds,"
                        + " failures = CASE WHEN excluded.status = 'active' THEN subscription.failures ELSE 0 END,"
                        + " retry_at = CASE WHEN excluded.status = 'active' THEN subscription.retry_at END,"
                        // a worker posting under the old settings changes nothing once it is done
                        + " lease_until = NULL, lease_token = NULL")) {
                    SubscriptionRequest request = delivery.request();
                    upsert.setObject(1, id);
                    upsert.setInt(2, version);
                    upsert.setString(3, delivery.organization());
                    upsert.setString(4, status);
                    upsert.setString(5, request.topic());
                    upsert.setArray(
                            6, c.createArrayOf("text", request.filterCriteria().toArray()));
                    upsert.setString(7, request.endpoint());
                    upsert.setString(8, request.payloadContent());
                    upsert.setArray(9, c.createArrayOf("text", request.headers().toArray()));
                    upsert.setString(10, delivery.fhirBase());
                    upsert.setBoolean(11, deleted);
                    upsert.setTimestamp(12, Timestamp.from(now));
                    upsert.setString(13, json);
                    upsert.setInt(14, request.maxCount());
                    upsert.setObject(15, request.heartbeatSeconds(), java.sql.Types.INTEGER);
                    upsert.executeUpdate();
                }
            }
            history.setObject(1, id);
            history.setInt(2, version);
            history.setBoolean(3, deleted);
            history.setTimestamp(4, Timestamp.from(now));
            history.setString(5, json);
            history.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store Subscription/" + id, e);
        }
    }

    private void queueHandshake(UUID id) {
        execute(
                "INSERT INTO subscription_notification (subscription_id, event_number, occurred_at)"
                        + " VALUES (?, 0, now())",
                id);
    }

    private void dropQueued(UUID id) {
        execute("DELETE FROM subscription_notification WHERE subscription_id = ?", id);
    }

    private void execute(String sql, UUID id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setObject(1, id);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot change the notifications of Subscription/" + id, e);
        }
    }

    private Stored visible(String id, String caller) {
        return ResourceIds.asUuid(id)
                .flatMap(uuid -> current(uuid, false))
                .filter(c -> c.organization().equals(caller))
                .orElseThrow(() -> FhirException.notFound("Subscription", id));
    }

    private Optional<Stored> current(UUID id, boolean forUpdate) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT version, organization, status, endpoint,"
                        + " headers, events_since_start, deleted, resource FROM subscription WHERE id = ?"
                        + (forUpdate ? " FOR UPDATE" : ""))) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Stored(
                        id,
                        rs.getInt(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        List.of((String[]) rs.getArray(5).getArray()),
                        rs.getLong(6),
                        rs.getBoolean(7),
                        rs.getString(8)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read Subscription/" + id, e);
        }
    }

    private Subscription parse(String json) {
        return fhir.newJsonParser().parseResource(Subscription.class, json);
    }
}
