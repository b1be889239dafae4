/* suite/suite.h -- scenarios: the requests that provoke each catalog code.
 *
 * A suite is a directory of JSON files, one per catalog code,
 * suite/<service>/<code>.json, each holding one or more scenarios, plus
 * suite/fixtures.json with the shared fixtures (create a namespace, a load
 * balancer, ... and delete it again). The format is documented in
 * suite/README.md. This module loads and validates a suite against a catalog
 * and expands the ${variable} templates of a step; it never sends anything
 * (that is the runner's engine) and never judges a response (the checks).
 *
 * Every loader error names the file and a position (jansson's line:column
 * for syntax errors, else a key path such as scenarios[2].setup[0].method)
 * and says what was expected; the caller exits 2. */
#ifndef SUITE_H
#define SUITE_H

#include <jansson.h>
#include <stddef.h>

#include "../catalog/catalog.h"
#include "../common/ac.h"

/* A scenario or fixtures file larger than this is an error. */
#define SUITE_MAX_FILE_BYTES (1024u * 1024u)

enum scenario_class {
    SCENARIO_STATELESS, /* one request, nothing created beforehand */
    SCENARIO_STATEFUL,  /* setup creates resources; teardown deletes them */
    SCENARIO_LIMIT,     /* a quota, balance or rate must be exhausted */
    SCENARIO_FAULT,     /* only server-side fault injection produces it */
};

enum step_auth {
    STEP_AUTH_TOKEN,   /* "token" (default): Authorization: Token <main token> */
    STEP_AUTH_NONE,    /* "none": no Authorization header at all */
    STEP_AUTH_INVALID, /* "invalid": a well-formed token the target never issued */
    STEP_AUTH_ACCOUNT, /* "account:NAME": the token of named account NAME */
};

/* A name and a template value ("${ns}"), kept in file order. */
struct suite_kv {
    char *name;  /* header name, query parameter or variable name */
    char *value; /* template text, or a JSON Pointer for captures */
};

/* The quota kinds of a deployment, by the names of apiconform-ref --quota
 * and of a profile's "quotas": what fixtures and scenarios hold ("holds")
 * and what a limit scenario fills ("repeat": {"quota": NAME}). In a
 * template, ${quota_NAME} (with '_' for '-': ${quota_ips_nce}) is the
 * profile's number. NULL-terminated; SUITE_NQUOTAS names. */
#define SUITE_NQUOTAS 19
extern const char *const suite_quota_names[SUITE_NQUOTAS + 1];
/* The index of a quota name in suite_quota_names, or -1. */
int suite_quota_index(const char *name);

/* What a fixture or scenario holds of one quota while it lives. */
struct suite_hold {
    int quota; /* index into suite_quota_names */
    int n;     /* >= 1 */
};

/* Poll a step until a pointer in its JSON response equals a value, or
 * (until_status) until the answer has a given status: "until it is gone"
 * is {"until_status": 404}. */
struct step_retry {
    char *pointer;    /* JSON Pointer into the response body, "/status"; NULL
                         with until_status */
    json_t *equals;   /* owned; the value to wait for ("WORKING"), or NULL */
    int until_status; /* 0, or the status to wait for */
    int attempts;     /* at most this many requests, >= 1 */
    int interval_ms;  /* pause between attempts */
};

/* One HTTP request of a scenario or fixture. */
struct step {
    char *label;            /* "create load balancer"; generated when absent */
    char *method;           /* "GET", "POST", ...; upper case */
    char *path;             /* template, "/api/v1/nlb/loadbalancers/${lb}" */
    struct suite_kv *query; /* query parameters (templates), in order */
    size_t nquery;
    struct suite_kv *headers; /* extra request headers (templates), in order */
    size_t nheaders;
    json_t *json;       /* owned template JSON body, or NULL */
    char *body;         /* raw body template, or NULL (exclusive with json) */
    char *content_type; /* Content-Type for the body; NULL: application/json
                           for json bodies, none otherwise */
    enum step_auth auth;
    char *account;             /* account name for STEP_AUTH_ACCOUNT, else NULL */
    struct suite_kv *captures; /* variable -> JSON Pointer into the response */
    size_t ncaptures;
    int *statuses; /* accepted statuses for setup/teardown steps;
                      empty (n == 0) means any 2xx */
    size_t nstatuses;
    struct step_retry *retry; /* owned, or NULL */
    int repeat;               /* probe only: send up to this many times until a
                                 non-2xx answer; 0 = once. ${i} is the attempt
                                 number; captures of 2xx answers are appended
                                 to list variables */
    long stall;               /* declared Content-Length larger than the body:
                                 send the body, then wait; 0 = off */
    char *for_each;           /* teardown: run once per value of this list
                                 variable, bound to the same name; or NULL */
    int repeat_quota;         /* probe: -1, or a quota index: send up to that
                                 quota + 1 times (repeat is then 0 in the file
                                 and set by the runner from the profile) */
    int repeat_from;          /* the first ${i} of a quota repeat (default 1) */
    char *unless;             /* setup: skip the step when this variable is
                                 already set (find-or-create), or NULL */
    char *find_in;            /* capture from the first element of the array at
                                 this pointer whose member find_key equals
                                 find_value; no match captures nothing */
    char *find_key, *find_value;
};

