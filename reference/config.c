/* reference/config.c -- defaults, quota table, mutation specs and the JSON
 * configuration file of the reference server. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/ac_json.h"
#include "internal.h"

static const struct {
    const char *name;
    long dflt;
    const char *help;
} quotas[REF_Q_COUNT] = {
    [REF_Q_SECRET_KEYS] = {"secret-keys", 5, "secret keys per account (4030013)"},
    [REF_Q_REPOSITORIES] = {"repositories", 3, "repositories per account (4030007)"},
    [REF_Q_TAGS] = {"tags", 3, "tags per repository (4030008)"},
    [REF_Q_LOADBALANCERS] = {"loadbalancers", 3, "load balancers per account (4000469)"},
    [REF_Q_LISTENERS] = {"listeners", 20, "listeners per load balancer (4000470)"},
    [REF_Q_CLUSTERS] = {"clusters", 50, "clusters per listener (4000471)"},
    [REF_Q_CERTS] = {"certs", 5, "certificates per account (4000413)"},
    [REF_Q_IPS_NCE] = {"ips-nce", 5, "nce-type IPs per account (4030302, 4030003)"},
    [REF_Q_IPS_NLB] = {"ips-nlb", 5, "nlb-type IPs per account (4030006)"},
    [REF_Q_SERVICES] = {"services", 5, "microservices + legacy apps per account (4030004)"},
    [REF_Q_CONTAINERS] = {"containers", 20,
                          "containers: replicas x containers of services + legacy (4030002)"},
    [REF_Q_REPLICAS] = {"replicas", 10, "replicas summed over services and apps (4030005)"},
    [REF_Q_ENVS] = {"envs", 999, "environment variables per container (4000123)"},
    [REF_Q_COMMAND_LENGTH] = {"command-length", 9999, "bytes of a start command (4000126)"},
    [REF_Q_LOG_DIRS] = {"log-dirs", 99, "log directories per container (4000127)"},
    [REF_Q_LOG_DIR_LENGTH] = {"log-dir-length", 999, "bytes of one log directory (4000128)"},
    [REF_Q_PORT_MAPS] = {"port-maps", 99, "port maps per service (4000139)"},
    [REF_Q_DESCRIPTION_LENGTH] = {"description-length", 999,
                                  "bytes of an LB or container description (4000482, 4000120)"},
};

const char *ref_quota_name(enum ref_quota q)
{
    return (unsigned)q < REF_Q_COUNT ? quotas[q].name : "?";
}

const char *ref_quota_help(enum ref_quota q)
{
    return (unsigned)q < REF_Q_COUNT ? quotas[q].help : "";
}

static void account_set(struct ref_account_config *a, const char *name, const char *key,
                        const char *secret, double balance, int frozen, long rate)
{
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "%s", name);
    snprintf(a->app_key, sizeof a->app_key, "%s", key);
    snprintf(a->app_secret, sizeof a->app_secret, "%s", secret);
    a->balance = balance;
    a->frozen = frozen;
    a->rate_limit = rate;
}

void ref_config_init(struct ref_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->host, sizeof cfg->host, "%s", "127.0.0.1");
    cfg->async_ms = 200;
    cfg->read_timeout_ms = 1000;
    cfg->connection_timeout_s = 30;
    cfg->connection_limit = 256;
    cfg->body_limit = 1024 * 1024;
    cfg->rate_limit = -1;
    for (int q = 0; q < REF_Q_COUNT; q++)
        cfg->quotas[q] = quotas[q].dflt;
    account_set(&cfg->accounts[0], "main", "conformance-key", "conformance-secret", 10000, 0, 0);
    account_set(&cfg->accounts[1], "other", "other-key", "other-secret", 10000, 0, 0);
    account_set(&cfg->accounts[2], "broke", "broke-key", "broke-secret", 0, 0, 0);
    account_set(&cfg->accounts[3], "frozen", "frozen-key", "frozen-secret", 10000, 1, 0);
    account_set(&cfg->accounts[4], "limited", "limited-key", "limited-secret", 10000, 0, 20);
    cfg->n_accounts = 5;
}

void ref_config_strict(struct ref_config *cfg)
{
    static const struct {
        enum ref_quota q;
        long n;
    } small[] = {
        {REF_Q_LOADBALANCERS, 2}, {REF_Q_SERVICES, 3},    {REF_Q_REPLICAS, 4},
        {REF_Q_REPOSITORIES, 3},  {REF_Q_CERTS, 3},       {REF_Q_IPS_NCE, 2},
        {REF_Q_IPS_NLB, 2},       {REF_Q_SECRET_KEYS, 3}, {REF_Q_CONTAINERS, 5},
    };

    cfg->strict = 1;
    for (size_t i = 0; i < sizeof small / sizeof small[0]; i++)
        cfg->quotas[small[i].q] = small[i].n;
}

struct ref_account_config *ref_config_account(struct ref_config *cfg, const char *name)
{
    char key[72], secret[72];

    for (size_t i = 0; i < cfg->n_accounts; i++)
        if (strcmp(cfg->accounts[i].name, name) == 0)
            return &cfg->accounts[i];
    if (cfg->n_accounts >= REF_MAX_ACCOUNTS ||
        !ref_chars_ok(name, "abcdefghijklmnopqrstuvwxyz0123456789-",
                      sizeof cfg->accounts[0].name - 1))
        return NULL;
    snprintf(key, sizeof key, "%s-key", name);
    snprintf(secret, sizeof secret, "%s-secret", name);
    account_set(&cfg->accounts[cfg->n_accounts], name, key, secret, 10000, 0, 0);
    return &cfg->accounts[cfg->n_accounts++];
}

static int quota_index(const char *name, size_t len)
{
    for (int q = 0; q < REF_Q_COUNT; q++)
        if (strlen(quotas[q].name) == len && strncmp(quotas[q].name, name, len) == 0)
            return q;
    return -1;
}

int ref_config_set_quota(struct ref_config *cfg, const char *spec, struct ac_error *err)
{
    const char *eq = strchr(spec, '=');
    long v;
    int q;

    if (!eq)
        return ac_error_set(err, AC_ERR_USAGE, NULL, "quota '%s' is not NAME=N", spec);
    q = quota_index(spec, (size_t)(eq - spec));
    if (q < 0)
        return ac_error_set(err, AC_ERR_USAGE, NULL, "unknown quota '%.*s'", (int)(eq - spec),
                            spec);
    if (!ref_parse_long(eq + 1, &v) || v < 0)
        return ac_error_set(err, AC_ERR_USAGE, NULL, "quota %s: '%s' is not a non-negative integer",
                            quotas[q].name, eq + 1);
    cfg->quotas[q] = v;
    return 0;
}

int ref_config_add_mutation(struct ref_config *cfg, const char *spec, struct ac_error *err)
{
    const char *colon = strchr(spec, ':');
    size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
    long code = 0;

    if (colon && (!ref_parse_long(colon + 1, &code) || !catalog_code_valid(code)))
        return ac_error_set(err, AC_ERR_USAGE, NULL, "mutation '%s': '%s' is not a 7-digit code",
                            spec, colon + 1);
    for (int k = 0; k < REF_MUT_COUNT; k++) {
        const char *name = ref_mutation_name((enum ref_mutation_kind)k);
        if (strlen(name) == len && strncmp(name, spec, len) == 0) {
            if (cfg->n_mutations >= REF_MAX_MUTATIONS)
                return ac_error_set(err, AC_ERR_USAGE, NULL, "too many mutations (max %d)",
                                    REF_MAX_MUTATIONS);
            cfg->mutations[cfg->n_mutations].kind = (enum ref_mutation_kind)k;
            cfg->mutations[cfg->n_mutations].code = code;
            cfg->n_mutations++;
            return 0;
        }
    }
    return ac_error_set(err, AC_ERR_USAGE, NULL, "unknown mutation '%.*s' (see --mutate help)",
                        (int)len, spec);
}

/* Reads an unsigned member into *out; 0, or -1 with err set. */
static int get_uint(const char *name, const char *key, json_t *v, unsigned long max,
                    unsigned long *out, struct ac_error *err)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0 ||
        (unsigned long)json_integer_value(v) > max)
        return ac_error_set(err, AC_ERR_INVALID, name, "\"%s\" must be an integer in [0, %lu]", key,
                            max);
    *out = (unsigned long)json_integer_value(v);
    return 0;
}

