/* runners/cli_check.c -- apiconform check: judge the error answers of
 * recorded traffic (HAR files) with the passive checks, and write the same
 * reports as a run. Sends nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../reports/reports.h"
#include "cli.h"
#include "cli_opts.h"
#include "har.h"
#include "passive.h"

enum {
    OPT_CATALOG = 256,
    OPT_ROUTES,
    OPT_ALL,
    OPT_MESSAGE_MATCH,
    OPT_MAX_HAR_SIZE,
    OPT_JUNIT,
    OPT_HTML,
    OPT_MARKDOWN,
    OPT_JSON,
};

static const struct cli_opt check_opts[] = {
    {"catalog", required_argument, OPT_CATALOG, "FILE",
     "the code catalog (default: the shipped one)"},
    {"routes", required_argument, OPT_ROUTES, "FILE", "the route table (default: the shipped one)"},
    {"all", no_argument, OPT_ALL, NULL,
     "also judge answers below 400 whose body carries a \"code\""},
    {"message-match", required_argument, OPT_MESSAGE_MATCH, "MODE",
     "exact (default), normalized or ignore"},
    {"max-har-size", required_argument, OPT_MAX_HAR_SIZE, "BYTES",
     "refuse HAR files larger than this (default 256 MiB)"},
    {"junit", required_argument, OPT_JUNIT, "FILE", "write JUnit XML"},
    {"html", required_argument, OPT_HTML, "FILE", "write the HTML compliance report"},
    {"markdown", required_argument, OPT_MARKDOWN, "FILE", "write the Markdown summary"},
    {"json", required_argument, OPT_JSON, "FILE", "write the JSON results"},
    {"quiet", no_argument, 'q', NULL, "print only the last line"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};
#define NOPTS (sizeof check_opts / sizeof check_opts[0])

const struct cli_opt *cli_check_options(size_t *n)
{
    *n = NOPTS;
    return check_opts;
}

#define MAX_ORIGINS 4

struct check_args {
    const char *catalog_path, *routes_path, *junit, *html, *markdown, *json;
    int all, quiet;
    enum message_mode mode;
    size_t max_bytes;
    int first;
};

static void check_help(void)
{
    struct passive_options po;

    passive_options_default(&po);
    fputs("Usage: apiconform check [OPTIONS] FILE.har...\n"
          "Judge every error answer (status >= 400) of recorded traffic against the error\n",
          stdout);
    check_names_paragraph(stdout, "contract: ", po.enabled, CHECK_NAMES_UNGATED,
                          ". Answers are grouped per (method, route, code); each group is one "
                          "test case of the reports. Answers whose body was not captured or "
                          "was truncated are not judged.");
    fputs("\nOptions:\n", stdout);
    cli_opts_help(stdout, check_opts, NOPTS);
    fputs("\nExit status: 0 every judged answer conforms; 1 at least one does not;\n"
          "2 usage or input error (bad option, unreadable or malformed HAR file);\n"
          "3 nothing could be judged (no error answer, or none with a captured body).\n",
          stdout);
}

static int parse(int argc, char **argv, struct check_args *a)
{
    struct option longopts[NOPTS + 1];
    char shortopts[3 * NOPTS + 2];
    int opt;

    memset(a, 0, sizeof *a);
    a->mode = MESSAGE_EXACT;
    cli_opts_build(check_opts, NOPTS, longopts, shortopts);
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_CATALOG: a->catalog_path = optarg; break;
        case OPT_ROUTES: a->routes_path = optarg; break;
        case OPT_ALL: a->all = 1; break;
        case OPT_MESSAGE_MATCH:
            if (strcmp(optarg, "exact") == 0)
                a->mode = MESSAGE_EXACT;
            else if (strcmp(optarg, "normalized") == 0)
                a->mode = MESSAGE_NORMALIZED;
            else if (strcmp(optarg, "ignore") == 0)
                a->mode = MESSAGE_IGNORE;
            else
                return cli_usage_error("check: --message-match: '%s' is not exact, normalized "
                                       "or ignore",
                                       optarg);
            break;
        case OPT_MAX_HAR_SIZE: {
            char *end;
            unsigned long long v;
            errno = 0;
            v = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || v == 0 || optarg[0] == '-' ||
                v > (unsigned long long)HAR_MAX_BYTES * 16)
                return cli_usage_error("check: --max-har-size: '%s' is not a number of bytes "
                                       "from 1 to %llu",
                                       optarg, (unsigned long long)HAR_MAX_BYTES * 16);
            a->max_bytes = (size_t)v;
            break;
        }
        case OPT_JUNIT: a->junit = optarg; break;
        case OPT_HTML: a->html = optarg; break;
        case OPT_MARKDOWN: a->markdown = optarg; break;
        case OPT_JSON: a->json = optarg; break;
        case 'q': a->quiet = 1; break;
        case 'h': check_help(); return -1;
        default:
            if (optopt && optopt < 256 && strchr(shortopts, optopt))
                return cli_usage_error("check: option '%s' needs an argument", argv[optind - 1]);
            return cli_usage_error("check: unknown option '%s'", argv[optind - 1]);
        }
    }
    a->first = optind;
    if (a->first >= argc)
        return cli_usage_error("check: expected one or more HAR files");
    return 0;
}

struct feed {
    struct passive *p;
    char origins[MAX_ORIGINS][160];
    size_t norigins, more;
};

/* scheme://host:port of a URL, without user information. */
static void origin_of(const char *url, char *out, size_t size)
{
    const char *s = strstr(url, "://"), *host, *end, *at;

    out[0] = '\0';
    if (!s || (size_t)(s - url) > 10)
        return;
    host = s + 3;
    end = host + strcspn(host, "/?#");
    at = memchr(host, '@', (size_t)(end - host));
    if (at)
        host = at + 1;
    snprintf(out, size, "%.*s://%.*s", (int)(s - url), url, (int)(end - host), host);
}

