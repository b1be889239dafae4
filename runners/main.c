/* runners/main.c -- apiconform: dispatch to subcommands. */
#include <curl/curl.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef AC_VERSION
#define AC_VERSION "0.0.0"
#endif

static const char usage_text[] =
    "Usage: apiconform COMMAND [OPTIONS]\n"
    "Conformance tests for an HTTP API's error contract.\n"
    "\n"
    "Commands:\n"
    "  run --base-url URL [OPTIONS]    send the suite to a target and check the answers\n"
    "  check FILE.har...               judge the error answers of recorded traffic\n"
    "  proxy --upstream URL [OPTIONS]  forward live traffic, judge its error answers\n"
    "  coverage                        which catalog codes the suite provokes\n"
    "  report --from results.json      rebuild reports from a results file\n"
    "  merge A.json B.json -o OUT      merge the results of shards\n"
    "  diff OLD.json NEW.json          new failures, fixed, still failing\n"
    "  baseline create R.json -o F     a baseline of a run's failures\n"
    "  sweep --base-url URL            delete what interrupted runs left behind\n"
    "  doctor --profile FILE           is the target ready for a run (read-only)\n"
    "  catalog list|show|lint|import   inspect, check or import the code catalog\n"
    "  scenario new CODE               print the skeleton of a new scenario file\n"
    "  completion bash|zsh             print a shell completion script\n"
    "\n"
    "Options:\n"
    "  -h, --help      show this help and exit\n"
    "  -V, --version   show the version and exit\n"
    "\n"
    "Exit status: 0 every scenario that ran passed; 1 at least one failure;\n"
    "2 usage or input error (nothing was sent); 3 the target could not be judged.\n"
    "Run 'apiconform COMMAND --help' for a command's options.\n";

/* jansson asserts instead of failing cleanly when some of its allocations
 * fail mid-parse (2.14, lex_scan_string). Its allocations therefore come
 * with a reserve: when one fails, the reserve is released and the
 * allocation tried again, and the run is marked as having run out of
 * memory, so it ends in error instead of a crash. */
static void *reserve;
static int memory_ran_out;

static void *json_alloc(size_t n)
{
    void *p = malloc(n);

    if (!p) {
        memory_ran_out = 1;
        free(reserve);
        reserve = NULL;
        p = malloc(n);
    }
    return p;
}

int cli_memory_ran_out(void)
{
    return memory_ran_out;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;

    fputs("apiconform: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_error_ac(const struct ac_error *e)
{
    char text[600];
    cli_error("%s", ac_error_str(e, text, sizeof text));
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("apiconform: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'apiconform --help' for more information.\n", stderr);
    return CLI_EXIT_USAGE;
}

static int dispatch(int argc, char **argv)
{
    const char *cmd;
    int rc;

    if (argc < 2)
        return cli_usage_error("missing command");
    cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("apiconform %s\n", AC_VERSION);
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "run") == 0 || strcmp(cmd, "sweep") == 0 || strcmp(cmd, "proxy") == 0 ||
        strcmp(cmd, "doctor") == 0) {
        /* libcurl's NOSIGNAL mode no longer ignores SIGPIPE for us: a server
         * that closes while we send must not kill the run. */
        signal(SIGPIPE, SIG_IGN);
        json_object_seed(0);
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            cli_error("cannot initialise libcurl");
            return CLI_EXIT_ERROR;
        }
        rc = strcmp(cmd, "run") == 0     ? cli_run(argc - 1, argv + 1)
             : strcmp(cmd, "proxy") == 0 ? cli_proxy(argc - 1, argv + 1)
             : strcmp(cmd, "sweep") == 0 ? cli_sweep(argc - 1, argv + 1)
                                         : cli_doctor(argc - 1, argv + 1);
        curl_global_cleanup();
        return rc;
    }
    if (strcmp(cmd, "check") == 0)
        return cli_check(argc - 1, argv + 1);
    if (strcmp(cmd, "coverage") == 0)
        return cli_coverage(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return cli_report(argc - 1, argv + 1);
    if (strcmp(cmd, "merge") == 0)
        return cli_merge(argc - 1, argv + 1);
    if (strcmp(cmd, "diff") == 0)
        return cli_diff(argc - 1, argv + 1);
    if (strcmp(cmd, "baseline") == 0)
        return cli_baseline(argc - 1, argv + 1);
    if (strcmp(cmd, "catalog") == 0)
        return cli_catalog(argc - 1, argv + 1);
    if (strcmp(cmd, "scenario") == 0)
        return cli_scenario(argc - 1, argv + 1);
    if (strcmp(cmd, "completion") == 0)
        return cli_completion(argc - 1, argv + 1);
    return cli_usage_error("unknown command '%s'", cmd);
}

int main(int argc, char **argv)
{
    int rc;

    reserve = malloc(1 << 20);
    json_set_alloc_funcs(json_alloc, free);
    rc = dispatch(argc, argv);
    free(reserve);
    return rc;
}
