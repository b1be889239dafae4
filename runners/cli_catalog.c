/* runners/cli_catalog.c -- apiconform catalog list|show|lint|import. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../catalog/catalog.h"
#include "cli.h"
#include "cli_opts.h"

enum { OPT_CATALOG = 256, OPT_SERVICE, OPT_STATUS, OPT_FORMAT, OPT_ACCEPTED, OPT_NO_ACCEPTED };

static const struct cli_opt catalog_opts[] = {
    {"catalog", required_argument, OPT_CATALOG, "FILE", "catalog JSON (default: the shipped one)"},
    {"service", required_argument, OPT_SERVICE, "NN", "list: only codes of service NN"},
    {"status", required_argument, OPT_STATUS, "NNN", "list: only codes of HTTP status NNN"},
    {"format", required_argument, OPT_FORMAT, "FMT", "list: text (default), json or tsv"},
    {"output", required_argument, 'o', "FILE", "import: write the JSON here (default stdout)"},
    {"accepted", required_argument, OPT_ACCEPTED, "FILE",
     "lint: anomalies accepted as published (default: CATALOG.lint-accepted.json beside it)"},
    {"no-accepted", no_argument, OPT_NO_ACCEPTED, NULL,
     "lint: show every anomaly, accepted or not"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};
#define NOPTS (sizeof catalog_opts / sizeof catalog_opts[0])

static void catalog_help(void)
{
    fputs("Usage: apiconform catalog list [--service NN] [--status NNN] [--format text|json|tsv]\n"
          "       apiconform catalog show CODE\n"
          "       apiconform catalog lint [FILE]\n"
          "       apiconform catalog import FILE.md [-o FILE.json]\n"
          "Inspect, check or import the catalog of error codes (the contract).\n"
          "\n"
          "Options:\n",
          stdout);
    cli_opts_help(stdout, catalog_opts, NOPTS);
    fputs("\n"
          "lint exits 0 when the catalog is valid (warnings are printed but do not fail),\n"
          "2 when it is not. import reads the first Markdown table whose header names a\n"
          "code column and a message column, and writes catalog JSON.\n",
          stdout);
}

/* Parses a whole decimal number in [lo, hi]; -1 when it is not one. */
static long parse_num(const char *s, long lo, long hi)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    return v;
}

static void tsv_field(const char *s)
{
    for (; *s; s++) {
        if (*s == '\t')
            fputs("\\t", stdout);
        else if (*s == '\n')
            fputs("\\n", stdout);
        else if (*s == '\\')
            fputs("\\\\", stdout);
        else
            putchar(*s);
    }
}

static int do_list(const struct catalog *c, long service, long status, const char *format)
{
    json_t *arr = NULL;
    size_t i, shown = 0;
    int rc = CLI_EXIT_ERROR;

    for (i = 0; i < catalog_count(c); i++) {
        const struct catalog_entry *e = catalog_at(c, i);
        shown += !((service >= 0 && e->service != service) || (status >= 0 && e->status != status));
    }
    if (shown == 0) {
        /* An empty list would read as "the catalog has none" with exit 0,
         * whether that is so or the filter has a typo. */
        if (service >= 0 && status >= 0)
            return cli_usage_error("catalog list: no code has service %02ld and status %ld",
                                   service, status);
        if (service >= 0)
            return cli_usage_error("catalog list: no code has service %02ld", service);
        return cli_usage_error("catalog list: no code has status %ld", status);
    }
    if (strcmp(format, "json") == 0 && !(arr = json_array()))
        goto out;
    if (strcmp(format, "tsv") == 0)
        puts("code\tstatus\tservice\tmessage");
    for (i = 0; i < catalog_count(c); i++) {
        const struct catalog_entry *e = catalog_at(c, i);
        if ((service >= 0 && e->service != service) || (status >= 0 && e->status != status))
            continue;
        if (arr) {
            json_t *o = json_pack("{s:I, s:i, s:i, s:s, s:i, s:s}", "code", (json_int_t)e->code,
                                  "status", e->status, "service", e->service, "service_name",
                                  catalog_service_name(c, e->service), "detail", e->detail,
                                  "message", e->message);
            if (!o || json_array_append_new(arr, o) < 0)
                goto out;
        } else if (strcmp(format, "tsv") == 0) {
            printf("%ld\t%d\t%02d\t", e->code, e->status, e->service);
            tsv_field(e->message);
            putchar('\n');
        } else {
            printf("%ld  %d  %02d %-14s  %s\n", e->code, e->status, e->service,
                   catalog_service_name(c, e->service), e->message);
        }
    }
    if (arr) {
        char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (!s)
            goto out;
        puts(s);
        free(s);
    }
    rc = CLI_EXIT_OK;
out:
    if (rc != CLI_EXIT_OK)
        cli_error_nomem();
    json_decref(arr);
    return rc;
}

