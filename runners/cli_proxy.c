/* runners/cli_proxy.c -- apiconform proxy: the command around the
 * forwarding proxy of proxy.h, which judges every error answer passing
 * through it with the passive checks (passive.h). Here: the options, the
 * console (the listening line, the FAIL lines and the last line), the
 * signals and --duration that stop it, and the same reports as a run,
 * written when it stops. Bounds and forwarding are proxy.h's. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../reports/reports.h"
#include "cli.h"
#include "cli_opts.h"
#include "passive.h"
#include "proxy.h"

enum {
    OPT_LISTEN = 256,
    OPT_UPSTREAM,
    OPT_CATALOG,
    OPT_ROUTES,
    OPT_ALL,
    OPT_DURATION,
    OPT_EVENTS,
    OPT_MAX_CONN,
    OPT_MAX_BODY,
    OPT_TIMEOUT,
    OPT_JUNIT,
    OPT_HTML,
    OPT_MARKDOWN,
    OPT_JSON,
};

static const struct cli_opt proxy_opts[] = {
    {"listen", required_argument, OPT_LISTEN, "ADDR:PORT",
     "where to accept clients (port 0: any free port)"},
    {"upstream", required_argument, OPT_UPSTREAM, "URL",
     "the target every request is forwarded to"},
    {"catalog", required_argument, OPT_CATALOG, "FILE",
     "the code catalog (default: the shipped one)"},
    {"routes", required_argument, OPT_ROUTES, "FILE", "the route table (default: the shipped one)"},
    {"all", no_argument, OPT_ALL, NULL,
     "also judge answers below 400 whose body carries a \"code\""},
    {"duration", required_argument, OPT_DURATION, "SECONDS",
     "stop after this long (default: at SIGINT/SIGTERM)"},
    {"events", required_argument, OPT_EVENTS, "FILE",
     "one JSON line per judged answer ('-': stdout)"},
    {"max-connections", required_argument, OPT_MAX_CONN, "N",
     "client connections at once (default 64)"},
    {"max-body", required_argument, OPT_MAX_BODY, "BYTES",
     "largest request or answer body (default 64 MiB)"},
    {"timeout", required_argument, OPT_TIMEOUT, "SECONDS",
     "upstream transfer and idle client limit (default 30)"},
    {"junit", required_argument, OPT_JUNIT, "FILE", "write JUnit XML when stopping"},
    {"html", required_argument, OPT_HTML, "FILE", "write the HTML compliance report when stopping"},
    {"markdown", required_argument, OPT_MARKDOWN, "FILE",
     "write the Markdown summary when stopping"},
    {"json", required_argument, OPT_JSON, "FILE", "write the JSON results when stopping"},
    {"quiet", no_argument, 'q', NULL, "print only the listening address and the last line"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};
#define NOPTS (sizeof proxy_opts / sizeof proxy_opts[0])

const struct cli_opt *cli_proxy_options(size_t *n)
{
    *n = NOPTS;
    return proxy_opts;
}

struct proxy_args {
    const char *listen, *upstream, *catalog_path, *routes_path, *events;
    const char *junit, *html, *markdown, *json;
    int all, quiet;
    long duration_s, timeout_s;
    unsigned max_conn;
    unsigned long long max_body;
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

/* ---- command line ------------------------------------------------------------------ */

static void proxy_help(void)
{
    fputs("Usage: apiconform proxy --listen ADDR:PORT --upstream URL [OPTIONS]\n"
          "Forward every request to URL unchanged and judge every error answer (status\n"
          ">= 400) against the error contract, as `apiconform check` does for HAR files.\n"
          "Prints \"listening on http://ADDR:PORT\" first; writes the reports when stopped\n"
          "(SIGINT, SIGTERM or --duration).\n"
          "\n"
          "Options:\n",
          stdout);
    cli_opts_help(stdout, proxy_opts, NOPTS);
    fputs("\nExit status: 0 every judged answer conforms; 1 at least one does not;\n"
          "2 usage error; 3 nothing could be judged, a request could not be forwarded\n"
          "(the upstream failed), or the proxy could not listen.\n",
          stdout);
}

static int number(const char *opt, const char *s, unsigned long long lo, unsigned long long hi,
                  unsigned long long *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v < lo || v > hi)
        return cli_usage_error("proxy: --%s: '%s' is not a number from %llu to %llu", opt, s, lo,
                               hi);
    *out = v;
    return 0;
}