static int on_entry(void *ud, const struct passive_answer *a, struct ac_error *err)
{
    struct feed *f = ud;
    char o[160];
    size_t i;

    (void)err;
    origin_of(a->url, o, sizeof o);
    if (o[0]) {
        for (i = 0; i < f->norigins && strcmp(f->origins[i], o); i++)
            ;
        if (i == f->norigins) {
            if (f->norigins < MAX_ORIGINS)
                snprintf(f->origins[f->norigins++], sizeof f->origins[0], "%s", o);
            else
                f->more++;
        }
    }
    return passive_add(f->p, a, NULL, NULL);
}

static int write_reports(const struct check_args *a, const struct run_results *rr,
                         const struct catalog *cat)
{
    struct ac_error err = AC_ERROR_INIT;
    int rc = report_write_files(rr, cat, a->junit, a->html, a->markdown, a->json, &err);

    if (rc < 0)
        cli_error_ac(&err);
    return rc;
}

int cli_check(int argc, char **argv)
{
    struct check_args a;
    struct catalog *cat = NULL;
    struct route_table *routes = NULL;
    struct redactor *red = NULL;
    struct passive_options po;
    struct passive_stats st;
    struct feed f;
    struct run_results rr;
    struct ac_error err = AC_ERROR_INIT;
    struct ac_buf b = AC_BUF_INIT;
    struct timespec t0, t1;
    char host[256], run_id[24];
    int rc = parse(argc, argv, &a), i;
    size_t k;

    memset(&rr, 0, sizeof rr);
    memset(&f, 0, sizeof f);
    if (rc)
        return rc < 0 ? CLI_EXIT_OK : rc;
    rc = CLI_EXIT_USAGE;
    clock_gettime(CLOCK_REALTIME, &t0);
    cat = cli_load_catalog(a.catalog_path, &err);
    if (!cat) {
        cli_error_ac(&err);
        goto out;
    }
    routes = route_table_load(a.routes_path ? a.routes_path : route_table_default_path(), &err);
    if (!routes) {
        cli_error_ac(&err);
        goto out;
    }
    passive_options_default(&po);
    po.all = a.all;
    po.mode = a.mode;
    red = redact_new();
    f.p = red ? passive_new(cat, routes, red, &po) : NULL;
    if (!f.p) {
        cli_error_nomem();
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    for (i = a.first; i < argc; i++) {
        if (har_read_file(argv[i], a.max_bytes, on_entry, &f, &err) < 0) {
            cli_error_ac(&err);
            rc = err.code == AC_ERR_NOMEM ? CLI_EXIT_ERROR : CLI_EXIT_USAGE;
            goto out;
        }
    }
    clock_gettime(CLOCK_REALTIME, &t1);
    rr.started_unix_ms = (long long)t0.tv_sec * 1000 + t0.tv_nsec / 1000000;
    rr.duration_ms = (long long)t1.tv_sec * 1000 + t1.tv_nsec / 1000000 - rr.started_unix_ms;
    snprintf(run_id, sizeof run_id, "c%06lx",
             ((unsigned long)t0.tv_nsec ^ ((unsigned long)getpid() << 8)) & 0xffffff);
    rr.run_id = ac_strdup(run_id);
    for (k = 0; k < f.norigins; k++)
        ac_buf_addf(&b, "%s%s", k ? ", " : "", f.origins[k]);
    if (f.more)
        ac_buf_addf(&b, " and %zu more", f.more);
    if (!b.len)
        ac_buf_adds(&b, "(recorded traffic)");
    rr.target = redact_dup(red, b.data);
    ac_buf_release(&b);
    rr.tool_version = ac_strdup(AC_VERSION);
    rr.catalog_path = ac_strdup(catalog_source(cat));
    rr.catalog_sha256 = ac_strdup(catalog_sha256(cat));
    for (i = a.first; i < argc; i++)
        ac_buf_addf(&b, "%s%s", i > a.first ? ", " : "", argv[i]);
    rr.suite_path = redact_dup(red, b.data);
    ac_buf_release(&b);
    rr.suite_sha256 = ac_strdup("");
    rr.capabilities = ac_strdup(a.all ? "passive,all" : "passive");
    if (gethostname(host, sizeof host) != 0)
        snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = '\0';
    rr.hostname = ac_strdup(host);
    if (passive_results(f.p, &rr, &err) < 0) {
        cli_error_ac(&err);
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    passive_get_stats(f.p, &st);
    if (!a.quiet) {
        for (k = 0; k < rr.nresults; k++) {
            const struct result *r = &rr.results[k];
            if (r->verdict != VERDICT_FAIL)
                continue;
            printf("FAIL %ld %s: ", r->code, r->scenario_id);
            ac_fput_safe(stdout, r->summary);
            putchar('\n');
        }
    }
    printf("%zu answers, %zu error answers: %zu judged (%zu passed, %zu failed), %zu not judged; "
           "%zu routes and codes\n",
           st.answers, st.considered, st.judged, st.passed, st.failed, st.not_judged + st.overflow,
           rr.nresults);
    if (st.judged == 0) {
        cli_error("nothing could be judged: %s",
                  st.considered ? "no error answer has a captured body"
                  : a.all       ? "no answer has a status >= 400 or a \"code\""
                                : "no answer has a status >= 400");
        rc = CLI_EXIT_ERROR;
    } else
        rc = results_exit_status(&rr);
    if (write_reports(&a, &rr, cat) < 0 && rc < CLI_EXIT_ERROR)
        rc = CLI_EXIT_ERROR;
    rc = cli_memory_verdict(rc);
out:
    ac_buf_release(&b);
    results_release(&rr);
    passive_free(f.p);
    redact_free(red);
    route_table_free(routes);
    catalog_free(cat);
    return rc;
}
