package health.tessera.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseUnavailableTest {

    @Test
    void aDatabaseOutOfReachIsRetriedAndAnythingElseSetsTheEventAside() {
        assertThat(IdempotentConsumer.databaseUnavailable(
                        new IllegalStateException("cannot record", new SQLException("Connection refused", "08001"))))
                .isTrue();
        assertThat(IdempotentConsumer.databaseUnavailable(new SQLTransientConnectionException("timeout")))
                .isTrue();
        assertThat(IdempotentConsumer.databaseUnavailable(
                        new IllegalStateException(new SQLException("Acquisition timeout"))))
                .isTrue();
        assertThat(IdempotentConsumer.databaseUnavailable(new RuntimeException(
                        new SQLException("duplicate key value violates unique constraint", "23505"))))
                .isFalse();
        assertThat(IdempotentConsumer.databaseUnavailable(new NullPointerException("v is null")))
                .isFalse();
    }
}
