/* runners/cli_report.c -- apiconform report | merge | diff: everything that
 * works from JSON results files instead of a live target. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/reports.h"
#include "cli.h"
#include "cli_color.h"
#include "cli_opts.h"

enum {
    OPT_FROM = 256,
    OPT_JUNIT,
    OPT_HTML,
    OPT_MARKDOWN,
    OPT_JSON,
    OPT_JUNIT_TRANSCRIPTS,
    OPT_COLOR
};

/* One option table and one help page per subcommand. */
static const struct cli_opt report_opts[] = {
    {"from", required_argument, OPT_FROM, "FILE", "the JSON results to read (required)"},
    {"junit", required_argument, OPT_JUNIT, "FILE", "write JUnit XML"},
    {"junit-transcripts", no_argument, OPT_JUNIT_TRANSCRIPTS, NULL,
     "JUnit: passing scenarios' transcripts too"},
    {"html", required_argument, OPT_HTML, "FILE", "write the HTML compliance report"},
    {"markdown", required_argument, OPT_MARKDOWN, "FILE", "write the Markdown summary"},
    {"json", required_argument, OPT_JSON, "FILE", "write the JSON results again"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};
static const struct cli_opt merge_opts[] = {
    {"output", required_argument, 'o', "FILE", "the merged JSON results (required)"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};
static const struct cli_opt diff_opts[] = {
    {"color", required_argument, OPT_COLOR, "WHEN",
     "colour the labels: auto (default), always or never"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};
#define MAX_OPTS 8

struct subcommand {
    const char *name;
    const struct cli_opt *opts;
    size_t nopts;
    const char *usage; /* the Usage line(s) and what it does */
};

static const struct subcommand subcommands[] = {
    {"report", report_opts, sizeof report_opts / sizeof report_opts[0],
     "Usage: apiconform report --from results.json [--junit F] [--html F] [--markdown F]\n"
     "                         [--json F]\n"
     "Rebuild any report from the JSON results of a run (or of merged shards).\n"
     "Exit status: 0 written, 2 bad input or output path, 3 a report could not be written.\n"},
    {"merge", merge_opts, sizeof merge_opts / sizeof merge_opts[0],
     "Usage: apiconform merge part1.json part2.json ... -o all.json\n"
     "Merge the JSON results of the shards of one run (--shard I/N) into one. The\n"
     "parts must share catalog, suite and target, and every shard must be there.\n"
     "Exit status: 0 merged, 2 the parts do not belong together, 3 not written.\n"},
    {"diff", diff_opts, sizeof diff_opts / sizeof diff_opts[0],
     "Usage: apiconform diff old.json new.json\n"
     "Compare two runs scenario by scenario: new failures, fixed, still failing,\n"
     "no longer judged.\n"
     "Exit status: 0 no new failure, 1 new failures, 2 bad input.\n"},
};

struct report_args {
    const char *from, *junit, *html, *markdown, *json, *output;
    int first; /* index of the first operand */
    int junit_transcripts;
    enum cli_color_mode color;
};

static int parse(int argc, char **argv, struct report_args *a)
{
    const struct subcommand *sc = &subcommands[0];
    struct option longopts[MAX_OPTS + 1];
    char shortopts[3 * MAX_OPTS + 2];
    size_t i;
    int opt;

    for (i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (strcmp(argv[0], subcommands[i].name) == 0)
            sc = &subcommands[i];
    memset(a, 0, sizeof *a);
    cli_opts_build(sc->opts, sc->nopts, longopts, shortopts);
    optind = 1;
    while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_FROM: a->from = optarg; break;
        case OPT_JUNIT: a->junit = optarg; break;
        case OPT_HTML: a->html = optarg; break;
        case OPT_MARKDOWN: a->markdown = optarg; break;
        case OPT_JSON: a->json = optarg; break;
        case OPT_JUNIT_TRANSCRIPTS: a->junit_transcripts = 1; break;
        case 'o': a->output = optarg; break;
        case OPT_COLOR:
            if (cli_color_parse(sc->name, optarg, &a->color))
                return CLI_EXIT_USAGE;
            break;
        case 'h':
            fputs(sc->usage, stdout);
            fputs("\nOptions:\n", stdout);
            cli_opts_help(stdout, sc->opts, sc->nopts);
            return -1;
        default: return cli_opts_error(sc->name, opt, argv, sc->opts, sc->nopts);
        }
    }
    a->first = optind;
    return 0;
}

int cli_report(int argc, char **argv)
{
    struct report_args a;
    struct run_results rr;
    struct catalog *cat = NULL;
    struct ac_error err = AC_ERROR_INIT;
    int rc = parse(argc, argv, &a), bad = 0;

    if (rc)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (!a.from)
        return cli_usage_error("report: --from FILE is required");
    if (a.first < argc)
        return cli_usage_error("report: unexpected argument '%s'", argv[a.first]);
    if (!a.junit && !a.html && !a.markdown && !a.json)
        return cli_usage_error("report: name at least one of --junit, --html, --markdown, --json");
    {
        const char *const paths[] = {a.junit, a.html, a.markdown, a.json};
        const char *const names[] = {"--junit", "--html", "--markdown", "--json"};
        size_t k;
        for (k = 0; k < sizeof paths / sizeof paths[0]; k++)
            if (paths[k] && ac_file_check_writable(paths[k], &err) < 0)
                return cli_usage_error("report: %s: %s", names[k], err.text);
    }
    memset(&rr, 0, sizeof rr);
    if (report_json_read(a.from, &rr, &cat, &err) < 0) {
        cli_error_ac(&err);
        return CLI_EXIT_USAGE;
    }
    rr.junit_transcripts = a.junit_transcripts;
    if (report_write_files(&rr, cat, a.junit, a.html, a.markdown, a.json, &err) < 0) {
        cli_error_ac(&err);
        bad = 1;
    }
    results_release(&rr);
    catalog_free(cat);
    return bad ? CLI_EXIT_ERROR : CLI_EXIT_OK;
}

int cli_merge(int argc, char **argv)
{
    struct report_args a;
    struct run_results *parts = NULL, merged;
    struct catalog *cat = NULL;
    struct ac_error err = AC_ERROR_INIT;
    const char **names;
    int rc = parse(argc, argv, &a), i, n;

    if (rc)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (!a.output)
        return cli_usage_error("merge: -o FILE is required");
    if (ac_file_check_writable(a.output, &err) < 0)
        return cli_usage_error("merge: -o: %s", err.text);
    n = argc - a.first;
    if (n < 1)
        return cli_usage_error("merge: expected one or more results files");
    parts = calloc((size_t)n, sizeof *parts);
    names = calloc((size_t)n, sizeof *names);
    memset(&merged, 0, sizeof merged);
    rc = CLI_EXIT_USAGE;
    if (!parts || !names) {
        cli_error_nomem();
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    for (i = 0; i < n; i++) {
        struct catalog *c = NULL;
        names[i] = argv[a.first + i];
        if (report_json_read(names[i], &parts[i], &c, &err) < 0) {
            cli_error_ac(&err);
            goto out;
        }
        if (!cat)
            cat = c;
        else
            catalog_free(c);
    }
    if (report_merge(parts, names, (size_t)n, &merged, &err) < 0) {
        cli_error_ac(&err);
        goto out;
    }
    if (report_json_write_file(&merged, cat, a.output, &err) < 0) {
        cli_error_ac(&err);
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    rc = CLI_EXIT_OK;
out:
    for (i = 0; parts && i < n; i++)
        results_release(&parts[i]);
    results_release(&merged);
    free(parts);
    free(names);
    catalog_free(cat);
    return rc;
}

/* Prints diff's text (already cleaned for the terminal by the writer),
 * its line labels coloured when on. */
static void put_diff_text(const char *text, int on)
{
    static const struct {
        const char *label, *sgr;
    } labels[] = {{"new failure", CLI_SGR_BOLD_RED},
                  {"fixed", CLI_SGR_GREEN},
                  {"still failing", CLI_SGR_RED},
                  {"not judged", CLI_SGR_YELLOW}};
    const char *line = text;

    while (*line) {
        size_t len = strcspn(line, "\n"), k, n = 0;
        for (k = 0; on && k < sizeof labels / sizeof labels[0]; k++) {
            n = strlen(labels[k].label);
            if (strncmp(line, labels[k].label, n) == 0 && line[n] == ' ')
                break;
        }
        if (on && k < sizeof labels / sizeof labels[0]) {
            cli_color_put(stdout, 1, labels[k].sgr, labels[k].label);
            fwrite(line + n, 1, len - n, stdout);
        } else {
            fwrite(line, 1, len, stdout);
        }
        if (line[len] == '\n')
            putchar('\n');
        line += len + (line[len] == '\n');
    }
}

int cli_diff(int argc, char **argv)
{
    struct report_args a;
    struct run_results old_run, new_run;
    struct report_diff d;
    struct ac_error err = AC_ERROR_INIT;
    struct ac_buf text = AC_BUF_INIT;
    int rc = parse(argc, argv, &a), r;

    if (rc)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (argc - a.first != 2)
        return cli_usage_error("diff: expected OLD.json NEW.json");
    memset(&old_run, 0, sizeof old_run);
    memset(&new_run, 0, sizeof new_run);
    memset(&d, 0, sizeof d);
    rc = CLI_EXIT_USAGE;
    if (report_json_read(argv[a.first], &old_run, NULL, &err) < 0 ||
        report_json_read(argv[a.first + 1], &new_run, NULL, &err) < 0) {
        cli_error_ac(&err);
        goto out;
    }
    r = report_diff(&old_run, &new_run, &d, &err);
    if (r < 0) {
        cli_error_ac(&err);
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    report_diff_write_text(&d, &text);
    if (text.len)
        put_diff_text(text.data, cli_color_on(a.color, stdout));
    rc = r ? CLI_EXIT_FAIL : CLI_EXIT_OK;
out:
    ac_buf_release(&text);
    report_diff_release(&d);
    results_release(&old_run);
    results_release(&new_run);
    return rc;
}

static const struct cli_opt baseline_opts[] = {
    {"output", required_argument, 'o', "FILE", "the baseline to write (required)"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};

int cli_baseline(int argc, char **argv)
{
    struct option longopts[sizeof baseline_opts / sizeof baseline_opts[0] + 1];
    char shortopts[3 * (sizeof baseline_opts / sizeof baseline_opts[0]) + 2];
    const size_t nopts = sizeof baseline_opts / sizeof baseline_opts[0];
    const char *output = NULL;
    struct run_results rr;
    struct ac_error err = AC_ERROR_INIT;
    json_t *doc = NULL, *arr = NULL;
    char *text = NULL;
    size_t i, n = 0;
    int opt, rc = CLI_EXIT_USAGE;

    cli_opts_build(baseline_opts, nopts, longopts, shortopts);
    optind = 2; /* argv[0] "baseline", argv[1] the action */
    if (argc < 2 || strcmp(argv[1], "create") != 0) {
        if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
            optind = 1;
        else
            return cli_usage_error("baseline: expected 'baseline create RESULTS.json -o FILE'");
    }
    while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        switch (opt) {
        case 'o': output = optarg; break;
        case 'h':
            fputs("Usage: apiconform baseline create results.json -o known.json\n"
                  "Write a baseline of the failures of a run: one entry per failed\n"
                  "scenario, whose reason you then write (a baseline entry needs one).\n"
                  "Exit status: 0 written, 2 bad input or output path.\n\nOptions:\n",
                  stdout);
            cli_opts_help(stdout, baseline_opts, nopts);
            return CLI_EXIT_OK;
        default: return cli_opts_error("baseline", opt, argv, baseline_opts, nopts);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("baseline create: expected one results file");
    if (!output)
        return cli_usage_error("baseline create: -o FILE is required");
    if (ac_file_check_writable(output, &err) < 0)
        return cli_usage_error("baseline create: -o: %s", err.text);
    memset(&rr, 0, sizeof rr);
    if (report_json_read(argv[optind], &rr, NULL, &err) < 0) {
        cli_error_ac(&err);
        return CLI_EXIT_USAGE;
    }
    doc = json_object();
    arr = json_array();
    if (!doc || !arr || json_object_set_new(doc, "known_failures", arr) < 0) {
        json_decref(arr);
        goto nomem;
    }
    for (i = 0; i < rr.nresults; i++) {
        const struct result *x = &rr.results[i];
        json_t *e;
        if (x->verdict != VERDICT_FAIL)
            continue;
        /* The reason is the user's to write: a placeholder that says so. */
        e = json_pack("{s:I, s:s, s:s}", "code", (json_int_t)x->code, "scenario",
                      x->scenario_id ? x->scenario_id : "", "reason",
                      "TODO: why this failure is accepted (and until when: \"expires\")");
        if (!e || json_array_append_new(arr, e) < 0)
            goto nomem;
        n++;
    }
    text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text)
        goto nomem;
    {
        size_t len = strlen(text);
        char *t2 = realloc(text, len + 2);
        if (!t2)
            goto nomem;
        text = t2;
        text[len] = '\n';
        text[len + 1] = '\0';
    }
    if (ac_file_write_atomic(output, text, strlen(text), &err) < 0) {
        cli_error_ac(&err);
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    fprintf(stderr, "baseline: %zu known failure%s written to %s; write each one's reason\n", n,
            n == 1 ? "" : "s", output);
    rc = CLI_EXIT_OK;
    goto out;
nomem:
    cli_error_nomem();
    rc = CLI_EXIT_ERROR;
out:
    free(text);
    json_decref(doc);
    results_release(&rr);
    return rc;
}

const struct cli_opt *cli_report_options(size_t *n)
{
    *n = sizeof report_opts / sizeof report_opts[0];
    return report_opts;
}

const struct cli_opt *cli_merge_options(size_t *n)
{
    *n = sizeof merge_opts / sizeof merge_opts[0];
    return merge_opts;
}

const struct cli_opt *cli_diff_options(size_t *n)
{
    *n = sizeof diff_opts / sizeof diff_opts[0];
    return diff_opts;
}

const struct cli_opt *cli_baseline_options(size_t *n)
{
    *n = sizeof baseline_opts / sizeof baseline_opts[0];
    return baseline_opts;
}
