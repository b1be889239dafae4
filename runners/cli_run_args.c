/* runners/cli_run_args.c -- apiconform run's options: the table (also
 * read by --help and the shell completions), their parsing into struct
 * run_args and every usage error they can cause (cli_run.h). Reads no
 * file but to tell whether two outputs are one. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../catalog/catalog.h"
#include "cli.h"
#include "cli_opts.h"
#include "cli_run.h"
#include "engine.h"
#include "plan.h"

enum {
    OPT_BASE_URL = 256,
    OPT_SUITE,
    OPT_CATALOG,
    OPT_CODE,
    OPT_SERVICE,
    OPT_CLASS,
    OPT_TAG,
    OPT_ALLOW,
    OPT_JOBS,
    OPT_TIMEOUT,
    OPT_CONNECT_TIMEOUT,
    OPT_RPS,
    OPT_RETRIES,
    OPT_MAX_BODY,
    OPT_TOKEN_ENV,
    OPT_KEY_ENV,
    OPT_SECRET_ENV,
    OPT_ACCOUNT,
    OPT_SKIP_CHECK,
    OPT_MESSAGE_MATCH,
    OPT_CACERT,
    OPT_INSECURE,
    OPT_JUNIT,
    OPT_HTML,
    OPT_MARKDOWN,
    OPT_JSON,
    OPT_BASELINE,
    OPT_SHARD,
    OPT_RUN_ID,
    OPT_DRY_RUN,
    OPT_LIST,
    OPT_NO_PREFLIGHT,
    OPT_INTERRUPT_BUDGET,
    OPT_FAIL_ON_SKIP,
    OPT_FORMAT,
    OPT_MAX_RESPONSE_MS,
    OPT_JUNIT_TRANSCRIPTS,
    OPT_RETRY_AFTER_MAX,
    OPT_POLL_TIMEOUT,
    OPT_COLOR,
    OPT_PROFILE,
    OPT_QUOTA,
    OPT_FEATURE,
    OPT_CONTRACT,
};

static const struct cli_opt run_opts[] = {
    {"profile", required_argument, OPT_PROFILE, "FILE",
     "the target profile (JSON); the other options override it"},
    {"base-url", required_argument, OPT_BASE_URL, "URL",
     "the target, e.g. https://staging.example.com"},
    {"suite", required_argument, OPT_SUITE, "DIR",
     "scenario directory (default: ./suite or the installed one)"},
    {"catalog", required_argument, OPT_CATALOG, "FILE", "catalog JSON (default: the shipped one)"},
    {"contract", required_argument, OPT_CONTRACT, "FILE",
     "contract JSON: error body, code digits, auth, token (default: the shipped one)"},
    {"code", required_argument, OPT_CODE, "CODE", "only scenarios of this code (repeatable)"},
    {"service", required_argument, OPT_SERVICE, "NN", "only scenarios of service NN"},
    {"class", required_argument, OPT_CLASS, "CLASS", "only stateless, stateful, limit or fault"},
    {"tag", required_argument, OPT_TAG, "TAG", "only scenarios with this tag (repeatable)"},
    {"allow", required_argument, OPT_ALLOW, "LIST", "allow destructive,limit,fault (or all)"},
    {"quota", required_argument, OPT_QUOTA, "NAME=N",
     "the target's quota NAME (as apiconform-ref --quota help names it; repeatable)"},
    {"feature", required_argument, OPT_FEATURE, "NAME",
     "the target has feature NAME (scenarios that require feature:NAME run; repeatable)"},
    {"account", required_argument, OPT_ACCOUNT, "NAME:KEY_VAR:SECRET_VAR",
     "a named extra account (repeatable; or NAME:TOKEN_VAR)"},
    {"token-env", required_argument, OPT_TOKEN_ENV, "VAR", "the main token is in $VAR"},
    {"app-key-env", required_argument, OPT_KEY_ENV, "VAR", "the main app key is in $VAR"},
    {"app-secret-env", required_argument, OPT_SECRET_ENV, "VAR", "the main app secret is in $VAR"},
    {"jobs", required_argument, OPT_JOBS, "N", "scenarios in flight (default 8; 4 off loopback)"},
    {"timeout", required_argument, OPT_TIMEOUT, "MS", "per request (default 30000)"},
    {"connect-timeout", required_argument, OPT_CONNECT_TIMEOUT, "MS",
     "per connection (default 5000)"},
    {"rps", required_argument, OPT_RPS, "N",
     "requests per second (default: unlimited on loopback, 5 elsewhere)"},
    {"retries", required_argument, OPT_RETRIES, "N",
     "retries of transport failures and of 429/503 (default 2)"},
    {"retry-after-max", required_argument, OPT_RETRY_AFTER_MAX, "S",
     "longest wait before retrying a 429/503, whatever Retry-After says (default 30)"},
    {"poll-timeout", required_argument, OPT_POLL_TIMEOUT, "S",
     "keep polling past the suite's attempts, once a second, up to S s (default 0)"},
    {"max-body", required_argument, OPT_MAX_BODY, "BYTES", "response body cap (default 1048576)"},
    {"interrupt-budget", required_argument, OPT_INTERRUPT_BUDGET, "MS",
     "after SIGINT/SIGTERM, time for teardown in all (default 3000)"},
    {"skip-check", required_argument, OPT_SKIP_CHECK, "NAME", "do not run this check (repeatable)"},
    {"max-response-ms", required_argument, OPT_MAX_RESPONSE_MS, "MS",
     "a slower probe answer fails response-time (default 0: no budget)"},
    {"message-match", required_argument, OPT_MESSAGE_MATCH, "MODE",
     "exact (default), normalized or ignore"},
    {"cacert", required_argument, OPT_CACERT, "FILE", "CA certificates for https"},
    {"insecure", no_argument, OPT_INSECURE, NULL, "do not verify TLS certificates (warns)"},
    {"junit", required_argument, OPT_JUNIT, "FILE", "write JUnit XML"},
    {"junit-transcripts", no_argument, OPT_JUNIT_TRANSCRIPTS, NULL,
     "JUnit: passing scenarios' transcripts too"},
    {"html", required_argument, OPT_HTML, "FILE", "write the HTML compliance report"},
    {"markdown", required_argument, OPT_MARKDOWN, "FILE", "write the Markdown summary"},
    {"json", required_argument, OPT_JSON, "FILE", "write the JSON results"},
    {"baseline", required_argument, OPT_BASELINE, "FILE",
     "known failures that do not fail the run"},
    {"fail-on-skip", no_argument, OPT_FAIL_ON_SKIP, NULL,
     "certification: a skipped scenario fails the gate (exit 3)"},
    {"shard", required_argument, OPT_SHARD, "I/N", "run the I-th of N shards"},
    {"run-id", required_argument, OPT_RUN_ID, "ID", "name this run (default: random)"},
    {"no-preflight", no_argument, OPT_NO_PREFLIGHT, NULL,
     "skip the check that the target answers and the token works"},
    {"dry-run", no_argument, OPT_DRY_RUN, NULL,
     "print the planned scenarios as one sh script; send nothing"},
    {"list", no_argument, OPT_LIST, NULL, "list the planned scenarios; send nothing"},
    {"format", required_argument, OPT_FORMAT, "FMT", "--list as text (default) or json"},
    {"color", required_argument, OPT_COLOR, "WHEN",
     "colour the verdicts: auto (default: on a terminal, unless NO_COLOR), always or never"},
    {"verbose", no_argument, 'v', NULL, "print every exchange (redacted) on stderr"},
    {"quiet", no_argument, 'q', NULL, "print only failures, errors and the tally"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};
#define NOPTS (sizeof run_opts / sizeof run_opts[0])

static void run_help(void)
{
    fputs("Usage: apiconform run --base-url URL [OPTIONS]\n"
          "Send the suite's scenarios to the target and check every error response\n",
          stdout);
    check_names_paragraph(stdout, "against the catalog: ", NULL, CHECK_NAMES_GATES, ".");
    fputs("\nOptions:\n", stdout);
    cli_opts_help(stdout, run_opts, NOPTS);
    fputs("\n"
          "Credentials come from the environment, never from the command line:\n"
          "  --app-key-env KEY --app-secret-env SECRET   (a token is obtained once), or\n"
          "  --token-env TOKEN.\n"
          "Scenarios that create resources, exhaust limits or need fault injection are\n"
          "skipped, with the reason, unless --allow names their capability.\n"
          "\n"
          "Exit status: 0 every scenario that ran passed; 1 a failure; 2 usage or input\n"
          "error (nothing was sent); 3 the target could not be judged.\n",
          stdout);
}

static long parse_long(const char *s, long lo, long hi, int *ok)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    *ok = !(errno || end == s || *end || v < lo || v > hi);
    return v;
}

/* Appends the comma-separated values of arg to dst. 0, or -1 after saying
 * why (too many values, no memory): the caller exits with status 2. */