static int do_show(const struct catalog *c, const char *arg)
{
    const struct catalog_entry *e;
    long code = parse_num(arg, CATALOG_CODE_MIN, CATALOG_CODE_MAX);

    if (code < 0)
        return cli_usage_error("'%s' is not a 7-digit code", arg);
    e = catalog_find(c, code);
    if (!e) {
        cli_error("code %ld is not in the catalog %s", code, catalog_source(c));
        return CLI_EXIT_USAGE;
    }
    printf("code:        %ld\n", e->code);
    printf("status:      %d\n", e->status);
    printf("service:     %02d (%s)\n", e->service, catalog_service_name(c, e->service));
    printf("detail:      %02d\n", e->detail);
    printf("message:     %s\n", e->message);
    if (e->description[0])
        printf("description: %s\n", e->description);
    if (e->solution[0])
        printf("solution:    %s\n", e->solution);
    return CLI_EXIT_OK;
}

/* Anomalies of a catalog that are the contract as published (the seed's
 * identical and near-identical messages): acknowledged once, in a file
 * beside the catalog, so lint stays quiet about them and loud about new
 * ones. {"accepted": [{"codes": [4000001, 4000401], "reason": "..."}]} */
struct accepted {
    const char *path; /* the catalog, for messages */
    long (*pairs)[2];
    int *used;
    size_t n, hits, shown;
};

static void print_lint(void *ud, enum catalog_lint_kind kind, long a, long b, const char *text)
{
    struct accepted *acc = ud;
    size_t i;

    for (i = 0; i < acc->n; i++) {
        if ((acc->pairs[i][0] == a && acc->pairs[i][1] == b) ||
            (acc->pairs[i][0] == b && acc->pairs[i][1] == a)) {
            acc->used[i] = 1;
            acc->hits++;
            return;
        }
    }
    acc->shown++;
    printf("%s: warning: %s: %s\n", acc->path,
           kind == CATALOG_LINT_SAME_MESSAGE ? "same-message" : "near-message", text);
}

/* Loads an accepted-anomalies file; 0, or -1 after saying why (file,
 * field, what was expected). */
static int load_accepted(const char *file, struct accepted *acc)
{
    json_error_t je;
    json_t *root = json_load_file(file, JSON_REJECT_DUPLICATES, &je), *arr, *e;
    size_t i;

    if (!root) {
        cli_error("%s:%d:%d: not valid JSON: %s", file, je.line, je.column, je.text);
        return -1;
    }
    arr = json_object_get(root, "accepted");
    if (!json_is_object(root) || json_object_size(root) != 1 || !json_is_array(arr)) {
        cli_error("%s: expected an object with one key, \"accepted\", an array", file);
        json_decref(root);
        return -1;
    }
    acc->pairs = calloc(json_array_size(arr) + 1, sizeof *acc->pairs);
    acc->used = calloc(json_array_size(arr) + 1, sizeof *acc->used);
    if (!acc->pairs || !acc->used) {
        cli_error_nomem();
        json_decref(root);
        return -1;
    }
    json_array_foreach (arr, i, e) {
        json_t *codes = json_object_get(e, "codes"), *reason = json_object_get(e, "reason");
        if (!json_is_object(e) || !json_is_array(codes) || json_array_size(codes) != 2 ||
            !json_is_integer(json_array_get(codes, 0)) ||
            !json_is_integer(json_array_get(codes, 1)) || !json_is_string(reason) ||
            !json_string_length(reason) || json_object_size(e) != 2) {
            cli_error("%s: accepted[%zu]: expected {\"codes\": [CODE, CODE], \"reason\": "
                      "\"...\"} and nothing else",
                      file, i);
            json_decref(root);
            return -1;
        }
        acc->pairs[i][0] = (long)json_integer_value(json_array_get(codes, 0));
        acc->pairs[i][1] = (long)json_integer_value(json_array_get(codes, 1));
    }
    acc->n = json_array_size(arr);
    json_decref(root);
    return 0;
}

static void print_error(void *ud, const struct ac_error *e)
{
    (void)ud;
    cli_error_ac(e);
}

static int do_lint(const char *path, const char *accepted_path, int no_accepted)
{
    struct catalog *c = NULL;
    struct accepted acc;
    char beside[4096];
    size_t i, len = strlen(path);
    int rc = CLI_EXIT_USAGE, errors = catalog_check_file(path, print_error, NULL, &c);

    memset(&acc, 0, sizeof acc);
    acc.path = path;
    if (errors) {
        /* Every error is named, not only the first. */
        if (errors > 1)
            fprintf(stderr, "%s: %d errors\n", path, errors);
        return CLI_EXIT_USAGE;
    }
    if (!accepted_path && !no_accepted) {
        snprintf(beside, sizeof beside, "%.*s.lint-accepted.json",
                 (int)(len > 5 && !strcmp(path + len - 5, ".json") ? len - 5 : len), path);
        if (access(beside, R_OK) == 0)
            accepted_path = beside;
    }
    if (accepted_path && !no_accepted && load_accepted(accepted_path, &acc) < 0)
        goto out;
    catalog_lint(c, print_lint, &acc);
    for (i = 0; i < acc.n; i++)
        if (!acc.used[i]) {
            printf("%s: warning: stale: %s accepts %ld and %ld, which are no anomaly of this "
                   "catalog\n",
                   path, accepted_path, acc.pairs[i][0], acc.pairs[i][1]);
            acc.shown++;
        }
    printf("%s: %zu code%s, valid, %zu warning%s", path, catalog_count(c),
           catalog_count(c) == 1 ? "" : "s", acc.shown, acc.shown == 1 ? "" : "s");
    if (acc.hits)
        printf(", %zu accepted as published (%s)", acc.hits, accepted_path);
    putchar('\n');
    rc = CLI_EXIT_OK;
out:
    free(acc.pairs);
    free(acc.used);
    catalog_free(c);
    return rc;
}

