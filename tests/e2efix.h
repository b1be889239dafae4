/* tests/e2efix.h -- what the test_e2e files share: the example suite's
 * path, output paths under build/e2e/, and `apiconform run` of the example
 * suite against a reference server (refproc.h starts one).
 *
 * The files of the test_e2e binary:
 *   test_e2e.c         runs, capabilities, mutations, usage, outputs, the
 *                      console, ERROR lines, baselines, shards
 *   test_e2e_safety.c  budgets, --insecure, preflight, dry run, secrets,
 *                      SIGINT, sweep
 *   e2efix.c           these helpers */
#ifndef E2EFIX_H
#define E2EFIX_H

#include <stddef.h>

/* tests/data/suite/example under the project root (t_path's buffer). */
const char *e2e_example(void);
/* build/e2e/NAME. Its own 32 rotating buffers: t_path's rotate, and an
 * output path that later pointed elsewhere would overwrite whatever it then
 * named. */
const char *e2e_tmpfile_path(const char *name);
/* apiconform run against url with the example suite and the main
 * account's credential variables, plus extra args (NULL-ended). The exit
 * status; *out and *err as t_run. */
int e2e_run_example(const char *url, const char *const *extra, char **out, char **err);
/* The failed checks of the one result of a --json file, "a,b,", into out
 * ("" when there is none). */
void e2e_failed_checks(const char *json_path, char *out, size_t size);
/* --allow all and the broke and other accounts, NULL-ended. */
extern const char *const e2e_all_caps[];

/* The other file's suite (0 or -1, as test_register). */
int e2e_register_safety(void);

#endif
