package health.tessera.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ResourceIdsTest {

    @Test
    void newIdsAreVersion7AndComeInTheOrderTheyWereMade() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(ResourceIds.newId());
        }
        assertThat(ids).allMatch(id -> id.version() == 7).doesNotHaveDuplicates();
        assertThat(ids.stream().map(UUID::toString).toList()).isSorted();
        assertThat(ResourceIds.asUuid(ids.get(0).toString())).contains(ids.get(0));
    }
}