static int do_import(const char *md_path, const char *out_path)
{
    struct ac_error err = AC_ERROR_INIT;
    struct ac_buf md = AC_BUF_INIT, json = AC_BUF_INIT;
    int rc = CLI_EXIT_USAGE;

    if (out_path && ac_file_check_writable(out_path, &err) < 0)
        return cli_usage_error("catalog import: -o: %s", err.text);
    if (ac_file_read(md_path, CATALOG_MAX_FILE_BYTES, &md, &err) < 0 ||
        catalog_import_markdown(md_path, md.data, md.len, &json, &err) < 0) {
        cli_error_ac(&err);
        goto out;
    }
    if (ac_file_write_atomic(out_path ? out_path : "-", json.data, json.len, &err) < 0) {
        cli_error_ac(&err);
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    rc = CLI_EXIT_OK;
out:
    ac_buf_release(&md);
    ac_buf_release(&json);
    return rc;
}

int cli_catalog(int argc, char **argv)
{
    struct option longopts[NOPTS + 1];
    char shortopts[3 * NOPTS + 2];
    const char *catalog_path = NULL, *format = "text", *out_path = NULL, *sub;
    const char *accepted = NULL;
    int no_accepted = 0;
    long service = -1, status = -1;
    struct ac_error err = AC_ERROR_INIT;
    struct catalog *c = NULL;
    int opt, rc;

    cli_opts_build(catalog_opts, NOPTS, longopts, shortopts);
    if (argc < 2)
        return cli_usage_error("catalog: missing subcommand (list, show, lint, import)");
    sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        catalog_help();
        return CLI_EXIT_OK;
    }
    optind = 1;
    opterr = 0;
    argc--;
    argv++;
    while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_CATALOG: catalog_path = optarg; break;
        case OPT_SERVICE:
            service = parse_num(optarg, 0, 99);
            if (service < 0)
                return cli_usage_error("--service: expected a number 00-99, got '%s'", optarg);
            break;
        case OPT_STATUS:
            status = parse_num(optarg, 100, 599);
            if (status < 0)
                return cli_usage_error("--status: expected an HTTP status, got '%s'", optarg);
            break;
        case OPT_ACCEPTED: accepted = optarg; break;
        case OPT_NO_ACCEPTED: no_accepted = 1; break;
        case OPT_FORMAT:
            if (strcmp(optarg, "text") && strcmp(optarg, "json") && strcmp(optarg, "tsv"))
                return cli_usage_error("--format: expected text, json or tsv, got '%s'", optarg);
            format = optarg;
            break;
        case 'o': out_path = optarg; break;
        case 'h': catalog_help(); return CLI_EXIT_OK;
        default: return cli_opts_error("catalog", opt, argv, catalog_opts, NOPTS);
        }
    }
    if (strcmp(sub, "import") == 0) {
        if (optind + 1 != argc)
            return cli_usage_error("catalog import: expected one Markdown FILE");
        return do_import(argv[optind], out_path);
    }
    if (strcmp(sub, "lint") == 0) {
        if (optind + 1 < argc)
            return cli_usage_error("catalog lint: expected at most one FILE");
        return do_lint(optind < argc  ? argv[optind]
                       : catalog_path ? catalog_path
                                      : catalog_default_path(),
                       accepted, no_accepted);
    }
    if (strcmp(sub, "list") && strcmp(sub, "show"))
        return cli_usage_error("catalog: unknown subcommand '%s'", sub);
    if (strcmp(sub, "show") == 0 && optind + 1 != argc)
        return cli_usage_error("catalog show: expected one CODE");
    if (strcmp(sub, "list") == 0 && optind != argc)
        return cli_usage_error("catalog list: unexpected argument '%s'", argv[optind]);
    c = cli_load_catalog(catalog_path, &err);
    if (!c) {
        cli_error_ac(&err);
        return CLI_EXIT_USAGE;
    }
    rc = strcmp(sub, "show") == 0 ? do_show(c, argv[optind]) : do_list(c, service, status, format);
    catalog_free(c);
    return rc;
}

const struct cli_opt *cli_catalog_options(size_t *n)
{
    *n = NOPTS;
    return catalog_opts;
}
