/* runners/cli_opts.h -- an option table whose rows carry their help text, so
 * the getopt_long table and the --help output cannot drift apart; and the
 * checks of option values that several subcommands share, so that run and
 * sweep accept exactly the same base URLs and run ids. */
#ifndef CLI_OPTS_H
#define CLI_OPTS_H

#include <getopt.h>
#include <stdio.h>

struct cli_opt {
    const char *name; /* long name, without "--" */
    int has_arg;      /* no_argument / required_argument */
    int val;          /* short letter or a value >= 256 */
    const char *arg;  /* argument name in help ("FILE"), or NULL */
    const char *help; /* one line */
};

/* Fills longopts (n + 1 entries, zero-terminated) and the getopt short
 * string (at least 3 * n + 2 bytes, starting with ':') from the table, and
 * turns getopt's own messages off: cli_opts_error says what is wrong. */
void cli_opts_build(const struct cli_opt *t, size_t n, struct option *longopts, char *shortopts);

/* The usage error for what getopt_long returned as opt ('?' or ':') while
 * parsing argv with table t (built by cli_opts_build, whose short string
 * starts with ':' so a missing value is told apart): "run: --base-url
 * needs a value (URL)", "run: --insecure takes no value", "run: unknown
 * option '--bse-url' (did you mean --base-url?)". Prints it and returns
 * CLI_EXIT_USAGE. cmd names the subcommand. */
int cli_opts_error(const char *cmd, int opt, char **argv, const struct cli_opt *t, size_t n);

/* Parses a --quota value, NAME=N with NAME one of suite_quota_names and N
 * 0-100000000, into quotas[index of NAME]. 0, or prints a usage error and
 * returns CLI_EXIT_USAGE. */
int cli_quota_arg(const char *arg, long *quotas);

/* Prints the help rows, aligned. */
void cli_opts_help(FILE *f, const struct cli_opt *t, size_t n);

/* 1 when s is a run id: 1-10 lower-case letters and digits, starting with
 * a letter (names like cf-lb-<run id>-<n> must stay within the API's 24
 * characters, and sweep recognises them by that shape), else 0. */
int cli_run_id_valid(const char *s);

/* Checks a --base-url value: http:// or https://, a host, an optional port
 * of 1-65535, an optional path; no user name or password (it would reach
 * every report: credentials come from the environment), no query or
 * fragment (it would be glued into every path), no space or control byte.
 * 0, or prints a usage error that never echoes a password or a query and
 * returns 2 (CLI_EXIT_USAGE). */
int cli_base_url_check(const char *url);

/* Each subcommand's option table, for the shell completions (see
 * cli_completion): borrowed static rows, *n set to their count. */
const struct cli_opt *cli_run_options(size_t *n);
const struct cli_opt *cli_sweep_options(size_t *n);
const struct cli_opt *cli_catalog_options(size_t *n);
const struct cli_opt *cli_coverage_options(size_t *n);
const struct cli_opt *cli_report_options(size_t *n);
const struct cli_opt *cli_merge_options(size_t *n);
const struct cli_opt *cli_diff_options(size_t *n);
const struct cli_opt *cli_scenario_options(size_t *n);
const struct cli_opt *cli_completion_options(size_t *n);
const struct cli_opt *cli_baseline_options(size_t *n);
const struct cli_opt *cli_check_options(size_t *n);
const struct cli_opt *cli_proxy_options(size_t *n);
const struct cli_opt *cli_doctor_options(size_t *n);

#endif