/* A shared fixture from suite/fixtures.json. */
struct fixture {
    char *name;   /* "load-balancer" */
    char **needs; /* fixtures that must be set up first (names) */
    size_t nneeds;
    struct step *setup; /* run in order */
    size_t nsetup;
    struct step *teardown; /* run in order, after the scenario's teardown */
    size_t nteardown;
    char **provides; /* variables its setup captures */
    size_t nprovides;
    struct suite_hold *holds; /* what it holds while it lives */
    size_t nholds;
    int run_scope;  /* "scope": "run": set up once per run and shared by every
                       scenario that uses it (no teardown) */
    int persistent; /* "persistent": true: run-scoped, found or created under
                       a stable name, never deleted; reports list it */
};

/* Message comparison mode of the `message` check. */
enum message_mode {
    MESSAGE_DEFAULT = -1, /* use the run's --message-match */
    MESSAGE_EXACT = 0,    /* byte for byte */
    MESSAGE_NORMALIZED,   /* case, surrounding space and final period ignored */
    MESSAGE_IGNORE,       /* not compared */
};

struct scenario {
    char *id;    /* stable, unique across the suite: "lb-describe-unknown" */
    long code;   /* expected catalog code */
    int service; /* catalog_code_service(code) */
    char *title; /* one line for humans */
    enum scenario_class cls;
    char **requires; /* capabilities: "destructive", "limit", "fault",
                        "account:NAME", "feature:NAME"; includes those implied by the
                        class (stateful -> destructive, limit -> limit +
                        destructive, fault -> fault) and by auth modes */
    size_t nrequires;
    char **tags;
    size_t ntags;
    char **fixtures; /* fixture names, set up in dependency order */
    size_t nfixtures;
    struct step *setup;
    size_t nsetup;
    struct step request; /* the probe whose answer is judged */
    struct step *teardown;
    size_t nteardown;
    enum message_mode message_mode;
    struct suite_hold *holds; /* what its own steps hold (fixtures not counted) */
    size_t nholds;
    char **quotas; /* quota names it is sized by (${quota_*}, repeat
                      quota); unknown in the profile: skipped */
    size_t nquotas;
    char *file;   /* "suite/04/4040402.json", as loaded */
    size_t index; /* position in its file */
};

struct suite; /* opaque */

/* Loads every suite/<NN>/<code>.json below dir plus dir/fixtures.json (if
 * present), validates each against the catalog and returns the suite in a
 * stable order (by file path, then position). NULL with err set: AC_ERR_IO
 * (unreadable directory or file), AC_ERR_PARSE (JSON syntax, where is
 * "file:line:column"), AC_ERR_INVALID (every other rule, where is the file
 * and text starts with the key path), AC_ERR_NOMEM. cat may be NULL: codes
 * are then not looked up (the file name rules still hold). */
struct suite *suite_load(const char *dir, const struct catalog *cat, struct ac_error *err);

/* Loads one scenario file (fixtures_json: NULL, or the NUL-terminated text
 * of a fixtures file); for tests and fuzzing. name is used in messages and
 * follows the file name rules ("suite/04/4040402.json" or "4040402.json");
 * the fixtures text is named after it ("suite/fixtures.json",
 * "fixtures.json"). Errors as suite_load. */
struct suite *suite_load_file_buffer(const char *name, const char *data, size_t len,
                                     const char *fixtures_json, const struct catalog *cat,
                                     struct ac_error *err);

void suite_free(struct suite *s);

/* Sizes the probes that fill a quota ("repeat": {"quota": NAME}) from the
 * target's quotas (SUITE_NQUOTAS numbers, -1 unknown; NULL: all unknown):
 * up to quota + 1 sends, so that the last must be refused whatever the
 * account already holds. Unknown: 0 (the plan skips those scenarios). */
void suite_set_quotas(struct suite *s, const long *quotas);

