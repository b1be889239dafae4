/* runners/cli.h -- the apiconform command line: one entry point per
 * subcommand (cli_NAME.c), called by main.c's command table, and the
 * messages every subcommand prints (cli_msg.c). Each entry point takes the
 * arguments after the subcommand name (argv[0] is the subcommand) and
 * returns the process exit status of DESIGN.md: 0 passed, 1 a contract
 * failure, 2 usage or input error, 3 could not judge. The subcommands call
 * cli_msg.c and cli_opts.c, never main.c or one another (completion reads
 * the others' option tables, which is data). */
#ifndef CLI_H
#define CLI_H

#include "../common/ac.h"

/* The exit statuses under the subcommands' prefix; enum ac_exit
 * (common/ac.h) defines them, for the reports' results_exit_status too. */
enum {
    CLI_EXIT_OK = AC_EXIT_OK,
    CLI_EXIT_FAIL = AC_EXIT_FAIL,
    CLI_EXIT_USAGE = AC_EXIT_USAGE,
    CLI_EXIT_ERROR = AC_EXIT_ERROR,
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

/* The memory reserve (cli_msg.c): main() calls cli_memory_reserve before
 * any subcommand runs, which gives jansson's allocations a reserve for
 * when memory runs out (jansson would abort, not fail), and
 * cli_memory_release at the end. */
void cli_memory_reserve(void);
void cli_memory_release(void);

/* A run's exit status once it is over: rc, unless an allocation failed
 * along the way (the reserve was needed), in which case its results
 * cannot be trusted: says so and returns CLI_EXIT_ERROR. */
int cli_memory_verdict(int rc);

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

/* The messages (cli_msg.c), all on stderr, one line each. */
/* Prints "apiconform: <msg>". */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "apiconform: <where: text>" for an ac_error. */
void cli_error_ac(const struct ac_error *e);
/* Prints "apiconform: out of memory" (AC_NOMEM_TEXT). */
void cli_error_nomem(void);
/* Prints the error and "Try 'apiconform --help' ..." on stderr; returns 2. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
