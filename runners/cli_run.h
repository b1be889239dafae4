/* runners/cli_run.h -- apiconform run's command line, between its two
 * files: cli_run_args.c parses the options into struct run_args (and
 * owns the option table and --help); cli_run.c does the rest. Private to
 * them. */
#ifndef CLI_RUN_H
#define CLI_RUN_H

#include <stddef.h>

#include "../suite/suite.h"
#include "cli_color.h"
#include "verify.h"

#define MAX_LIST 256

struct run_args {
    const char *base_url, *suite_dir, *catalog_path, *token_env, *key_env, *secret_env;
    const char *cacert, *junit, *html, *markdown, *json, *baseline, *run_id, *contract_path;
    long codes[MAX_LIST];
    size_t ncodes;
    char *tags[MAX_LIST];
    size_t ntags;
    char *allowed[MAX_LIST];
    size_t nallowed;
    char *accounts[MAX_LIST]; /* "NAME:KEY_VAR:SECRET_VAR" as given */
    size_t naccounts;
    char *account_names[MAX_LIST];
    long quotas[SUITE_NQUOTAS]; /* -1: unknown */
    char *features[MAX_LIST];
    size_t nfeatures;
    int service, cls, jobs, retries, insecure, dry_run, list, verbose, quiet, shard_i, shard_n;
    int no_preflight, fail_on_skip, list_json, junit_transcripts;
    long timeout_ms, connect_timeout_ms, interrupt_budget_ms, retry_after_max_ms, poll_timeout_ms;
    double rps;
    int rps_given, jobs_given;
    size_t max_body;
    struct verify_options vo;
    enum cli_color_mode color;
};

/* Parses run's arguments into *a (which it clears first). 0; -1 after
 * --help (printed); or CLI_EXIT_USAGE after saying why. Whatever it
 * returns, cli_run_args_release(a) frees what a holds. */
int cli_run_parse_args(int argc, char **argv, struct run_args *a);
void cli_run_args_release(struct run_args *a);

#endif