/* Defines the quota variables of one scenario run for each quota known
 * (quotas: SUITE_NQUOTAS numbers, -1 unknown; NULL: none): ${quota_NAME},
 * ${over_quota_NAME} (one more) and ${quota_left_NAME} (less what sc's
 * fixtures hold; the quota itself when s or sc is NULL). */
struct vars;
void suite_set_quota_vars(struct vars *v, const struct suite *s, const struct scenario *sc,
                          const long *quotas);

/* The sum of what sc and all its fixtures hold, per quota (SUITE_NQUOTAS
 * counts), for reports and preflight. */
void suite_scenario_holds(const struct suite *s, const struct scenario *sc, int *holds);

/* Which of a scenario's fixtures suite_scenario_holds_if counts: nonzero
 * for one it counts (one the scenario sets up itself, say). */
typedef int (*suite_fixture_filter)(void *ud, const struct fixture *f);

/* As suite_scenario_holds, counting only the fixtures counts() accepts
 * (all of them when counts is NULL); kept, when not NULL, receives the
 * part of holds that persistent fixtures hold (SUITE_NQUOTAS counts).
 * The one sum the runner leases by and doctor checks by. */
void suite_scenario_holds_if(const struct suite *s, const struct scenario *sc,
                             suite_fixture_filter counts, void *ud, int *holds, int *kept);

size_t suite_count(const struct suite *s);
/* Borrowed: valid until suite_free. */
const struct scenario *suite_at(const struct suite *s, size_t i);
/* Borrowed, or NULL when no fixture has that name. */
const struct fixture *suite_fixture(const struct suite *s, const char *name);
/* The fixtures in fixtures.json order (for sweep, which reads their
 * teardown steps); i < suite_fixture_count. Borrowed, NULL past the end. */
size_t suite_fixture_count(const struct suite *s);
const struct fixture *suite_fixture_at(const struct suite *s, size_t i);
/* SHA-256 over the suite's files: for each, its path relative to the suite
 * directory, a NUL, then its bytes; fixtures.json first, then the scenario
 * files in path order. 64 lower-case hex digits. Borrowed. */
const char *suite_sha256(const struct suite *s);

/* Variables of one scenario run: name -> JSON value (string, number, or an
 * array for list variables captured by repeat). */
struct vars;
struct vars *vars_new(void);
void vars_free(struct vars *v);
/* Sets name to value (borrowed: incref'd). 0 or -1 on no memory. */
int vars_set(struct vars *v, const char *name, json_t *value);
int vars_set_str(struct vars *v, const char *name, const char *value);
/* Appends value to list variable name (created empty on first use). */
int vars_append(struct vars *v, const char *name, json_t *value);
/* Borrowed, or NULL when unset. */
json_t *vars_get(const struct vars *v, const char *name);

/* Expands ${name} in tmpl into out (appending). Strings are inserted as
 * is, integers in decimal, reals with %.17g; "$${" is a literal "${".
 * -1 with err naming the variable when one is unset. */
int suite_expand(const char *tmpl, const struct vars *v, struct ac_buf *out, struct ac_error *err);

/* Expands a JSON template: every string is expanded as above, except a
 * string that is exactly "${name}", which is replaced by the variable's
 * JSON value (so a captured number stays a number). New reference, or
 * NULL with err set. */
json_t *suite_expand_json(const json_t *tmpl, const struct vars *v, struct ac_error *err);

/* Evaluates a JSON Pointer (RFC 6901) against root. Borrowed, or NULL when
 * it does not resolve. "" is the root itself. */
json_t *suite_json_pointer(json_t *root, const char *pointer);

/* Names of the ${variables} a template uses, appended to names (caller
 * frees each and the array), each name once (names already in the array
 * are not added again). For the loader's undefined-variable check and the
 * runner's teardown skipping. 0, or -1 on no memory or a malformed
 * template (what was appended before stays). */
int suite_template_vars(const char *tmpl, char ***names, size_t *n);

/* Same for every template of a step (path, query and header values, json
 * strings, body) plus its for_each list: the variables that must be set
 * for the step to run. */
int suite_step_vars(const struct step *st, char ***names, size_t *n);

/* Expands the body of a step into out (appending): the raw body template,
 * or the json template as compact JSON; nothing when the step has no
 * body. 0 or -1 with err set (as suite_expand). */
int suite_step_body(const struct step *st, const struct vars *v, struct ac_buf *out,
                    struct ac_error *err);

/* The Content-Type to send: content_type, else "application/json" for a
 * json body, else NULL (no header). Borrowed from st. */
const char *suite_step_content_type(const struct step *st);

const char *scenario_class_name(enum scenario_class c);

#endif