static int split_list(const char *arg, char **dst, size_t *n, const char *what)
{
    char *copy = ac_strdup(arg), *tok, *save = NULL;

    if (!copy) {
        cli_error_nomem();
        return -1;
    }
    for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (*n >= MAX_LIST) {
            free(copy);
            cli_usage_error("too many %s values (at most %d)", what, MAX_LIST);
            return -1;
        }
        if (!(dst[*n] = ac_strdup(tok))) {
            free(copy);
            cli_error_nomem();
            return -1;
        }
        (*n)++;
    }
    free(copy);
    return 0;
}

/* The path with its directory resolved (./x, d/../x, a linked directory),
 * or a copy of it when the directory cannot be resolved. Heap string. */
static char *resolved_path(const char *p)
{
    const char *slash = strrchr(p, '/');
    char *dir = slash ? strndup(p, (size_t)(slash - p + 1)) : ac_strdup(".");
    char *real = dir ? realpath(dir, NULL) : NULL;
    struct ac_buf b = AC_BUF_INIT;

    if (real && (slash ? slash[1] : p[0]))
        ac_buf_addf(&b, "%s/%s", real, slash ? slash + 1 : p);
    else
        ac_buf_adds(&b, p);
    free(real);
    free(dir);
    return ac_buf_take(&b);
}

