/* reference/main.c -- apiconform-ref, the command line of the reference
 * server: parses options (the table and the help rows side by side), loads
 * the catalog, starts the server, prints the bound port as the first line of
 * stdout and waits for SIGINT or SIGTERM. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref.h"

#define PROG "apiconform-ref"

enum {
    OPT_HOST = 256,
    OPT_PORT,
    OPT_LATENCY,
    OPT_ASYNC,
    OPT_READ_TIMEOUT,
    OPT_CONN_TIMEOUT,
    OPT_CONN_LIMIT,
    OPT_BODY_LIMIT,
    OPT_FAULTS,
    OPT_STRICT,
    OPT_MUTATE,
    OPT_RATE_LIMIT,
    OPT_QUOTA,
    OPT_APP_KEY,
    OPT_APP_SECRET,
    OPT_CATALOG,
    OPT_CONFIG,
    OPT_QUIET,
    OPT_HELP,
    OPT_VERSION,
};

static const struct {
    const char *name;
    int has_arg;
    int val;
    const char *arg;
    const char *help;
} options[] = {
    {"host", 1, OPT_HOST, "ADDR", "address to listen on (default 127.0.0.1)"},
    {"port", 1, OPT_PORT, "N",
     "port; 0 picks a free one (default 0). The bound port is the "
     "first line of stdout"},
    {"latency-ms", 1, OPT_LATENCY, "MS", "delay added to every response (default 0)"},
    {"async-ms", 1, OPT_ASYNC, "MS", "time asynchronous resources stay CREATING (default 200)"},
    {"read-timeout-ms", 1, OPT_READ_TIMEOUT, "MS",
     "a request body stalled this long gets 408 4080001 (default 1000)"},
    {"connection-timeout", 1, OPT_CONN_TIMEOUT, "S", "idle connections are closed (default 30)"},
    {"connection-limit", 1, OPT_CONN_LIMIT, "N", "concurrent connections (default 256)"},
    {"body-limit", 1, OPT_BODY_LIMIT, "BYTES", "largest request body (default 1048576)"},
    {"faults", 0, OPT_FAULTS, NULL, "honour the X-Fault-Code request header"},
    {"strict", 0, OPT_STRICT, NULL,
     "behave like a real deployment: no extension endpoints, "
     "small quotas (--quota still overrides)"},
    {"mutate", 1, OPT_MUTATE, "NAME[:CODE]",
     "deviate from the contract (repeatable); '--mutate help' lists them"},
    {"rate-limit", 1, OPT_RATE_LIMIT, "N",
     "requests per second per token for every account (0 = none; default: only 'limited', 20)"},
    {"quota", 1, OPT_QUOTA, "NAME=N", "set a quota (repeatable); '--quota help' lists them"},
    {"app-key", 1, OPT_APP_KEY, "KEY", "app_key of the main account (conformance-key)"},
    {"app-secret", 1, OPT_APP_SECRET, "SECRET",
     "app_secret of the main account (conformance-secret)"},
    {"catalog", 1, OPT_CATALOG, "FILE",
     "the error catalog (default catalog/nce-errors.json, "
     "else the installed copy)"},
    {"config", 1, OPT_CONFIG, "FILE", "JSON configuration, applied before the other options"},
    {"quiet", 0, OPT_QUIET, NULL, "no request log on stderr"},
    {"help", 0, OPT_HELP, NULL, "show this help and exit"},
    {"version", 0, OPT_VERSION, NULL, "show the version and exit"},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: %s [OPTION]...\n"
            "Reference implementation of the NetEase Cloud OpenAPI error contract.\n\n",
            PROG);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", options[i].name, options[i].arg ? " " : "",
                 options[i].arg ? options[i].arg : "");
        fprintf(out, "  %-28s %s\n", left, options[i].help);
    }
    fprintf(out, "\nAccounts (app_key / app_secret): main conformance-key / conformance-secret,\n"
                 "other other-key / other-secret, broke (no balance), frozen (4030009),\n"
                 "limited (20 requests/s). GET /__ref/state counts live resources.\n"
                 "Stops cleanly on SIGINT or SIGTERM. Exit status: 0 stopped by a signal,\n"
                 "1 the server could not start, 2 usage error. See reference/README.md.\n");
}

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "%s: %s%s%s%s\n", PROG, msg, arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
    fprintf(stderr, "Try '%s --help' for more information.\n", PROG);
    return 2;
}

static int number(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;

    if (!s || *s < '0' || *s > '9')
        return 0;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || v > max)
        return 0;
    *out = v;
    return 1;
}

static int apply(struct ref_config *cfg, int opt, const char *arg, const char **catalog)
{
    struct ac_error err = AC_ERROR_INIT;
    unsigned long v = 0;

    switch (opt) {
    case OPT_HOST:
        if (strlen(arg) == 0 || strlen(arg) >= sizeof cfg->host)
            return usage_error("bad --host", arg);
        snprintf(cfg->host, sizeof cfg->host, "%s", arg);
        return 0;
    case OPT_PORT:
        if (!number(arg, 65535, &v))
            return usage_error("--port needs a number in [0, 65535], not", arg);
        cfg->port = (int)v;
        return 0;
    case OPT_LATENCY:
    case OPT_ASYNC:
    case OPT_READ_TIMEOUT:
        if (!number(arg, 600000, &v))
            return usage_error("expected milliseconds in [0, 600000], not", arg);
        if (opt == OPT_LATENCY)
            cfg->latency_ms = (unsigned)v;
        else if (opt == OPT_ASYNC)
            cfg->async_ms = (unsigned)v;
        else
            cfg->read_timeout_ms = (unsigned)v;
        return 0;
    case OPT_CONN_TIMEOUT:
        if (!number(arg, 86400, &v))
            return usage_error("--connection-timeout needs seconds in [0, 86400], not", arg);
        cfg->connection_timeout_s = (unsigned)v;
        return 0;
    case OPT_CONN_LIMIT:
        if (!number(arg, 100000, &v) || v == 0)
            return usage_error("--connection-limit needs a number in [1, 100000], not", arg);
        cfg->connection_limit = (unsigned)v;
        return 0;
    case OPT_BODY_LIMIT:
        if (!number(arg, 1024ul * 1024 * 1024, &v))
            return usage_error("--body-limit needs bytes in [0, 1073741824], not", arg);
        cfg->body_limit = v;
        return 0;
    case OPT_FAULTS: cfg->faults = 1; return 0;
    case OPT_STRICT: return 0; /* applied in pass 1 */
    case OPT_QUIET: cfg->quiet = 1; return 0;
    case OPT_RATE_LIMIT:
        if (!number(arg, 1000000, &v))
            return usage_error("--rate-limit needs a number in [0, 1000000], not", arg);
        cfg->rate_limit = (long)v;
        return 0;
    case OPT_MUTATE:
        if (ref_config_add_mutation(cfg, arg, &err) < 0)
            return usage_error(err.text, NULL);
        return 0;
    case OPT_QUOTA:
        if (ref_config_set_quota(cfg, arg, &err) < 0)
            return usage_error(err.text, NULL);
        return 0;
    case OPT_APP_KEY:
    case OPT_APP_SECRET: {
        struct ref_account_config *main_acct = ref_config_account(cfg, "main");
        char *dst = opt == OPT_APP_KEY ? main_acct->app_key : main_acct->app_secret;
        if (strlen(arg) == 0 || strlen(arg) >= sizeof main_acct->app_key)
            return usage_error("credentials must be 1 to 71 bytes:", arg);
        snprintf(dst, sizeof main_acct->app_key, "%s", arg);
        return 0;
    }
    case OPT_CATALOG: *catalog = arg; return 0;
    default: return usage_error("unexpected option", NULL);
    }
}