static int parse(int argc, char **argv, struct proxy_args *a)
{
    struct option longopts[NOPTS + 1];
    char shortopts[3 * NOPTS + 2];
    unsigned long long v;
    int opt;

    memset(a, 0, sizeof *a);
    a->max_conn = 64;
    a->max_body = 64ull * 1024 * 1024;
    a->timeout_s = 30;
    cli_opts_build(proxy_opts, NOPTS, longopts, shortopts);
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_LISTEN: a->listen = optarg; break;
        case OPT_UPSTREAM: a->upstream = optarg; break;
        case OPT_CATALOG: a->catalog_path = optarg; break;
        case OPT_ROUTES: a->routes_path = optarg; break;
        case OPT_ALL: a->all = 1; break;
        case OPT_EVENTS: a->events = optarg; break;
        case OPT_DURATION:
            if (number("duration", optarg, 1, 30ull * 86400, &v))
                return CLI_EXIT_USAGE;
            a->duration_s = (long)v;
            break;
        case OPT_MAX_CONN:
            if (number("max-connections", optarg, 1, 1024, &v))
                return CLI_EXIT_USAGE;
            a->max_conn = (unsigned)v;
            break;
        case OPT_MAX_BODY:
            if (number("max-body", optarg, 1, 1ull << 40, &v))
                return CLI_EXIT_USAGE;
            a->max_body = v;
            break;
        case OPT_TIMEOUT:
            if (number("timeout", optarg, 1, 3600, &v))
                return CLI_EXIT_USAGE;
            a->timeout_s = (long)v;
            break;
        case OPT_JUNIT: a->junit = optarg; break;
        case OPT_HTML: a->html = optarg; break;
        case OPT_MARKDOWN: a->markdown = optarg; break;
        case OPT_JSON: a->json = optarg; break;
        case 'q': a->quiet = 1; break;
        case 'h': proxy_help(); return -1;
        default:
            if (optopt && optopt < 256 && strchr(shortopts, optopt))
                return cli_usage_error("proxy: option '%s' needs an argument", argv[optind - 1]);
            return cli_usage_error("proxy: unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("proxy: unexpected argument '%s'", argv[optind]);
    if (!a->listen)
        return cli_usage_error("proxy: --listen ADDR:PORT is required");
    if (!a->upstream)
        return cli_usage_error("proxy: --upstream URL is required");
    if (strncmp(a->upstream, "http://", 7) != 0 && strncmp(a->upstream, "https://", 8) != 0)
        return cli_usage_error("proxy: --upstream: '%s' is not an http:// or https:// URL",
                               a->upstream);
    if (strlen(a->upstream) >= 2048 || strchr(a->upstream, '?') || strchr(a->upstream, '#'))
        return cli_usage_error("proxy: --upstream: a base URL without query or fragment, "
                               "shorter than 2048 bytes");
    return 0;
}

static int parse_listen(const char *s, struct sockaddr_in *sa)
{
    const char *colon = strrchr(s, ':');
    char host[64];
    unsigned long long port;
    char *end;

    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    if (!colon || (size_t)(colon - s) >= sizeof host)
        return cli_usage_error("proxy: --listen: '%s' is not ADDR:PORT (an IPv4 address)", s);
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    errno = 0;
    port = strtoull(colon + 1, &end, 10);
    if (errno || end == colon + 1 || *end || port > 65535)
        return cli_usage_error("proxy: --listen: '%s': the port is not 0..65535", s);
    if (!host[0])
        snprintf(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return cli_usage_error("proxy: --listen: '%s' is not an IPv4 address", host);
    sa->sin_port = htons((uint16_t)port);
    return 0;
}

/* The upstream URL for reports: user information removed. */
static char *public_upstream(const char *u)
{
    const char *host = strstr(u, "://") + 3, *end = host + strcspn(host, "/"),
               *at = memchr(host, '@', (size_t)(end - host));
    struct ac_buf b = AC_BUF_INIT;

    ac_buf_add(&b, u, (size_t)(host - u));
    ac_buf_adds(&b, at ? at + 1 : host);
    return ac_buf_take(&b);
}

int cli_proxy(int argc, char **argv)
{
    struct proxy_args a;
    struct proxy_config pc;
    struct proxy_counts pn;
    struct proxy *px = NULL;
    struct passive *p = NULL;
    struct redactor *red = NULL;
    FILE *events = NULL;
    struct catalog *cat = NULL;
    struct route_table *routes = NULL;
    struct passive_options po;
    struct passive_stats st;
    struct run_results rr;
    struct ac_error err = AC_ERROR_INIT;
    struct sockaddr_in sa;
    struct sigaction sig;
    struct timespec t0, t1, now;
    char host[256], run_id[24], addr[INET_ADDRSTRLEN], upstream[2048];
    unsigned port = 0;
    int rc = parse(argc, argv, &a), events_owned = 0;
    size_t k, n;

    memset(&rr, 0, sizeof rr);
    memset(&pn, 0, sizeof pn);
    if (rc)
        return rc < 0 ? CLI_EXIT_OK : rc;
    rc = CLI_EXIT_USAGE;
    if (parse_listen(a.listen, &sa))
        goto out;
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
    if (a.events && strcmp(a.events, "-") == 0)
        events = stdout;
    else if (a.events) {
        events = fopen(a.events, "w");
        if (!events) {
            cli_error("cannot open '%s': %s", a.events, strerror(errno));
            goto out;
        }
        events_owned = 1;
    }
    snprintf(upstream, sizeof upstream, "%s", a.upstream);
    n = strlen(upstream);
    while (n && upstream[n - 1] == '/')
        upstream[--n] = '\0';
    passive_options_default(&po);
    po.all = a.all;
    red = redact_new();
    p = red ? passive_new(cat, routes, red, &po) : NULL;
    if (!p) {
        cli_error_nomem();
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    /* Credentials in the upstream URL are secrets too. */
    {
        const char *h = strstr(upstream, "://") + 3, *e = h + strcspn(h, "/"),
                   *at = memchr(h, '@', (size_t)(e - h));
        if (at) {
            char cred[512];
            const char *c = memchr(h, ':', (size_t)(at - h));
            snprintf(cred, sizeof cred, "%.*s", (int)(at - (c ? c + 1 : h)), c ? c + 1 : h);
            redact_add(red, cred);
        }
    }
    memset(&sig, 0, sizeof sig);
    sig.sa_handler = on_signal;
    sigaction(SIGINT, &sig, NULL);
    sigaction(SIGTERM, &sig, NULL);
    clock_gettime(CLOCK_REALTIME, &t0);
    memset(&pc, 0, sizeof pc);
    pc.listen = sa;
    pc.upstream = upstream;
    pc.all = a.all;
    pc.max_body = a.max_body;
    pc.timeout_s = a.timeout_s;
    pc.max_conn = a.max_conn;
    pc.p = p;
    pc.events = events;
    px = proxy_start(&pc, &port);
    if (!px) {
        cli_error("cannot listen on %s: %s", a.listen, strerror(errno));
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof addr);
    printf("listening on http://%s:%u\n", addr, port);
    fflush(stdout);
    while (!stopping) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
        clock_gettime(CLOCK_REALTIME, &now);
        if (a.duration_s && now.tv_sec - t0.tv_sec >= a.duration_s)
            break;
    }
    proxy_stop(px, &pn);
    px = NULL;
    clock_gettime(CLOCK_REALTIME, &t1);
    rr.started_unix_ms = (long long)t0.tv_sec * 1000 + t0.tv_nsec / 1000000;
    rr.duration_ms = (long long)t1.tv_sec * 1000 + t1.tv_nsec / 1000000 - rr.started_unix_ms;
    snprintf(run_id, sizeof run_id, "p%06lx",
             ((unsigned long)t0.tv_nsec ^ ((unsigned long)getpid() << 8)) & 0xffffff);
    rr.run_id = ac_strdup(run_id);
    {
        char *pub = public_upstream(upstream);
        rr.target = redact_dup(red, pub ? pub : "");
        free(pub);
    }
    rr.tool_version = ac_strdup(AC_VERSION);
    rr.catalog_path = ac_strdup(catalog_source(cat));
    rr.catalog_sha256 = ac_strdup(catalog_sha256(cat));
    rr.suite_path = ac_strdup("(live traffic through apiconform proxy)");
    rr.suite_sha256 = ac_strdup("");
    rr.capabilities = ac_strdup(a.all ? "passive,all" : "passive");
    if (gethostname(host, sizeof host) != 0)
        snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = '\0';
    rr.hostname = ac_strdup(host);
    if (passive_results(p, &rr, &err) < 0) {
        cli_error_ac(&err);
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    passive_get_stats(p, &st);
    if (!a.quiet)
        for (k = 0; k < rr.nresults; k++) {
            const struct result *r = &rr.results[k];
            if (r->verdict != VERDICT_FAIL)
                continue;
            printf("FAIL %ld %s: ", r->code, r->scenario_id);
            ac_fput_safe(stdout, r->summary);
            putchar('\n');
        }
    printf("%llu requests (%llu not forwarded: upstream failed %llu, too large %llu); "
           "%zu answers, %zu error answers: %zu judged (%zu passed, %zu failed), "
           "%zu not judged; %zu routes and codes\n",
           pn.requests, pn.upstream_errors + pn.refused, pn.upstream_errors, pn.refused, st.answers,
           st.considered, st.judged, st.passed, st.failed, st.not_judged + st.overflow,
           rr.nresults);
    fflush(stdout);
    if (st.judged == 0) {
        cli_error("nothing could be judged: %s", st.considered
                                                     ? "no error answer has a body to judge"
                                                     : "no answer has a status >= 400");
        rc = CLI_EXIT_ERROR;
    } else
        rc = results_exit_status(&rr);
    /* As a scenario in error does for a run: part of the traffic could not
     * be judged because the upstream did not answer. */
    if (pn.upstream_errors) {
        cli_error("%llu request%s could not be forwarded: the upstream failed", pn.upstream_errors,
                  pn.upstream_errors == 1 ? "" : "s");
        rc = CLI_EXIT_ERROR;
    }
    if (report_write_files(&rr, cat, a.junit, a.html, a.markdown, a.json, &err) < 0) {
        cli_error_ac(&err);
        if (rc < CLI_EXIT_ERROR)
            rc = CLI_EXIT_ERROR;
    }
    rc = cli_memory_verdict(rc);
out:
    proxy_stop(px, NULL);
    if (events_owned)
        fclose(events);
    results_release(&rr);
    passive_free(p);
    redact_free(red);
    route_table_free(routes);
    catalog_free(cat);
    return rc;
}
