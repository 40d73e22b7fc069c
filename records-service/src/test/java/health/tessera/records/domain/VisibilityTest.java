package health.tessera.records.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VisibilityTest {

    private static final Visibility.AccessGrant ALICE_AT_A_OBSERVATIONS =
            new Visibility.AccessGrant("org-a", Set.of("a1", "a1-old"), Set.of("Observation"));

    @Test
    void anOrganisationSeesItsOwnRecordsAndWhatAGrantCoversNothingElse() {
        Visibility b = Visibility.organization("org-b", () -> List.of(ALICE_AT_A_OBSERVATIONS));
        assertThat(b.allows("Condition", "org-b", "b1")).isTrue();
        assertThat(b.allows("Observation", "org-a", "a1")).isTrue();
        assertThat(b.allows("Observation", "org-a", "a1-old")).isTrue();
        // another type, another patient, another custodian, a record of no patient
        assertThat(b.allows("Condition", "org-a", "a1")).isFalse();
        assertThat(b.allows("Observation", "org-a", "bob")).isFalse();
        assertThat(b.allows("Observation", "org-c", "a1")).isFalse();
        assertThat(b.allows("Practitioner", "org-a", null)).isFalse();
        // the person the grant is about, whatever types it limits sharing to
        assertThat(b.allows("Patient", "org-a", "a1")).isTrue();
    }

    @Test
    void grantsAreReadOnlyWhenTheCallersOwnRecordsDoNotAnswerTheQuestion() {
        AtomicInteger asked = new AtomicInteger();
        Visibility b = Visibility.organization("org-b", () -> {
            asked.incrementAndGet();
            return List.of(ALICE_AT_A_OBSERVATIONS);
        });
        assertThat(b.allows("Observation", "org-b", "b1")).isTrue();
        assertThat(asked).hasValue(0);
        b.allows("Observation", "org-a", "a1");
        b.recordCondition("r");
        assertThat(asked).hasValue(1);
    }

    @Test
    void theSqlConditionNamesEachGrantWithItsValues() {
        Visibility.Condition own = Visibility.organization("org-b").recordCondition("r");
        assertThat(own.sql()).isEqualTo("r.organization = ?");
        assertThat(own.parameters()).containsExactly("org-b");

        Visibility.Condition shared = Visibility.organization("org-b", () -> List.of(ALICE_AT_A_OBSERVATIONS))
                .recordCondition("r");
        assertThat(shared.sql())
                .isEqualTo("(r.organization = ? OR (r.organization = ? AND r.patient_id = ANY (?)"
                        + " AND r.resource_type = ANY (?)))");
        assertThat(shared.parameters()).hasSize(4).startsWith("org-b", "org-a");
        assertThat((String[]) shared.parameters().get(2)).containsExactlyInAnyOrder("a1", "a1-old");
        assertThat((String[]) shared.parameters().get(3)).containsExactly("Observation");
    }

    @Test
    void aPatientSeesTheirCompartmentInEveryOrganisation() {
        Visibility alice = Visibility.patient("a1", List.of("a1", "b1"));
        assertThat(alice.allows("Observation", "org-b", "b1")).isTrue();
        assertThat(alice.allows("Observation", "org-a", "bob")).isFalse();
        Visibility.Condition condition = alice.recordCondition("r");
        assertThat(condition.sql()).isEqualTo("r.patient_id = ANY (?)");
        assertThat(condition.parameters()).hasSize(1);
        assertThat((String[]) condition.parameters().get(0)).containsExactlyInAnyOrder("a1", "b1");
    }
}
