/* runners/main.c -- apiconform: the command table, the top-level help it
 * generates, and the dispatch. Nothing here is called from elsewhere: the
 * subcommands' shared messages live in cli_msg.c. */
#include <curl/curl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef AC_VERSION
#define AC_VERSION "0.0.0"
#endif

/* One subcommand: a row here is its dispatch and its line of --help. */
struct command {
    const char *name;
    const char *synopsis; /* what follows the name in the listing, or "" */
    const char *help;     /* one line */
    int (*run)(int argc, char **argv);
    int network; /* 1: sends requests (libcurl is set up around it) */
};

/* In the order of the help listing. */
static const struct command commands[] = {
    {"run", "--base-url URL [OPTIONS]", "send the suite to a target and check the answers", cli_run,
     1},
    {"check", "FILE.har...", "judge the error answers of recorded traffic", cli_check, 0},
    {"proxy", "--upstream URL [OPTIONS]", "forward live traffic, judge its error answers",
     cli_proxy, 1},
    {"coverage", "", "which catalog codes the suite provokes", cli_coverage, 0},
    {"report", "--from results.json", "rebuild reports from a results file", cli_report, 0},
    {"merge", "A.json B.json -o OUT", "merge the results of shards", cli_merge, 0},
    {"diff", "OLD.json NEW.json", "new failures, fixed, still failing", cli_diff, 0},
    {"baseline", "create R.json -o F", "a baseline of a run's failures", cli_baseline, 0},
    {"sweep", "--base-url URL", "delete what interrupted runs left behind", cli_sweep, 1},
    {"doctor", "--profile FILE", "is the target ready for a run (read-only)", cli_doctor, 1},
    {"catalog", "list|show|lint|import", "inspect, check or import the code catalog", cli_catalog,
     0},
    {"scenario", "new CODE", "print the skeleton of a new scenario file", cli_scenario, 0},
    {"completion", "bash|zsh", "print a shell completion script", cli_completion, 0},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* The width of the listing's first column ("run --base-url URL ..."),
 * the longest entry's; two spaces always follow it. */
#define SYNOPSIS_WIDTH 30

static void usage(FILE *f)
{
    char first[128];
    size_t i;

    fputs("Usage: apiconform COMMAND [OPTIONS]\n"
          "Conformance tests for an HTTP API's error contract.\n"
          "\n"
          "Commands:\n",
          f);
    for (i = 0; i < NCOMMANDS; i++) {
        snprintf(first, sizeof first, "%s%s%s", commands[i].name, *commands[i].synopsis ? " " : "",
                 commands[i].synopsis);
        fprintf(f, "  %-*s  %s\n", SYNOPSIS_WIDTH, first, commands[i].help);
    }
    fputs("\n"
          "Options:\n"
          "  -h, --help      show this help and exit\n"
          "  -V, --version   show the version and exit\n"
          "\n"
          "Exit status: 0 every scenario that ran passed; 1 at least one failure;\n"
          "2 usage or input error (nothing was sent); 3 the target could not be judged.\n"
          "Run 'apiconform COMMAND --help' for a command's options.\n",
          f);
}

/* Runs a subcommand that sends requests: libcurl initialised around it. */
static int run_networked(const struct command *c, int argc, char **argv)
{
    int rc;

    /* libcurl's NOSIGNAL mode no longer ignores SIGPIPE for us: a server
     * that closes while we send must not kill the run. */
    signal(SIGPIPE, SIG_IGN);
    json_object_seed(0);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        cli_error("cannot initialise libcurl");
        return CLI_EXIT_ERROR;
    }
    rc = c->run(argc, argv);
    curl_global_cleanup();
    return rc;
}

static int dispatch(int argc, char **argv)
{
    const char *cmd;
    size_t i;

    if (argc < 2)
        return cli_usage_error("missing command");
    cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("apiconform %s\n", AC_VERSION);
        return CLI_EXIT_OK;
    }
    for (i = 0; i < NCOMMANDS; i++) {
        if (strcmp(cmd, commands[i].name) != 0)
            continue;
        if (commands[i].network)
            return run_networked(&commands[i], argc - 1, argv + 1);
        return commands[i].run(argc - 1, argv + 1);
    }
    return cli_usage_error("unknown command '%s'", cmd);
}

int main(int argc, char **argv)
{
    int rc;

    cli_memory_reserve();
    rc = dispatch(argc, argv);
    cli_memory_release();
    return rc;
}
