package dev.otptoken.host.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * "Did you mean": the names of a command's subcommands or options close to a mistyped one. Close
 * is one edit (an insertion, deletion, substitution or swap of neighbours) for names of up to four
 * characters, two for longer ones, or the start of a name; nothing is guessed for one or two
 * characters, where every name would be close.
 */
final class Suggestions {
    /** At most this many names are offered. */
    private static final int MAX = 3;

    private Suggestions() {
    }

    /**
     * The reason for an unknown command or option, with the names close to it: {@code unknown
     * command 'cod' (did you mean 'code'?)}; null when {@code e} is another kind of mistake.
     */
    static String unmatched(CommandLine.UnmatchedArgumentException e) {
        if (e.getUnmatched().isEmpty()) {
            return null;
        }
        String arg = e.getUnmatched().get(0);
        CommandSpec spec = e.getCommandLine().getCommandSpec();
        if (arg.startsWith("-") && arg.length() > 1) {
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            List<String> options = new ArrayList<>();
            for (OptionSpec o : spec.options()) {
                if (!o.hidden()) {
                    options.addAll(List.of(o.names()));
                }
            }
            return "unknown option '" + name + "'" + didYouMean(close(name, options));
        }
        if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
            return unknownCommand(spec, arg);
        }
        return null;
    }

    /** {@code unknown command 'password sett' (did you mean 'password set'?)}: {@code name} is no subcommand of {@code parent}. */
    static String unknownCommand(CommandSpec parent, String name) {
        String prefix = path(parent);
        List<String> names = new ArrayList<>();
        // a word that names a command one level down ('unlock' for 'password unlock') is offered first
        List<String> offered = new ArrayList<>();
        parent.subcommands().forEach((n, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                names.add(n);
                sub.getSubcommands().forEach((nested, cl) -> {
                    if (nested.equalsIgnoreCase(name) && !cl.getCommandSpec().usageMessage().hidden()) {
                        offered.add(n + " " + nested);
                    }
                });
            }
        });
        offered.addAll(close(name, names));
        return "unknown command '" + prefix + name + "'"
                + didYouMean(offered.stream().distinct().limit(MAX).map(n -> prefix + n).toList());
    }

    /** The words between the program's name and a subcommand of {@code spec}: "" for the program, "password " for password. */
    static String path(CommandSpec spec) {
        String q = spec.qualifiedName(" ");
        int space = q.indexOf(' ');
        return space < 0 ? "" : q.substring(space + 1) + " ";
    }

    private static String didYouMean(List<String> names) {
        if (names.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (did you mean ");
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                sb.append(i == names.size() - 1 ? " or " : ", ");
            }
            sb.append('\'').append(names.get(i)).append('\'');
        }
        return sb.append("?)").toString();
    }

    /** The candidates close to {@code typed}, closest first. */
    static List<String> close(String typed, List<String> candidates) {
        String t = strip(typed).toLowerCase(Locale.ROOT);
        if (t.length() <= 2) {
            return List.of();
        }
        int limit = t.length() <= 4 ? 1 : 2;
        record Scored(String name, int distance) {
        }
        List<Scored> scored = new ArrayList<>();
        for (String c : candidates) {
            String n = strip(c).toLowerCase(Locale.ROOT);
            int d = distance(t, n);
            if (d <= limit && !n.equals(t)) {
                scored.add(new Scored(c, d));
            } else if (n.startsWith(t)) {
                scored.add(new Scored(c, limit + 1));
            }
        }
        return scored.stream().sorted(Comparator.comparingInt(Scored::distance)).map(Scored::name).distinct()
                .limit(MAX).toList();
    }

    private static String strip(String name) {
        int i = 0;
        while (i < name.length() - 1 && name.charAt(i) == '-') {
            i++;
        }
        return name.substring(i);
    }

    /** Edits from a to b: insertions, deletions, substitutions and swaps of two neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
