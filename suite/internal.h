/* suite/internal.h -- private to suite/: what its files share. Nothing
 * outside suite/ includes it; the contract is suite.h.
 *
 * Which file owns what (calls point down this list, never up):
 *
 *   load.c      the directory walk, the file order and the suite digest
 *   suite.c     everything else, for now
 *   template.c  variables, ${name} templates and JSON Pointers (RFC 6901);
 *               the loader uses the same scanner for its undefined-variable
 *               check, so what loads is exactly what expands
 */
#ifndef SUITE_INTERNAL_H
#define SUITE_INTERNAL_H

#include <stddef.h>

#include "../common/sha256.h"
#include "suite.h"

#define AT_MAX 256     /* key paths such as scenarios[2].setup[0].method */
#define ID_MAX 100     /* scenario ids and fixture names */
#define ACCOUNT_MAX 64 /* account:NAME */
#define MAX_REPEAT 10000

/* A loaded suite. Built by the loader, read-only afterwards. */
struct suite {
    struct scenario *scenarios; /* load order */
    size_t n, cap;
    struct fixture *fixtures; /* fixtures.json order */
    size_t nfixtures;
    char *fixtures_file; /* name of fixtures.json in messages */
    int have_fixtures;   /* 1 when a fixtures file was loaded */
    struct ac_sha256 hash;
    char sha256[65];
};

/* The state of one load: what every check reads and where it reports. */
struct loader {
    struct suite *s;
    const struct catalog *cat; /* NULL: codes are not looked up */
    struct ac_error *err;
    const char *file; /* name of the file being loaded, for messages */
    json_t *ids;      /* id -> index in s->scenarios: duplicates in O(1) */
    struct scenario *cur; /* the scenario whose variables are being checked:
                             ${quota_*} uses are recorded in it; or NULL */
};

/* ---- the loader (suite.c) ---- */

/* A new empty suite whose messages call its fixtures file fixtures_file;
 * NULL, with err set, when out of memory. */
struct suite *suite_new(const char *fixtures_file, struct ac_error *err);

/* Check a whole file, L->file, of len bytes: fixtures.json into L->s's
 * fixtures, a scenario file appended to L->s's scenarios. 0, or -1 with
 * L->err set at the first problem. */
int suite_load_fixtures(struct loader *L, const char *data, size_t len);
int suite_load_scenario_file(struct loader *L, const char *data, size_t len);

/* 0 when a file of len bytes is within SUITE_MAX_FILE_BYTES, else -1 with
 * L->err set. */
int suite_too_big(struct loader *L, size_t len);

/* Frees the n strings of arr and arr. */
void suite_free_strs(char **arr, size_t n);

/* strcmp for qsort over an array of char *: byte-wise order. */
int suite_cmp_str(const void *a, const void *b);

/* ---- templates (template.c) ---- */

/* Called once per ${name} reference of a template, in order, with the name
 * (not NUL-terminated) and its length. Returning -1 stops the scan. */
typedef int (*tmpl_var_fn)(void *ud, const char *name, size_t len);

/* Scans a template. Returns 0; -1 when fn returned -1; -2 when the template
 * is malformed (a "${" not followed by a name and '}'), with *bad_at set to
 * the byte offset of that "${". fn may be NULL (syntax check only). */
int suite_tmpl_scan(const char *tmpl, tmpl_var_fn fn, void *ud, size_t *bad_at);

/* The message of a malformed template (the argument: the byte offset of
 * its "${"), one text for the loader and the expansion. */
#define SUITE_BAD_REF                                                                            \
    "bad variable reference at byte %zu (expected ${name}, or $${ for a literal ${)"

/* 1 when s[0..len) is a variable name: a letter or '_', then letters,
 * digits and '_'. */
int suite_var_name_valid(const char *s, size_t len);

/* 1 when p is a syntactically valid JSON Pointer: "" or '/'-separated
 * tokens in which '~' is only followed by '0' or '1'. */
int suite_pointer_valid(const char *p);

/* When the whole string s is one ${name} reference, stores the name's
 * offset and length and returns 1; else 0. */
int suite_tmpl_whole_var(const char *s, size_t *off, size_t *len);

#endif
