/* runners/cli_opts.h -- an option table whose rows carry their help text, so
 * the getopt_long table and the --help output cannot drift apart. */
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

/* Prints the help rows, aligned. */
void cli_opts_help(FILE *f, const struct cli_opt *t, size_t n);

#endif
