/* tests/test_cli.c -- the apiconform program's top level (runners/main.c,
 * runners/cli_msg.c): the --help listing its command table generates, the
 * usage errors of the dispatch, and the bound on list options (--tag with
 * more values than the runner holds is a usage error, exit 2, also with
 * --list, which once printed the message and exited 0). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/ac.h"
#include "testutil.h"

/* runners/cli_run.c's MAX_LIST: the most values of one list option. */
#define MAX_LIST 256
/* The case of the fix: 300 values. */
#define MANY 300

static const char *prog(void)
{
    return t_path("%s/apiconform", t_build());
}

/* Runs apiconform with args (NULL-ended); returns the exit status. */
static int run(const char *const *args, char **out, char **err)
{
    char *argv[2 * MANY + 16];
    size_t i, n = 0;

    argv[n++] = (char *)prog();
    for (i = 0; args[i] && n + 1 < sizeof argv / sizeof argv[0]; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    return t_run(argv, NULL, out, err);
}

/* The listing is generated from main.c's table; this is the text it
 * replaced, word for word and space for space. */
static void test_cli_help_listing(void)
{
    static const char want[] =
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
    const char *const forms[] = {"--help", "-h", "help"};
    size_t i;

    for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char *out = NULL, *err = NULL;
        T_EQ_INT(run((const char *const[]){forms[i], NULL}, &out, &err), AC_EXIT_OK);
        T_EQ_STR(out, want);
        T_EQ_STR(err, "");
        free(out);
        free(err);
    }
}

static void test_cli_dispatch_errors(void)
{
    char *out = NULL, *err = NULL;

    T_EQ_INT(run((const char *const[]){NULL}, &out, &err), AC_EXIT_USAGE);
    T_EQ_STR(out, "");
    T_EQ_STR(err, "apiconform: missing command\n"
                  "Try 'apiconform --help' for more information.\n");
    free(out);
    free(err);
    T_EQ_INT(run((const char *const[]){"rnu", "--list", NULL}, &out, &err), AC_EXIT_USAGE);
    T_EQ_STR(out, "");
    T_EQ_STR(err, "apiconform: unknown command 'rnu'\n"
                  "Try 'apiconform --help' for more information.\n");
    free(out);
    free(err);
    T_EQ_INT(run((const char *const[]){"--version", NULL}, &out, NULL), AC_EXIT_OK);
    T_TRUE(out && strncmp(out, "apiconform ", 11) == 0);
    free(out);
}

/* n copies of value joined by commas, in one heap string. */
static char *repeated(const char *value, size_t n)
{
    struct ac_buf b = AC_BUF_INIT;
    size_t i;

    for (i = 0; i < n; i++)
        ac_buf_addf(&b, "%s%s", i ? "," : "", value);
    return ac_buf_take(&b);
}

static void test_cli_tag_values_bounded(void)
{
    const char *suite = t_path("%s/tests/data/suite/example", t_root());
    const char *too_many = "apiconform: too many --tag values (at most 256)\n"
                           "Try 'apiconform --help' for more information.\n";
    const char *args[2 * MANY + 16];
    char *tags, *out = NULL, *err = NULL, name[16];
    size_t i, n;

    /* As many values as the runner holds: the listing. */
    tags = repeated("validation", MAX_LIST);
    T_EQ_INT(run((const char *const[]){"run", "--suite", suite, "--list", "--tag", tags, NULL},
                 &out, &err),
             AC_EXIT_OK);
    T_CONTAINS(out, "repositories-limit-too-large");
    T_EQ_STR(err, "");
    free(out);
    free(err);
    free(tags);
    /* One more, in one option: a usage error, nothing listed. */
    tags = repeated("validation", MAX_LIST + 1);
    T_EQ_INT(run((const char *const[]){"run", "--suite", suite, "--list", "--tag", tags, NULL},
                 &out, &err),
             AC_EXIT_USAGE);
    T_EQ_STR(out, "");
    T_EQ_STR(err, too_many);
    free(out);
    free(err);
    free(tags);
    /* 300 values in one option, and 300 options of one value each. */
    tags = repeated("validation", MANY);
    T_EQ_INT(run((const char *const[]){"run", "--suite", suite, "--list", "--tag", tags, NULL},
                 &out, &err),
             AC_EXIT_USAGE);
    T_EQ_STR(out, "");
    T_EQ_STR(err, too_many);
    free(out);
    free(err);
    free(tags);
    n = 0;
    args[n++] = "run";
    args[n++] = "--suite";
    args[n++] = suite;
    args[n++] = "--list";
    for (i = 0; i < MANY; i++) {
        snprintf(name, sizeof name, "t%zu", i);
        args[n++] = "--tag";
        args[n++] = strdup(name);
    }
    args[n] = NULL;
    T_EQ_INT(run(args, &out, &err), AC_EXIT_USAGE);
    T_EQ_STR(out, "");
    T_EQ_STR(err, too_many);
    free(out);
    free(err);
    for (i = 5; i < n; i += 2)
        free((char *)args[i]);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("cli", NULL, NULL);

    if (!s ||
        !CU_add_test(s, "--help lists the command table in its old words", test_cli_help_listing) ||
        !CU_add_test(s, "a missing or unknown command is a usage error",
                     test_cli_dispatch_errors) ||
        !CU_add_test(s, "--tag with more values than the runner holds exits 2",
                     test_cli_tag_values_bounded))
        return -1;
    return 0;
}