/* 1 when a and b name one file: the same inode when both exist (a link to
 * the other), else the same path once the directories are resolved. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    char *ra, *rb;
    int same;

    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    ra = resolved_path(a);
    rb = resolved_path(b);
    same = ra && rb ? strcmp(ra, rb) == 0 : strcmp(a, b) == 0;
    free(ra);
    free(rb);
    return same;
}

/* Each report is written to its own file, and none over the baseline the
 * run reads: two options naming one file are a usage error. */
static int distinct_files(const struct run_args *a)
{
    const struct {
        const char *opt, *path;
    } f[] = {{"--junit", a->junit},
             {"--html", a->html},
             {"--markdown", a->markdown},
             {"--json", a->json},
             {"--baseline", a->baseline}};
    size_t i, j, n = sizeof f / sizeof f[0];

    for (i = 0; i < n; i++)
        for (j = i + 1; f[i].path && j < n; j++)
            if (f[j].path && same_file(f[i].path, f[j].path))
                return cli_usage_error("%s '%s' and %s '%s' are the same file: a report would "
                                       "overwrite the other",
                                       f[i].opt, f[i].path, f[j].opt, f[j].path);
    return 0;
}

int cli_run_parse_args(int argc, char **argv, struct run_args *a)
{
    struct option longopts[NOPTS + 1];
    char shortopts[3 * NOPTS + 2];
    int opt, ok, i;
    long v;

    memset(a, 0, sizeof *a);
    a->service = a->cls = -1;
    a->jobs = 8;
    a->retries = 2;
    a->timeout_ms = 30000;
    a->connect_timeout_ms = 5000;
    a->interrupt_budget_ms = ENGINE_INTERRUPT_BUDGET_MS;
    a->max_body = ENGINE_DEFAULT_BODY_CAP;
    for (i = 0; i < SUITE_NQUOTAS; i++)
        a->quotas[i] = -1;
    for (i = 0; i < CHECK_COUNT; i++)
        a->vo.enabled[i] = 1;
    a->vo.message_mode = MESSAGE_EXACT;
    cli_opts_build(run_opts, NOPTS, longopts, shortopts);
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_BASE_URL: a->base_url = optarg; break;
        case OPT_SUITE: a->suite_dir = optarg; break;
        case OPT_CATALOG: a->catalog_path = optarg; break;
        case OPT_CONTRACT: a->contract_path = optarg; break;
        case OPT_CODE:
            v = parse_long(optarg, CATALOG_CODE_MIN, CATALOG_CODE_MAX, &ok);
            if (!ok)
                return cli_usage_error("--code: expected a 7-digit code, got '%s'", optarg);
            if (a->ncodes >= MAX_LIST)
                return cli_usage_error("too many --code options");
            a->codes[a->ncodes++] = v;
            break;
        case OPT_SERVICE:
            v = parse_long(optarg, 0, 99, &ok);
            if (!ok)
                return cli_usage_error("--service: expected a number 00-99, got '%s'", optarg);
            a->service = (int)v;
            break;
        case OPT_CLASS:
            if (strcmp(optarg, "stateless") == 0)
                a->cls = SCENARIO_STATELESS;
            else if (strcmp(optarg, "stateful") == 0)
                a->cls = SCENARIO_STATEFUL;
            else if (strcmp(optarg, "limit") == 0)
                a->cls = SCENARIO_LIMIT;
            else if (strcmp(optarg, "fault") == 0)
                a->cls = SCENARIO_FAULT;
            else
                return cli_usage_error(
                    "--class: expected stateless, stateful, limit or fault, got '%s'", optarg);
            break;
        case OPT_TAG:
            if (split_list(optarg, a->tags, &a->ntags, "--tag") < 0)
                return CLI_EXIT_USAGE;
            break;
        case OPT_ALLOW: {
            size_t k = a->nallowed;
            if (split_list(optarg, a->allowed, &a->nallowed, "--allow") < 0)
                return CLI_EXIT_USAGE;
            for (; k < a->nallowed; k++) {
                const char *c = a->allowed[k];
                if (strcmp(c, "destructive") && strcmp(c, "limit") && strcmp(c, "fault") &&
                    strcmp(c, "all") && strncmp(c, "account:", 8))
                    return cli_usage_error(
                        "--allow: expected destructive, limit, fault or all, got '%s'", c);
            }
            break;
        }
        case OPT_ACCOUNT: {
            const char *c1 = strchr(optarg, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
            /* NAME:TOKEN_VAR: the account's token is in $TOKEN_VAR. */
            int tok_form = c1 && !c2 && c1 != optarg && c1[1];
            if (!tok_form &&
                (!c1 || !c2 || c1 == optarg || c2 == c1 + 1 || !c2[1] || strchr(c2 + 1, ':')))
                return cli_usage_error("--account: expected NAME:KEY_VAR:SECRET_VAR or "
                                       "NAME:TOKEN_VAR, got '%s'",
                                       optarg);
            if (a->naccounts >= MAX_LIST)
                return cli_usage_error("too many --account options");
            a->accounts[a->naccounts] = (char *)optarg;
            a->account_names[a->naccounts] = strndup(optarg, (size_t)(c1 - optarg));
            a->naccounts++;
            break;
        }
        case OPT_QUOTA:
            if (cli_quota_arg(optarg, a->quotas))
                return CLI_EXIT_USAGE;
            break;
        case OPT_FEATURE:
            if (a->nfeatures >= MAX_LIST)
                return cli_usage_error("too many --feature options");
            if (!optarg[0])
                return cli_usage_error("--feature: expected a name");
            a->features[a->nfeatures++] = (char *)optarg;
            break;
        case OPT_TOKEN_ENV: a->token_env = optarg; break;
        case OPT_KEY_ENV: a->key_env = optarg; break;
        case OPT_SECRET_ENV: a->secret_env = optarg; break;
        case OPT_JOBS:
            a->jobs = (int)parse_long(optarg, 1, 1024, &ok);
            if (!ok)
                return cli_usage_error("--jobs: expected a number 1-1024, got '%s'", optarg);
            a->jobs_given = 1;
            break;
        case OPT_TIMEOUT:
            a->timeout_ms = parse_long(optarg, 1, 3600000, &ok);
            if (!ok)
                return cli_usage_error("--timeout: expected milliseconds, got '%s'", optarg);
            break;
        case OPT_CONNECT_TIMEOUT:
            a->connect_timeout_ms = parse_long(optarg, 1, 3600000, &ok);
            if (!ok)
                return cli_usage_error("--connect-timeout: expected milliseconds, got '%s'",
                                       optarg);
            break;
        case OPT_INTERRUPT_BUDGET:
            a->interrupt_budget_ms = parse_long(optarg, 1, 600000, &ok);
            if (!ok)
                return cli_usage_error("--interrupt-budget: expected milliseconds 1-600000, "
                                       "got '%s'",
                                       optarg);
            break;
        case OPT_RPS: {
            char *end;
            errno = 0;
            a->rps = strtod(optarg, &end);
            if (errno || end == optarg || *end || a->rps < 0 || a->rps > 1e6)
                return cli_usage_error("--rps: expected requests per second, got '%s'", optarg);
            a->rps_given = 1;
            break;
        }
        case OPT_RETRIES:
            a->retries = (int)parse_long(optarg, 0, 10, &ok);
            if (!ok)
                return cli_usage_error("--retries: expected a number 0-10, got '%s'", optarg);
            break;
        case OPT_RETRY_AFTER_MAX:
            a->retry_after_max_ms =
                parse_long(optarg, 1, ENGINE_RETRY_AFTER_MAX_LIMIT_MS / 1000, &ok) * 1000;
            if (!ok)
                return cli_usage_error("--retry-after-max: expected seconds 1-%ld, got '%s'",
                                       ENGINE_RETRY_AFTER_MAX_LIMIT_MS / 1000, optarg);
            break;
        case OPT_POLL_TIMEOUT:
            a->poll_timeout_ms = parse_long(optarg, 0, ENGINE_POLL_TIMEOUT_LIMIT_S, &ok) * 1000;
            if (!ok)
                return cli_usage_error("--poll-timeout: expected seconds 0-%d, got '%s'",
                                       ENGINE_POLL_TIMEOUT_LIMIT_S, optarg);
            break;
        case OPT_MAX_BODY:
            a->max_body = (size_t)parse_long(optarg, 1024, 1L << 30, &ok);
            if (!ok)
                return cli_usage_error("--max-body: expected bytes (1024 or more), got '%s'",
                                       optarg);
            break;
        case OPT_SKIP_CHECK: {
            int id = check_by_name(optarg), rc;
            char *why = id < 0 ? check_unknown_text(optarg) : NULL;
            if (id < 0) {
                rc = cli_usage_error("--skip-check: %s", why ? why : AC_NOMEM_TEXT);
                free(why);
                return rc;
            }
            a->vo.enabled[id] = 0;
            break;
        }
        case OPT_MAX_RESPONSE_MS:
            a->vo.max_response_ms = parse_long(optarg, 0, 3600000, &ok);
            if (!ok)
                return cli_usage_error("--max-response-ms: expected milliseconds (0 for no "
                                       "budget), got '%s'",
                                       optarg);
            break;
        case OPT_MESSAGE_MATCH:
            if (strcmp(optarg, "exact") == 0)
                a->vo.message_mode = MESSAGE_EXACT;
            else if (strcmp(optarg, "normalized") == 0)
                a->vo.message_mode = MESSAGE_NORMALIZED;
            else if (strcmp(optarg, "ignore") == 0)
                a->vo.message_mode = MESSAGE_IGNORE;
            else
                return cli_usage_error(
                    "--message-match: expected exact, normalized or ignore, got '%s'", optarg);
            break;
        case OPT_CACERT: a->cacert = optarg; break;
        case OPT_INSECURE: a->insecure = 1; break;
        case OPT_JUNIT: a->junit = optarg; break;
        case OPT_HTML: a->html = optarg; break;
        case OPT_MARKDOWN: a->markdown = optarg; break;
        case OPT_JSON: a->json = optarg; break;
        case OPT_BASELINE: a->baseline = optarg; break;
        case OPT_SHARD:
            if (plan_parse_shard(optarg, &a->shard_i, &a->shard_n) < 0)
                return cli_usage_error("--shard: expected I/N with 1 <= I <= N, got '%s'", optarg);
            break;
        case OPT_RUN_ID:
            if (!cli_run_id_valid(optarg))
                return cli_usage_error("--run-id: expected 1-10 lower-case letters and digits, "
                                       "starting with a letter, got '%s'",
                                       optarg);
            a->run_id = optarg;
            break;
        case OPT_DRY_RUN: a->dry_run = 1; break;
        case OPT_NO_PREFLIGHT: a->no_preflight = 1; break;
        case OPT_FAIL_ON_SKIP: a->fail_on_skip = 1; break;
        case OPT_JUNIT_TRANSCRIPTS: a->junit_transcripts = 1; break;
        case OPT_FORMAT:
            if (strcmp(optarg, "text") && strcmp(optarg, "json"))
                return cli_usage_error("run: --format: expected text or json, got '%s'", optarg);
            a->list_json = strcmp(optarg, "json") == 0;
            break;
        case OPT_LIST: a->list = 1; break;
        case OPT_COLOR:
            if (cli_color_parse("run", optarg, &a->color))
                return CLI_EXIT_USAGE;
            break;
        case OPT_PROFILE: break; /* taken out by profile_argv before parsing */
        case 'v': a->verbose = 1; break;
        case 'q': a->quiet = 1; break;
        case 'h': run_help(); return -1;
        default: return cli_opts_error("run", opt, argv, run_opts, NOPTS);
        }
    }
    if (optind < argc)
        return cli_usage_error("run: unexpected argument '%s'", argv[optind]);
    if (a->verbose && a->quiet)
        return cli_usage_error("run: -v (--verbose) and -q (--quiet) contradict each other");
    if (a->list && a->dry_run)
        return cli_usage_error("run: --list and --dry-run: give one (--list names the "
                               "scenarios, --dry-run prints their requests)");
    if (!a->base_url && !a->list)
        return cli_usage_error("run: --base-url is required");
    if (a->base_url && cli_base_url_check(a->base_url) != 0)
        return CLI_EXIT_USAGE;
    if ((a->key_env != NULL) != (a->secret_env != NULL))
        return cli_usage_error("--app-key-env and --app-secret-env go together");
    if (a->token_env && a->key_env)
        return cli_usage_error("give either --token-env or --app-key-env/--app-secret-env");
    return distinct_files(a);
}

void cli_run_args_release(struct run_args *a)
{
    size_t i;

    for (i = 0; i < a->ntags; i++)
        free(a->tags[i]);
    for (i = 0; i < a->nallowed; i++)
        free(a->allowed[i]);
    for (i = 0; i < a->naccounts; i++)
        free(a->account_names[i]);
}

const struct cli_opt *cli_run_options(size_t *n)
{
    *n = NOPTS;
    return run_opts;
}
