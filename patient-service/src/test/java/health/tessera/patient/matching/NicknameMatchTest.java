package health.tessera.patient.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NicknameMatchTest {

    private final Nicknames nick = Nicknames.defaults();

    @Test
    void tableHasHundredsOfGroups() {
        assertThat(nick.size()).isGreaterThan(250);
    }

    @Test
    void commonNicknames() {
        assertThat(nick.related("bill", "william")).isTrue();
        assertThat(nick.related("will", "william")).isTrue();
        assertThat(nick.related("bob", "robert")).isTrue();
        assertThat(nick.related("peggy", "margaret")).isTrue();
        assertThat(nick.related("dick", "richard")).isTrue();
        assertThat(nick.related("sally", "sarah")).isTrue();
        assertThat(nick.related("bill", "robert")).isFalse();
        assertThat(nick.related("william", "william")).isFalse();
    }

    @Test
    void aNameCanBelongToSeveralGroups() {
        assertThat(nick.related("al", "albert")).isTrue();
        assertThat(nick.related("al", "alfred")).isTrue();
        assertThat(nick.related("albert", "alfred")).isFalse();
    }

    @Test
    void parsesItsFormat() throws Exception {
        String table = "# comment\nrobert bob rob\n\nsingle\n";
        Nicknames n = Nicknames.parse(new ByteArrayInputStream(table.getBytes(StandardCharsets.UTF_8)));
        assertThat(n.size()).isEqualTo(1);
        assertThat(n.formalName(0)).isEqualTo("robert");
        assertThat(n.related("rob", "bob")).isTrue();
    }
}
