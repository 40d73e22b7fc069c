package health.tessera.records.domain;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;

/** Record rows in records-service's database. Callers own the transaction. */
@ApplicationScoped
public class RecordRepository {

    private final AgroalDataSource dataSource;

    public RecordRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void insert(StoredRecord record) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement row = c.prepareStatement(
                        "INSERT INTO record (resource_type, id, version, organization, patient_id, resource, last_updated)"
                                + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)");
                PreparedStatement history = c.prepareStatement(
                        "INSERT INTO record_version (resource_type, id, version, resource, last_updated) VALUES (?, ?, ?, ?::jsonb, ?)")) {
            Timestamp lastUpdated = Timestamp.from(record.lastUpdated());
            row.setString(1, record.resourceType());
            row.setObject(2, record.id());
            row.setInt(3, record.version());
            row.setString(4, record.organization());
            row.setString(5, record.patientId());
            row.setString(6, record.json());
            row.setTimestamp(7, lastUpdated);
            row.executeUpdate();
            history.setString(1, record.resourceType());
            history.setObject(2, record.id());
            history.setInt(3, record.version());
            history.setString(4, record.json());
            history.setTimestamp(5, lastUpdated);
            history.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store " + record.resourceType() + "/" + record.id(), e);
        }
    }

    public Optional<StoredRecord> find(String resourceType, UUID id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT version, organization, patient_id, last_updated, resource::text FROM record"
                                + " WHERE resource_type = ? AND id = ? AND NOT deleted")) {
            select.setString(1, resourceType);
            select.setObject(2, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredRecord(
                        resourceType,
                        id,
                        rs.getInt(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant(),
                        rs.getString(5)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + resourceType + "/" + id, e);
        }
    }
}
