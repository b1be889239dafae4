/* suite/internal.h -- private to suite/: what the loader's files share.
 * Nothing outside suite/ includes it; the contract is suite.h, the format
 * README.md.
 *
 * Which file owns what. Each file calls only files below it in this list
 * (mk/circles.sh build/obj/suite checks it); the sections of this header
 * go the other way, from template.c up.
 *
 *   load.c      suite_load, suite_load_file_buffer: the directory walk, the
 *               file order, the suite digest
 *   scenario.c  scenario files: the file name, the scenario keys, the order
 *               in which variables are checked, implied requirements
 *   fixture.c   fixtures.json: the fixture keys, needs (defined, no cycle),
 *               each fixture's variables, the closure of a fixture list
 *   scope.c     variable scopes: what is defined at each step, and the check
 *               that every ${name} a step uses is
 *   step.c      steps: the step keys, where each is allowed, their values
 *   suite.c     struct suite: making, freeing, reading it; the quotas, their
 *               variables, what a scenario holds
 *   fields.c    messages and key paths, quoting, the readers of one field,
 *               arrays of strings
 *   template.c  variables, ${name} templates and JSON Pointers (RFC 6901);
 *               the loader uses the same scanner for its undefined-variable
 *               check, so what loads is exactly what expands
 */
#ifndef SUITE_INTERNAL_H
#define SUITE_INTERNAL_H

#include <stddef.h>

#include "../common/ac_json.h"
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
    const char *file;     /* name of the file being loaded, for messages */
    json_t *ids;          /* id -> index in s->scenarios: duplicates in O(1) */
    struct scenario *cur; /* the scenario whose variables are being checked:
                             ${quota_*} uses are recorded in it; or NULL */
};

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
#define SUITE_BAD_REF                                                                              \
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

/* ---- messages, key paths and readers of one field (fields.c) ---- */

/* Sets L->err to "L->file: at: message" (at "" reads "top level") unless
 * an error is set already. Returns -1, so that a check can end with
 * return suite_fail(...). */
