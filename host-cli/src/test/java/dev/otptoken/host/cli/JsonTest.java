package dev.otptoken.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesNestedDocumentsInInsertionOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "Example:alice");
        m.put("digits", 6);
        m.put("offset", 0.25);
        m.put("touch", null);
        m.put("ok", true);
        m.put("list", new ArrayList<Object>(Arrays.asList(1L, "x")));
        assertThat(Json.write(m)).isEqualTo(
                "{\"name\":\"Example:alice\",\"digits\":6,\"offset\":0.25,\"touch\":null,\"ok\":true,\"list\":[1,\"x\"]}");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertThat(Json.write("a\"b\\c\nd\u0001é")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001é\"");
    }

    @Test
    void emptyContainers() {
        assertThat(Json.write(Map.of("accounts", List.of()))).isEqualTo("{\"accounts\":[]}");
    }
}
