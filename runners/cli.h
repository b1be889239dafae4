/* runners/cli.h -- the apiconform command line: one entry point per
 * subcommand. Each takes the arguments after the subcommand name (argv[0]
 * is the subcommand) and returns the process exit status of DESIGN.md:
 * 0 passed, 1 a contract failure, 2 usage or input error, 3 could not judge. */
#ifndef CLI_H
#define CLI_H

#include "../common/ac.h"

enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAIL = 1,
    CLI_EXIT_USAGE = 2,
    CLI_EXIT_ERROR = 3,
};

int cli_catalog(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_coverage(int argc, char **argv);
int cli_report(int argc, char **argv);
int cli_merge(int argc, char **argv);
int cli_diff(int argc, char **argv);
int cli_baseline(int argc, char **argv);
int cli_sweep(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_proxy(int argc, char **argv);
int cli_completion(int argc, char **argv);
int cli_scenario(int argc, char **argv);
int cli_doctor(int argc, char **argv);

/* 1 when an allocation failed during the run (see main.c): its results
 * cannot be trusted. */
int cli_memory_ran_out(void);

/* The catalog of --catalog FILE (given), or else the shipped one. When the
 * shipped data cannot be found, err says where it was looked for and names
 * --catalog (or --suite) as the way out. NULL with err set on failure. */
struct catalog;
struct suite;
struct catalog *cli_load_catalog(const char *given, struct ac_error *err);
struct suite *cli_load_suite(const char *given, const struct catalog *cat, struct ac_error *err);

/* The shipped suite's directory: ./suite in a source checkout, else the
 * installed copy (see ac_data_path). Static buffer. */
const char *cli_default_suite_dir(void);

/* Prints "apiconform: <msg>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "apiconform: <where: text>" for an ac_error. */
void cli_error_ac(const struct ac_error *e);
/* Prints the error and "Try 'apiconform --help' ..." on stderr; returns 2. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
