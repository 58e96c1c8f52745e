package dev.otptoken.packaging;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Collections;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * A man page in troff ({@code man(7)} macros) from a picocli command model: NAME, SYNOPSIS,
 * DESCRIPTION, OPTIONS and ARGUMENTS of the command, a COMMANDS section with every visible
 * subcommand (nested ones too) with its synopsis, description, own options, arguments and
 * footer, then the command's footer and exit statuses. The text is the help's text; only its
 * layout is troff's. Written here because picocli's ManPageGenerator writes AsciiDoc, which
 * would need asciidoctor (Ruby) in every build (docs/decisions.md, "Man pages and completion").
 */
public final class ManPage {
    private final StringBuilder out = new StringBuilder();

    private ManPage() {
    }

    /** The page of {@code cl}'s command, section 1, marked with {@code version}. */
    public static String of(CommandLine cl, String version) {
        ManPage page = new ManPage();
        page.page(cl.getCommandSpec(), version);
        return page.out.toString();
    }

    private void page(CommandSpec spec, String version) {
        String name = spec.name();
        UsageMessageSpec usage = spec.usageMessage();
        line(".\\\" Generated from the picocli model of " + name + " by dev.otptoken.packaging.ManPage; do not edit.");
        line(".TH " + quote(name.toUpperCase(Locale.ROOT)) + " 1 \"\" " + quote(name + " " + version)
                + " \"User Commands\"");
        line(".nh"); // command and option names are not hyphenated
        line(".ad l");
        line(".SH NAME");
        line(escape(name) + " \\- " + escape(firstSentence(String.join(" ", description(usage)))));
        line(".SH SYNOPSIS");
        synopsis(spec);
        line(".SH DESCRIPTION");
        paragraphs(description(usage));
        options(".SH OPTIONS", spec, true);
        arguments(".SH ARGUMENTS", spec);
        List<CommandLine> subs = visibleSubcommands(spec);
        if (!subs.isEmpty()) {
            line(".SH COMMANDS");
            for (CommandLine sub : subs) {
                command(sub.getCommandSpec());
            }
        }
        if (usage.footer().length > 0) {
            line(".SH NOTES");
            paragraphs(usage.footer());
        }
        exitCodes(".SH \"EXIT STATUS\"", usage);
    }

    /** One subcommand and, after it, its own subcommands. */
    private void command(CommandSpec spec) {
        UsageMessageSpec usage = spec.usageMessage();
        line(".SS " + quote(spec.qualifiedName(" ")));
        synopsis(spec);
        paragraphs(description(usage));
        options(".PP\nOptions:", spec, false);
        arguments(".PP\nArguments:", spec);
        if (usage.footer().length > 0) {
            paragraphs(usage.footer());
        }
        exitCodes(".PP\nExit status:", usage);
        for (CommandLine sub : visibleSubcommands(spec)) {
            command(sub.getCommandSpec());
        }
    }

    private void synopsis(CommandSpec spec) {
        Help help = new Help(spec, Help.defaultColorScheme(Help.Ansi.OFF));
        String text = help.synopsis(0).strip();
        line(".nf");
        for (String l : text.split("\\R")) {
            line(escape(l));
        }
        line(".fi");
    }

    /**
     * The options a user reads here: on the page's command all of them; on a subcommand its
     * own, without the inherited global ones and without -h/-V, which every command has.
     */
    private void options(String heading, CommandSpec spec, boolean top) {
        List<OptionSpec> shown = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (o.hidden() || (!top && (o.inherited() || o.usageHelp() || o.versionHelp()))) {
                continue;
            }
            shown.add(o);
        }
        if (shown.isEmpty()) {
            return;
        }
        line(heading);
        for (OptionSpec o : shown) {
            line(".TP");
            StringBuilder names = new StringBuilder();
            for (String n : o.names()) {
                names.append(names.length() == 0 ? "" : ", ").append("\\fB").append(escape(n)).append("\\fR");
            }
            if (o.typeInfo().isBoolean() || o.arity().max() == 0) {
                line(names.toString());
            } else {
                String sep = o.arity().min() == 0 ? "[=" : "=";
                line(names + sep + "\\fI" + escape(o.paramLabel()) + "\\fR" + (o.arity().min() == 0 ? "]" : ""));
            }
            line(escape(joinLines(o.description())));
        }
    }

    private void arguments(String heading, CommandSpec spec) {
        List<PositionalParamSpec> shown = new ArrayList<>();
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden() && p.description().length > 0) {
                shown.add(p);
            }
        }
        if (shown.isEmpty()) {
            return;
        }
        line(heading);
        for (PositionalParamSpec p : shown) {
            line(".TP");
            line("\\fI" + escape(p.paramLabel()) + "\\fR");
            line(escape(joinLines(p.description())));
        }
    }

    private void exitCodes(String heading, UsageMessageSpec usage) {
        Map<String, String> codes = usage.exitCodeList();
        if (codes.isEmpty()) {
            return;
        }
        line(heading);
        codes.forEach((code, meaning) -> {
            line(".TP");
            line("\\fB" + escape(code.strip()) + "\\fR");
            line(escape(format(meaning)));
        });
    }

    /**
     * Help text lines as troff: an empty line starts a paragraph, an indented line (an example)
     * is kept as it is, every other line is filled text.
     */
    private void paragraphs(String[] lines) {
        boolean verbatim = false;
        boolean started = false;
        line(".PP");
        for (String raw : lines) {
            for (String l : format(raw).split("\\R", -1)) {
                if (l.isBlank()) {
                    if (verbatim) {
                        line(".fi");
                        verbatim = false;
                    }
                    if (started) {
                        line(".PP");
                    }
                    continue;
                }
                boolean indented = l.startsWith(" ");
                if (indented && !verbatim) {
                    line(".nf");
                    verbatim = true;
                } else if (!indented && verbatim) {
                    line(".fi");
                    verbatim = false;
                }
                line(escape(indented ? l : l.strip()));
                started = true;
            }
        }
        if (verbatim) {
            line(".fi");
        }
    }

    private static String[] description(UsageMessageSpec usage) {
        return usage.description();
    }

    private static List<CommandLine> visibleSubcommands(CommandSpec spec) {
        Set<CommandLine> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<CommandLine> subs = new ArrayList<>();
        for (CommandLine sub : spec.subcommands().values()) {
            if (!sub.getCommandSpec().usageMessage().hidden() && seen.add(sub)) {
                subs.add(sub);
            }
        }
        return subs;
    }

    /** picocli formats help lines with String.format: %n is a line break, %% a percent sign. */
    private static String format(String s) {
        return s.replace("%n", "\n").replace("%%", "%");
    }

    private static String joinLines(String[] lines) {
        return format(String.join(" ", lines)).replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static String firstSentence(String text) {
        String t = format(text).replaceAll("\\s+", " ").strip();
        int dot = t.indexOf(". ");
        t = dot < 0 ? t : t.substring(0, dot + 1);
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }

    /** Text safe in troff: backslashes, hyphens (as minus signs), and a leading dot or quote. */
    static String escape(String s) {
        String e = s.replace("\\", "\\e").replace("-", "\\-");
        if (e.startsWith(".") || e.startsWith("'")) {
            e = "\\&" + e;
        }
        return e;
    }

    private static String quote(String s) {
        return "\"" + escape(s).replace("\"", "\\(dq") + "\"";
    }

    private void line(String l) {
        out.append(l).append('\n');
    }
}