int suite_fail(struct loader *L, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* L->err says out of memory; returns -1. */
int suite_nomem(struct loader *L);

#define QMAX 80 /* a buffer for suite_quote */

/* Writes s quoted and escaped like a JSON string, shortened to about 60
 * bytes (never inside a UTF-8 sequence), so that user text cannot break the
 * one-line message or push the useful part out of it. Returns buf. */
const char *suite_quote(char buf[QMAX], const char *s);

/* Key paths for messages: out = "at.key", "at[i]" (or "key" when at is
 * ""). A path too long for the buffer is cut; it still names the place. */
void suite_at_key(char out[AT_MAX], const char *at, const char *key);
void suite_at_index(char out[AT_MAX], const char *at, size_t i);

/* Scenario ids and fixture names: [a-z0-9-], 1..ID_MAX, no '-' at the
 * ends (they become JUnit test names and appear in shell commands). */
int suite_id_valid(const char *s);
/* The NAME of account:NAME (and of feature:NAME): 1..ACCOUNT_MAX letters,
 * digits, '-' and '_'. */
int suite_account_valid(const char *s);
/* 1 when path[0..end) ends in a service directory of the layout: a name
 * of two digits, after a '/' or at the start ("04" of "suite/04"). */
int suite_service_dir(const char *path, size_t end);
/* 1 when s holds a control character (below 0x20, or 0x7f). */
int suite_has_ctl(const char *s);
/* 1 when the NULL-terminated list holds s. */
int suite_in_list(const char *const *list, const char *s);
/* out = the list's strings separated by ", ", cut to size. */
void suite_join_list(char *out, size_t size, const char *const *list);

/* The readers below return 0, or -1 with L->err set by suite_fail. */

/* An object's keys: unknown ones first (a typo must never be ignored),
 * then the missing ones of required (which may be NULL). */
int suite_check_keys(struct loader *L, const char *at, json_t *obj, const char *const *allowed,
                     const char *const *required);
/* v is of type t; what names it in the message ("an object"). */
int suite_want_type(struct loader *L, const char *at, json_t *v, json_type t, const char *what);
/* v must be an array of strings: each(L, at_of_item, item, ud) is called
 * for each item in order, and its -1 ends the walk. 0, or -1 after a
 * message ("expected a string, got ..." for an item of another type). */
typedef int (*suite_string_fn)(struct loader *L, const char *at, const char *s, void *ud);
int suite_each_string(struct loader *L, const char *at, json_t *v, suite_string_fn each, void *ud);
/* A string field; nonempty: "" is an error too. *out is a heap copy. */
int suite_get_str(struct loader *L, const char *at, json_t *v, int nonempty, char **out);
/* An integer in [lo, hi]; noun names it in messages ("an integer"). */
int suite_get_int(struct loader *L, const char *at, json_t *v, const char *noun, long long lo,
                  long long hi, long long *out);
/* The syntax of a template: every "${" starts a reference. */
int suite_check_template(struct loader *L, const char *at, const char *tmpl);
/* A variable name: captures, "unless", "for_each", a fixture's provides. */
int suite_check_var_name(struct loader *L, const char *at, const char *s);

/* Growable arrays of heap strings: *arr holds *n. Push appends a copy;
 * push_unique does not when arr holds s already (a set in the order of
 * first appearance). */
int suite_push_str(struct loader *L, char ***arr, size_t *n, const char *s);
int suite_push_unique(struct loader *L, char ***arr, size_t *n, const char *s);
/* 1 when arr[0..n) holds s. */
int suite_has_str(char *const *arr, size_t n, const char *s);
/* Frees the n strings of arr and arr. */
void suite_free_strs(char **arr, size_t n);
/* strcmp for qsort over an array of char *: byte-wise order. */
int suite_cmp_str(const void *a, const void *b);

/* The JSON of a whole file, L->file; NULL with L->err set ("invalid JSON",
 * with jansson's line:column, as README.md documents). */
json_t *suite_parse_json(struct loader *L, const char *data, size_t len);
/* 0 when a file of len bytes is within SUITE_MAX_FILE_BYTES, else -1 with
 * L->err set. */
int suite_too_big(struct loader *L, size_t len);

/* ---- the loaded suite (suite.c) ---- */

/* A new empty suite whose messages call its fixtures file fixtures_file;
 * NULL, with err set, when out of memory. */
struct suite *suite_new(const char *fixtures_file, struct ac_error *err);
/* Frees what sc owns (not sc itself). */
void scenario_release(struct scenario *sc);
/* The quota (an index into suite_quota_names) that the variable name
 * name[0..len) is a quota variable of, ${quota_NAME}, ${over_quota_NAME}
 * or ${quota_left_NAME}; -1 when it is none. */
int suite_quota_var_index(const char *name, size_t len);

/* ---- steps (step.c) ---- */

/* Where a step stands: which keys it may have. */
enum section { SEC_SETUP, SEC_REQUEST, SEC_TEARDOWN, SEC_FIX_SETUP, SEC_FIX_TEARDOWN };

/* One step, the object o at key path at, into *st (zeroed by the caller;
 * what is filled in is freed with the scenario or fixture, also after a
 * failure). */
int suite_parse_step(struct loader *L, const char *at, json_t *o, enum section sec,
                     struct step *st);
/* An array of steps into *out, *n of them. *n counts a half-parsed step
 * too, so that freeing *out, *n frees it. */
int suite_parse_steps(struct loader *L, const char *at, json_t *v, enum section sec,
                      struct step **out, size_t *n);
/* Calls fn on every string of a JSON body template, with its key path, in
 * document order; stops at the first -1 and returns it. */
int suite_walk_json_strings(const char *at, json_t *j,
                            int (*fn)(void *ud, const char *at, const char *s), void *ud);

/* ---- variable scopes (scope.c) ---- */

/* The variables defined at a point of a scenario or fixture, with where
 * each comes from: "built-in", a fixture's name, or "" (captured). Names
 * and origins are borrowed from the suite. Zero-initialised; released with
 * suite_scope_release. */
struct scope {
    const char **names;
    const char **origins;
    size_t n, cap;
};

void suite_scope_release(struct scope *sc);
/* The origin of the variable name[0..len), or NULL when it is not defined. */
const char *suite_scope_find(const struct scope *sc, const char *name, size_t len);
/* Adds the built-in variables: run, uniq, i, app_key, app_secret. */
int suite_scope_builtins(struct loader *L, struct scope *sc);
/* Adds the provides of the fixtures named order[0..n), failing when one is
 * a built-in or two of them provide the same variable. */
int suite_scope_fixtures(struct loader *L, const char *at, char *const *order, size_t n,
                         struct scope *sc);
/* Checks that every variable the step st at uses is defined, then adds its
 * captures. A ${quota_*} use is recorded in L->cur, and is an error when
 * L->cur is NULL (a fixture). */
int suite_scope_step(struct loader *L, const char *at, const struct step *st, struct scope *sc);
/* suite_scope_step for st[0..n), the steps at at.section. */
int suite_scope_steps(struct loader *L, const char *at, const char *section, const struct step *st,
                      size_t n, struct scope *sc);

/* ---- fixtures (fixture.c) ---- */

/* Appends f's needs (transitively) and then f itself to *order, each once:
 * a dependency order. The graph is known to be acyclic. */
int suite_closure_add(struct loader *L, const struct fixture *f, char ***order, size_t *n);
/* "holds": {"loadbalancers": 1}: quota name -> how many, 1-1000, into
 * *out, *n of them. */
int suite_parse_holds(struct loader *L, const char *at, json_t *v, struct suite_hold **out,
                      size_t *n);
/* Checks fixtures.json, L->file, of len bytes, into L->s's fixtures. 0,
 * or -1 with L->err set at the first problem. */
int suite_load_fixtures(struct loader *L, const char *data, size_t len);

/* ---- scenarios (scenario.c) ---- */

/* Checks a scenario file, L->file, of len bytes (its name included), and
 * appends its scenarios to L->s. 0, or -1 with L->err set. */
int suite_load_scenario_file(struct loader *L, const char *data, size_t len);

#endif
