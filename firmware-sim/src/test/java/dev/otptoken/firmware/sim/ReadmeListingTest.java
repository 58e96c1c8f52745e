package dev.otptoken.firmware.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * README.md's listing under "The token as a library" is {@link ReadmeExampleTest} between its
 * markers, so the docs cannot go stale: the listing is compiled and run as a test.
 */
class ReadmeListingTest {
    static final String HEADING = "## The token as a library";

    @Test
    void theReadmesListingIsTheExampleTest() throws IOException {
        Path module = Path.of("").toAbsolutePath();
        List<String> readme = Files.readAllLines(module.resolveSibling("README.md"));
        List<String> source = Files.readAllLines(
                module.resolve("src/test/java/dev/otptoken/firmware/sim/ReadmeExampleTest.java"));
        String listing = normalise(between(source, "// README:begin", "// README:end"));
        assertThat(listing).contains("class ReadmeExampleTest");
        assertThat(normalise(codeBlockAfter(readme, HEADING))).isEqualTo(listing);
    }

    /** The lines strictly between the line {@code begin} and the line {@code end}. */
    static List<String> between(List<String> lines, String begin, String end) {
        int from = lines.indexOf(begin);
        int to = lines.indexOf(end);
        assertThat(from).as(begin).isNotNegative();
        assertThat(to).as(end).isGreaterThan(from);
        return lines.subList(from + 1, to);
    }

    /** The first fenced code block after the heading. */
    static List<String> codeBlockAfter(List<String> lines, String heading) {
        int h = lines.indexOf(heading);
        assertThat(h).as("README.md has the heading %s", heading).isNotNegative();
        int open = h + 1;
        while (open < lines.size() && !lines.get(open).startsWith("```")) {
            open++;
        }
        List<String> block = new ArrayList<>();
        for (int i = open + 1; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
            block.add(lines.get(i));
        }
        return block;
    }

    /** Trailing blanks and leading/trailing empty lines go; nothing else is forgiven. */
    static String normalise(List<String> lines) {
        String text = lines.stream().map(String::stripTrailing).collect(Collectors.joining("\n"));
        return text.strip();
    }
}