static int get_string(const char *name, const char *key, json_t *v, char *dst, size_t size,
                      struct ac_error *err)
{
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) >= size)
        return ac_error_set(err, AC_ERR_INVALID, name,
                            "\"%s\" must be a non-empty string of at most %zu bytes", key,
                            size - 1);
    snprintf(dst, size, "%s", json_string_value(v));
    return 0;
}

static int load_account(struct ref_config *cfg, const char *name, json_t *a, struct ac_error *err)
{
    struct ref_account_config *acc;
    const char *key;
    json_t *v;
    char where[300];

    v = json_object_get(a, "name");
    if (!json_is_object(a) || !json_is_string(v))
        return ac_error_set(err, AC_ERR_INVALID, name,
                            "each of \"accounts\" must be an object with a \"name\"");
    acc = ref_config_account(cfg, json_string_value(v));
    if (!acc)
        return ac_error_set(err, AC_ERR_INVALID, name,
                            "account '%s': bad name (a-z, 0-9, '-') or more than %d accounts",
                            json_string_value(v), REF_MAX_ACCOUNTS);
    snprintf(where, sizeof where, "%s: account %s", name, acc->name);
    json_object_foreach (a, key, v) {
        unsigned long u;
        if (strcmp(key, "name") == 0)
            continue;
        if (strcmp(key, "app-key") == 0) {
            if (get_string(where, key, v, acc->app_key, sizeof acc->app_key, err) < 0)
                return -1;
        } else if (strcmp(key, "app-secret") == 0) {
            if (get_string(where, key, v, acc->app_secret, sizeof acc->app_secret, err) < 0)
                return -1;
        } else if (strcmp(key, "balance") == 0) {
            if (!json_is_number(v))
                return ac_error_set(err, AC_ERR_INVALID, where, "\"balance\" must be a number");
            acc->balance = json_number_value(v);
        } else if (strcmp(key, "frozen") == 0) {
            if (!json_is_boolean(v))
                return ac_error_set(err, AC_ERR_INVALID, where, "\"frozen\" must be true/false");
            acc->frozen = json_is_true(v);
        } else if (strcmp(key, "rate-limit") == 0) {
            if (get_uint(where, key, v, 1000000, &u, err) < 0)
                return -1;
            acc->rate_limit = (long)u;
        } else {
            return ac_error_set(err, AC_ERR_INVALID, where, "unknown key \"%s\"", key);
        }
    }
    return 0;
}