static void list_mutations(void)
{
    for (int k = 0; k < REF_MUT_COUNT; k++)
        printf("%-24s %s\n", ref_mutation_name((enum ref_mutation_kind)k),
               ref_mutation_help((enum ref_mutation_kind)k));
    printf("\nNAME:CODE applies the mutation to responses with that catalog code only.\n");
}

static void list_quotas(const struct ref_config *cfg)
{
    for (int q = 0; q < REF_Q_COUNT; q++)
        printf("%-20s %6ld  %s\n", ref_quota_name((enum ref_quota)q), cfg->quotas[q],
               ref_quota_help((enum ref_quota)q));
}

int main(int argc, char **argv)
{
    struct option longopts[N_OPTIONS + 1];
    struct ref_config cfg;
    struct ac_error err = AC_ERROR_INIT;
    const char *config = NULL, *catalog_path = NULL;
    struct catalog *cat = NULL;
    struct ref_server *srv;
    sigset_t sigs;
    int opt, sig = 0, quota_help = 0, strict = 0;
    char text[600];

    memset(longopts, 0, sizeof longopts);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        longopts[i].name = options[i].name;
        longopts[i].has_arg = options[i].has_arg ? required_argument : no_argument;
        longopts[i].val = options[i].val;
    }
    ref_config_init(&cfg);

    /* Pass 1: help, version, listings and --config, so that the file is
     * applied first and every other option overrides it. */
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (opt == '?' || opt == ':') {
            const char *bad = argv[optind - 1];
            for (size_t i = 0; i < N_OPTIONS; i++)
                if (options[i].has_arg && strncmp(bad, "--", 2) == 0 &&
                    strcmp(bad + 2, options[i].name) == 0)
                    return usage_error("missing argument for", bad);
            return usage_error("unknown option", bad);
        }
        if (opt == OPT_HELP) {
            usage(stdout);
            return 0;
        }
        if (opt == OPT_VERSION) {
            printf("%s %s\n", PROG, AC_VERSION);
            return 0;
        }
        if (opt == OPT_MUTATE && strcmp(optarg, "help") == 0) {
            list_mutations();
            return 0;
        }
        if (opt == OPT_QUOTA && strcmp(optarg, "help") == 0)
            quota_help = 1;
        if (opt == OPT_STRICT)
            strict = 1;
        if (opt == OPT_CONFIG)
            config = optarg;
    }
    if (optind < argc)
        return usage_error("unexpected argument", argv[optind]);
    /* Strict quotas first, so that --config and --quota override them. */
    if (strict)
        ref_config_strict(&cfg);
    if (quota_help) {
        list_quotas(&cfg);
        return 0;
    }
    if (config && ref_config_load_file(&cfg, config, &err) < 0)
        return usage_error(ac_error_str(&err, text, sizeof text), NULL);
    optind = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        int rc;
        if (opt == OPT_CONFIG)
            continue;
        rc = apply(&cfg, opt, optarg, &catalog_path);
        if (rc)
            return rc;
    }

    cat = catalog_load(catalog_path ? catalog_path : catalog_default_path(), &err);
    if (!cat) {
        fprintf(stderr, "%s: %s\n", PROG, ac_error_str(&err, text, sizeof text));
        return 2;
    }
    /* Block the stop signals before the server's threads exist, so that
     * they inherit the mask and sigwait below receives them. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    srv = ref_server_start(&cfg, cat, &err);
    if (!srv) {
        fprintf(stderr, "%s: %s\n", PROG, ac_error_str(&err, text, sizeof text));
        catalog_free(cat);
        return err.code == AC_ERR_USAGE ? 2 : 1;
    }
    printf("%d\n", ref_server_port(srv));
    fflush(stdout);
    if (!cfg.quiet)
        fprintf(stderr, "%s: listening on %s port %d (%zu codes, faults %s, %zu mutations)\n", PROG,
                cfg.host, ref_server_port(srv), catalog_count(cat), cfg.faults ? "on" : "off",
                cfg.n_mutations);
    if (!cfg.quiet && cfg.strict)
        fprintf(stderr, "%s: strict: no extension endpoints, small quotas\n", PROG);
    while (sigwait(&sigs, &sig) != 0)
        ;
    if (!cfg.quiet)
        fprintf(stderr, "%s: %s, stopping\n", PROG, sig == SIGINT ? "SIGINT" : "SIGTERM");
    ref_server_stop(srv);
    catalog_free(cat);
    return 0;
}
