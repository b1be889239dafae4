/* runners/cli_coverage.c -- apiconform coverage: which catalog codes the
 * suite provokes, how, and which it does not. Exit 1 when a code has no
 * scenario, so CI keeps the suite complete as the catalog grows. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../catalog/catalog.h"
#include "../suite/suite.h"
#include "cli.h"
#include "cli_opts.h"

enum { OPT_SUITE = 256, OPT_CATALOG, OPT_FORMAT };

static const struct cli_opt coverage_opts[] = {
    {"suite", required_argument, OPT_SUITE, "DIR", "scenario directory (default: ./suite)"},
    {"catalog", required_argument, OPT_CATALOG, "FILE", "catalog JSON (default: the shipped one)"},
    {"format", required_argument, OPT_FORMAT, "FMT", "text (default) or json"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};
#define NOPTS (sizeof coverage_opts / sizeof coverage_opts[0])

/* The coverage as one JSON document: per catalog code (file order) its
 * service number and name, message and scenarios, then the totals. */
static int print_json(const struct catalog *cat, const struct suite *s, size_t covered)
{
    json_t *doc = json_object(), *codes = json_array();
    size_t i, k, r;
    char *text;
    int rc = -1;

    if (!doc || !codes || json_object_set_new(doc, "codes", codes) < 0) {
        json_decref(codes);
        goto out;
    }
    for (i = 0; i < catalog_count(cat); i++) {
        const struct catalog_entry *e = catalog_at(cat, i);
        json_t *scs = json_array(),
               *o = json_pack("{s:I, s:i, s:i, s:s, s:s}", "code", (json_int_t)e->code, "status",
                              e->status, "service", e->service, "service_name",
                              catalog_service_name(cat, e->service), "message", e->message);
        if (!scs || !o || json_object_set_new(o, "scenarios", scs) < 0 ||
            json_array_append_new(codes, o) < 0) {
            json_decref(o);
            goto out;
        }
        for (k = 0; k < suite_count(s); k++) {
            const struct scenario *sc = suite_at(s, k);
            json_t *req, *x;
            if (sc->code != e->code)
                continue;
            req = json_array();
            for (r = 0; req && r < sc->nrequires; r++)
                json_array_append_new(req, json_string(sc->requires[r]));
            x = json_pack("{s:s, s:s, s:o}", "id", sc->id, "class", scenario_class_name(sc->cls),
                          "requires", req);
            if (!x || json_array_append_new(scs, x) < 0)
                goto out;
        }
    }
    if (json_object_set_new(doc, "codes_covered", json_integer((json_int_t)covered)) < 0 ||
        json_object_set_new(doc, "codes_total", json_integer((json_int_t)catalog_count(cat))) < 0 ||
        json_object_set_new(doc, "scenarios", json_integer((json_int_t)suite_count(s))) < 0)
        goto out;
    text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (text) {
        puts(text);
        free(text);
        rc = 0;
    }
out:
    json_decref(doc);
    return rc;
}

int cli_coverage(int argc, char **argv)
{
    struct option longopts[NOPTS + 1];
    char shortopts[3 * NOPTS + 2];
    const char *suite_dir = NULL, *catalog_path = NULL, *format = "text";
    struct ac_error err = AC_ERROR_INIT;
    struct catalog *cat = NULL;
    struct suite *s = NULL;
    size_t i, k, covered = 0, missing = 0;
    int opt, rc = CLI_EXIT_USAGE, pass;

    cli_opts_build(coverage_opts, NOPTS, longopts, shortopts);
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_SUITE: suite_dir = optarg; break;
        case OPT_CATALOG: catalog_path = optarg; break;
        case OPT_FORMAT:
            if (strcmp(optarg, "text") && strcmp(optarg, "json"))
                return cli_usage_error("coverage: --format: expected text or json, got '%s'",
                                       optarg);
            format = optarg;
            break;
        case 'h':
            fputs("Usage: apiconform coverage [--suite DIR] [--catalog FILE] [--format text|json]\n"
                  "Per catalog code: its scenarios, their class and requirements. Codes\n"
                  "without a scenario come first; the exit status is 1 when there are any.\n"
                  "\nOptions:\n",
                  stdout);
            cli_opts_help(stdout, coverage_opts, NOPTS);
            return CLI_EXIT_OK;
        default: return cli_opts_error("coverage", opt, argv, coverage_opts, NOPTS);
        }
    }
    if (optind < argc)
        return cli_usage_error("coverage: unexpected argument '%s'", argv[optind]);
    cat = cli_load_catalog(catalog_path, &err);
    if (!cat || !(s = cli_load_suite(suite_dir, cat, &err))) {
        cli_error_ac(&err);
        goto out;
    }
    if (strcmp(format, "json") == 0) {
        for (i = 0; i < catalog_count(cat); i++)
            for (k = 0; k < suite_count(s); k++)
                if (suite_at(s, k)->code == catalog_at(cat, i)->code) {
                    covered++;
                    break;
                }
        if (print_json(cat, s, covered) < 0) {
            cli_error_nomem();
            rc = CLI_EXIT_ERROR;
            goto out;
        }
        rc = covered < catalog_count(cat) ? CLI_EXIT_FAIL : CLI_EXIT_OK;
        goto out;
    }
    /* Two passes: the missing codes first, then the covered ones. */
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < catalog_count(cat); i++) {
            const struct catalog_entry *e = catalog_at(cat, i);
            size_t count = 0;
            for (k = 0; k < suite_count(s); k++)
                count += suite_at(s, k)->code == e->code;
            if (pass == 0 && count == 0) {
                printf("%ld  MISSING   no scenario  %s\n", e->code, e->message);
                missing++;
            }
            if (pass == 1 && count > 0) {
                covered++;
                for (k = 0; k < suite_count(s); k++) {
                    const struct scenario *sc = suite_at(s, k);
                    size_t r;
                    if (sc->code != e->code)
                        continue;
                    printf("%ld  %-9s %-44s", e->code, scenario_class_name(sc->cls), sc->id);
                    for (r = 0; r < sc->nrequires; r++)
                        printf("%s%s", r ? "," : " requires ", sc->requires[r]);
                    putchar('\n');
                }
            }
        }
    }
    printf("%zu of %zu codes covered, %zu scenarios\n", covered, catalog_count(cat),
           suite_count(s));
    rc = missing ? CLI_EXIT_FAIL : CLI_EXIT_OK;
out:
    suite_free(s);
    catalog_free(cat);
    return rc;
}

const struct cli_opt *cli_coverage_options(size_t *n)
{
    *n = NOPTS;
    return coverage_opts;
}