int ref_config_load_json(struct ref_config *cfg, const char *name, const char *text, size_t len,
                         struct ac_error *err)
{
    json_t *root = ac_json_parse(name, text, len, AC_JSON_NOT_VALID, err);
    const char *key;
    json_t *v;
    int rc = -1;

    if (!root)
        goto out;
    if (!json_is_object(root)) {
        ac_error_set(err, AC_ERR_INVALID, name, "the configuration must be a JSON object");
        goto out;
    }
    json_object_foreach (root, key, v) {
        unsigned long u = 0;
        if (strcmp(key, "host") == 0) {
            if (get_string(name, key, v, cfg->host, sizeof cfg->host, err) < 0)
                goto out;
        } else if (strcmp(key, "port") == 0) {
            if (get_uint(name, key, v, 65535, &u, err) < 0)
                goto out;
            cfg->port = (int)u;
        } else if (strcmp(key, "latency-ms") == 0) {
            if (get_uint(name, key, v, 600000, &u, err) < 0)
                goto out;
            cfg->latency_ms = (unsigned)u;
        } else if (strcmp(key, "async-ms") == 0) {
            if (get_uint(name, key, v, 600000, &u, err) < 0)
                goto out;
            cfg->async_ms = (unsigned)u;
        } else if (strcmp(key, "read-timeout-ms") == 0) {
            if (get_uint(name, key, v, 600000, &u, err) < 0)
                goto out;
            cfg->read_timeout_ms = (unsigned)u;
        } else if (strcmp(key, "connection-timeout") == 0) {
            if (get_uint(name, key, v, 86400, &u, err) < 0)
                goto out;
            cfg->connection_timeout_s = (unsigned)u;
        } else if (strcmp(key, "connection-limit") == 0) {
            if (get_uint(name, key, v, 100000, &u, err) < 0)
                goto out;
            cfg->connection_limit = (unsigned)u;
        } else if (strcmp(key, "body-limit") == 0) {
            if (get_uint(name, key, v, 1024ul * 1024 * 1024, &u, err) < 0)
                goto out;
            cfg->body_limit = u;
        } else if (strcmp(key, "rate-limit") == 0) {
            if (get_uint(name, key, v, 1000000, &u, err) < 0)
                goto out;
            cfg->rate_limit = (long)u;
        } else if (strcmp(key, "faults") == 0 || strcmp(key, "quiet") == 0) {
            if (!json_is_boolean(v)) {
                ac_error_set(err, AC_ERR_INVALID, name, "\"%s\" must be true/false", key);
                goto out;
            }
            *(key[0] == 'f' ? &cfg->faults : &cfg->quiet) = json_is_true(v);
        } else if (strcmp(key, "quotas") == 0) {
            const char *qk;
            json_t *qv;
            if (!json_is_object(v)) {
                ac_error_set(err, AC_ERR_INVALID, name, "\"quotas\" must be an object");
                goto out;
            }
            json_object_foreach (v, qk, qv) {
                int q = quota_index(qk, strlen(qk));
                if (q < 0) {
                    ac_error_set(err, AC_ERR_INVALID, name, "unknown quota \"%s\"", qk);
                    goto out;
                }
                if (get_uint(name, qk, qv, 100000000, &u, err) < 0)
                    goto out;
                cfg->quotas[q] = (long)u;
            }
        } else if (strcmp(key, "accounts") == 0) {
            size_t i;
            json_t *a;
            if (!json_is_array(v)) {
                ac_error_set(err, AC_ERR_INVALID, name, "\"accounts\" must be an array");
                goto out;
            }
            json_array_foreach (v, i, a) {
                if (load_account(cfg, name, a, err) < 0)
                    goto out;
            }
        } else if (strcmp(key, "mutate") == 0) {
            size_t i;
            json_t *m;
            if (!json_is_array(v)) {
                ac_error_set(err, AC_ERR_INVALID, name, "\"mutate\" must be an array of names");
                goto out;
            }
            json_array_foreach (v, i, m) {
                if (!json_is_string(m)) {
                    ac_error_set(err, AC_ERR_INVALID, name, "\"mutate\" must hold strings");
                    goto out;
                }
                if (ref_config_add_mutation(cfg, json_string_value(m), err) < 0)
                    goto out;
            }
        } else {
            ac_error_set(err, AC_ERR_INVALID, name, "unknown key \"%s\"", key);
            goto out;
        }
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}

int ref_config_load_file(struct ref_config *cfg, const char *path, struct ac_error *err)
{
    struct ac_buf b = AC_BUF_INIT;
    int rc = -1;

    if (ac_file_read(path, 1024 * 1024, &b, err) == 0)
        rc = ref_config_load_json(cfg, path, b.data ? b.data : "", b.len, err);
    ac_buf_release(&b);
    return rc;
}
