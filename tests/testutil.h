/* tests/testutil.h -- what every test file shares: assertions that print
 * expected and actual, paths to the build and data, running a program.
 *
 * Each test binary is tests/harness.c (main) plus one test_<module>.c that
 * defines test_register(), which adds its CUnit suite(s). */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <CUnit/CUnit.h>
#include <stddef.h>

/* Defined by each test file: registers its suites. 0 or -1. */
int test_register(void);

/* Assertions with expected and actual in the failure text. They are not
 * fatal, so cleanup after them always runs. */
#define T_EQ_INT(actual, expected)                                                                 \
    t_eq_int((long long)(actual), (long long)(expected), #actual, __LINE__, __FILE__)
#define T_EQ_STR(actual, expected) t_eq_str((actual), (expected), #actual, __LINE__, __FILE__)
#define T_CONTAINS(hay, needle) t_contains((hay), (needle), #hay, __LINE__, __FILE__)
#define T_NOT_CONTAINS(hay, needle) t_not_contains((hay), (needle), #hay, __LINE__, __FILE__)
/* Asserts that no view of secret a reader could decode is in hay: raw
 * (and no 8 bytes of it, as a cut would leave them),
 * hex in either case, base64 at each of the three alignments in both
 * alphabets, each in the text itself and after percent-decoding (any
 * case), JSON unescaping (\u too), XML/HTML references, and each pair of
 * those in either order. hay NULL (a missing file or output) fails. */
#define T_NO_SECRET(hay, secret) t_no_secret((hay), (secret), #hay, __LINE__, __FILE__)
#define T_TRUE(cond) CU_assertImplementation(!!(cond), __LINE__, #cond, __FILE__, "", CU_FALSE)

int t_eq_int(long long actual, long long expected, const char *what, int line, const char *file);
int t_eq_str(const char *actual, const char *expected, const char *what, int line,
             const char *file);
int t_contains(const char *hay, const char *needle, const char *what, int line, const char *file);
int t_not_contains(const char *hay, const char *needle, const char *what, int line,
                   const char *file);
int t_no_secret(const char *hay, const char *secret, const char *what, int line, const char *file);

/* AC_ROOT, AC_BUILD, AC_SHARED from the environment (set by make test), or
 * ".", "build", "../shared". Borrowed static strings. */
const char *t_root(void);
const char *t_build(void);
const char *t_shared(void);

/* snprintf into a static rotating buffer: "%s/catalog/x.json". Up to 32
 * results stay valid at once: copy a path that must live longer. */
const char *t_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* t_run kills a child that runs longer than this and returns 124. */
#define T_RUN_TIMEOUT_MS 180000

/* Runs argv (argv[0] a path) with stdin from /dev/null, captures stdout and
 * stderr (each capped at 16 MiB) and returns the exit status (or 128+signal).
 * *out and *err are heap strings the caller frees (either may be NULL to
 * discard). env_extra: NULL, or "NAME=value" strings to add, NULL-ended. */
int t_run(char *const argv[], char *const env_extra[], char **out, char **err);

/* As t_run, for interruption tests: polls ready(ud) every 10 ms (NULL:
 * ready at once; gives up waiting after 20 s) and then sends sig to the
 * child; when second_ms >= 0, sends sig again second_ms later. *exit_ms is
 * the time from the last signal sent to the child's exit, measured (the
 * figure a test prints), or -1 when no signal was sent (the child ended
 * first). */
int t_run_signal(char *const argv[], char *const env_extra[], char **out, char **err, int sig,
                 int (*ready)(void *ud), void *ud, int second_ms, long long *exit_ms);

/* Writes a file under a fresh temporary directory and returns its path
 * (static rotating buffer, as t_path). */
const char *t_write_temp(const char *name, const char *content, size_t len);

/* Reads a whole file into a heap string (NUL-terminated); NULL if missing. */
char *t_read_file(const char *path, size_t *len);

/* Validates a JUnit file with xmllint against the project's own schema
 * (tests/data/junit-apiconform.xsd) and, when the shared folder has it,
 * against Jenkins' xunit schema too. 0 when valid; otherwise non-zero and,
 * if why is not NULL, *why a heap string saying which schema failed and
 * xmllint's words (the caller frees it). A missing file is invalid. */
int t_junit_validate(const char *path, char **why);

#endif
