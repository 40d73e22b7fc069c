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

    @Test
    void aRelativeReferenceWithoutAValidIdIsMalformed() {
        for (String malformed : List.of(
                "Patient/",
                "Patient/two words",
                "Patient//x",
                "Patient/" + "a".repeat(65),
                "Patient/é",
                "Patient/x y/_history/1")) {
            assertThat(ResourceIds.isMalformedRelativeReference(malformed))
                    .as(malformed)
                    .isTrue();
        }
        for (String fine : List.of(
                "Patient/p-1.a",
                "Patient/p-1/_history/2",
                "Patient/" + "a".repeat(64),
                "patient/two words",
                "Pati3nt/two words",
                "/Patient/x",
                "https://example.org/fhir/Patient/two words",
                "urn:uuid:0d6b5a1e-3b1c-4f7a-9a51-1c2f5d3e8b10",
                "Patient?identifier=urn:x|1",
                "#contained",
                "a local name")) {
            assertThat(ResourceIds.isMalformedRelativeReference(fine)).as(fine).isFalse();
        }
        assertThat(ResourceIds.isMalformedRelativeReference(null)).isFalse();
    }
}
