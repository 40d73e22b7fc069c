package health.tessera.alerts.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class RecordEventsConsumerTest {

    @Test
    void aDatabaseOutOfReachIsRetriedAndAnythingElseSetsTheEventAside() {
        assertThat(RecordEventsConsumer.databaseUnavailable(
                        new IllegalStateException("cannot record", new SQLException("Connection refused", "08001"))))
                .isTrue();
        assertThat(RecordEventsConsumer.databaseUnavailable(new SQLTransientConnectionException("timeout")))
                .isTrue();
        assertThat(RecordEventsConsumer.databaseUnavailable(
                        new IllegalStateException(new SQLException("Acquisition timeout"))))
                .isTrue();
        assertThat(RecordEventsConsumer.databaseUnavailable(new RuntimeException(
                        new SQLException("duplicate key value violates unique constraint", "23505"))))
                .isFalse();
        assertThat(RecordEventsConsumer.databaseUnavailable(new NullPointerException("v is null")))
                .isFalse();
    }
}
