/* runners/profile.h -- a target profile: one JSON file (schema
 * "apiconform-profile/1") describing one deployment under test, so that a
 * team commits a file per environment instead of a long command line.
 *
 * The module loads and validates the file (jansson; every error names the
 * file, the key path and what was expected; an unknown key is an error)
 * and turns it into the command-line words it stands for, placed before
 * the words the user typed so that the command line wins. It knows nothing
 * of HTTP, scenarios or the engine: quotas and fixtures are only held here,
 * for whoever consumes them. No secret is in a profile: credentials are
 * the names of environment variables, exactly as on the command line. */
#ifndef PROFILE_H
#define PROFILE_H

#include <stddef.h>

#include "../common/ac.h"

#include "../suite/suite.h"

#define PROFILE_SCHEMA "apiconform-profile/1"

/* The quota names a profile may give are suite_quota_names (suite.h):
 * those of `apiconform-ref --quota help`, plus the runner's own
 * (rate-per-second: the requests per second one account may send). */

/* How to obtain one account's token: either the app key and secret are in
 * two environment variables, or a token is in one. */
struct profile_account {
    char *name;           /* "broke"; NULL for the main credentials */
    char *app_key_env;    /* variable names, or NULL */
    char *app_secret_env; /* given with app_key_env */
    char *token_env;      /* or this alone */
};

/* One fixture of the suite served by an existing resource: its variables
 * given directly, so that its setup and teardown need not run. */
struct profile_fixture {
    char *name;  /* the suite's fixture name */
    char **vars; /* nvars "VARIABLE=value" strings, in file order */
    size_t nvars;
};

struct profile_quota {
    const char *name; /* one of suite_quota_names (static) */
    long value;       /* >= 0 */
};

/* A loaded profile. Optional scalars hold -1 (or NULL) when absent. */
struct profile {
    char *path;                         /* as given to profile_load */
    char *base_url;                     /* or NULL */
    int has_credentials;                /* "credentials" given */
    struct profile_account credentials; /* name NULL */
    struct profile_account *accounts;   /* naccounts, file order */
    size_t naccounts;
    char **allow; /* nallow capabilities */
    size_t nallow;
    int has_allow;                /* "allow" given (even empty) */
    struct profile_quota *quotas; /* nquotas, file order */
    size_t nquotas;
    struct profile_fixture *fixtures; /* nfixtures, file order */
    size_t nfixtures;
    char **features; /* nfeatures names */
    size_t nfeatures;
    long jobs;            /* 1-1024, or -1 */
    double rps;           /* >= 0, or -1 */
    long timeout_ms;      /* 1-3600000, or -1 */
    long max_response_ms; /* 0-3600000, or -1 */
    long retry_after_max; /* seconds 1-3600, or -1 */
    long poll_timeout;    /* seconds 0-86400, or -1 */
    char *cacert;         /* or NULL */
    int insecure;         /* 0 or 1, or -1 */
};

/* Loads and validates path. Caller owns the result (profile_free). NULL
 * with err: AC_ERR_IO when the file cannot be read, AC_ERR_PARSE for bad
 * JSON ("line 3, column 5: ..."), AC_ERR_INVALID for a well-formed file
 * that breaks a rule; err->where is the path, err->text starts with the
 * key path ("quotas.loadbalancers: expected a non-negative integer, got
 * \"2\""). */
struct profile *profile_load(const char *path, struct ac_error *err);

/* No-op on NULL. */
void profile_free(struct profile *p);

/* The quota the profile gives for name, or -1 when it gives none (the
 * quota is unknown). */
long profile_quota(const struct profile *p, const char *name);

/* The fixture the profile serves under name, or NULL. Borrowed: valid
 * until profile_free. */
const struct profile_fixture *profile_fixture(const struct profile *p, const char *name);

struct suite;

/* Checks the profile's fixtures against the suite: each names a fixture
 * of the suite and gives every variable that fixture provides, and no
 * other. 0, or -1 with err (AC_ERR_INVALID, where: the profile's path):
 * "fixtures.lb: no such fixture in the suite (see suite/fixtures.json)",
 * "fixtures.namespace: expected the variables ns, ns_id (what the fixture
 * provides), missing ns_id". */
int profile_check_fixtures(const struct profile *p, const struct suite *s, struct ac_error *err);

/* 1 when the profile enables feature name, else 0. */
int profile_feature(const struct profile *p, const char *name);

/* Which subcommand the words are for: sweep takes only the target, the
 * credentials and the TLS options. */
enum profile_cmd { PROFILE_FOR_RUN, PROFILE_FOR_SWEEP };

/* Takes a subcommand's argv (argv[0] is the subcommand) and, when it holds
 * --profile FILE (or --profile=FILE), loads FILE into *out and builds in
 * *nargv a new vector: argv[0], the profile's words, then argv without the
 * --profile option. Precedence (the command line wins):
 *  - a scalar option (--base-url, --jobs, --rps, --timeout, --cacert, ...)
 *    comes after the profile's, and getopt keeps the last one;
 *  - any credential option (--token-env, --app-key-env, --app-secret-env)
 *    on the command line drops the profile's "credentials";
 *  - any --allow on the command line drops the profile's "allow";
 *  - --account NAME:... drops the profile's account NAME only;
 *  - "insecure": true cannot be undone from the command line.
 * Scanning stops at "--". Without --profile, *out is NULL and *nargv a copy
 * of argv. 0, or -1 with err (a usage error: --profile twice or without a
 * value; or the profile's own error). Caller frees *nargv with
 * profile_argv_free (the strings it points to are owned by *nargv or by
 * argv) and *out with profile_free. */
int profile_argv(int argc, char **argv, enum profile_cmd cmd, struct profile **out, int *nargc,
                 char ***nargv, struct ac_error *err);

/* Frees a vector from profile_argv; no-op on NULL. */
void profile_argv_free(char **nargv);

#endif
