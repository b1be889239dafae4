/* reference/state.c -- the in-memory world: accounts, tokens, resources as
 * JSON objects, asynchronous transitions, and the counts of /__ref/state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Tokens live 24 hours ("expires_in": "86399"); beyond this many the oldest
 * are dropped, so that a client minting tokens in a loop cannot grow us. */
#define TOKEN_LIFETIME_MS (86400LL * 1000)
#define TOKEN_CAP 4096

static const char *const kind_names[REF_K_COUNT] = {
    [REF_K_SECRET_KEYS] = "secret_keys",
    [REF_K_REPOSITORIES] = "repositories",
    [REF_K_FAVORITES] = "favorites",
    [REF_K_CONTAINERS] = "containers",
    [REF_K_APPS] = "apps",
    [REF_K_NAMESPACES] = "namespaces",
    [REF_K_SERVICES] = "services",
    [REF_K_VOLUMES] = "volumes",
    [REF_K_IPS] = "ips",
    [REF_K_LOADBALANCERS] = "loadbalancers",
    [REF_K_CERTS] = "certs",
    [REF_K_RDS] = "rds_instances",
};

long ref_state_id(struct ref_state *st)
{
    return st->next_id++;
}

int ref_state_init(struct ref_state *st, const struct ref_config *cfg)
{
    memset(st, 0, sizeof *st);
    st->cfg = cfg;
    st->next_id = 1001;
    for (size_t i = 0; i < cfg->n_accounts; i++) {
        struct ref_account *a = &st->accounts[i];
        json_t *ns;
        char name[96];

        a->cfg = cfg->accounts[i];
        a->rate_limit = cfg->rate_limit >= 0 ? cfg->rate_limit : a->cfg.rate_limit;
        for (int k = 0; k < REF_K_COUNT; k++) {
            a->res[k] = json_array();
            if (!a->res[k])
                return -1;
        }
        st->n_accounts++;
        /* Every account has a default namespace that cannot be deleted. */
        snprintf(name, sizeof name, "default-%s", a->cfg.name);
        ns = json_pack("{s:b, s:I, s:s, s:s, s:i}", "deletable", 0, "id",
                       (json_int_t)ref_state_id(st), "display_name", "default", "namespace", name,
                       "_default", 1);
        if (!ns || json_array_append_new(a->res[REF_K_NAMESPACES], ns) < 0)
            return -1;
    }
    return 0;
}

void ref_state_release(struct ref_state *st)
{
    while (st->tokens) {
        struct ref_token *t = st->tokens;
        st->tokens = t->next;
        free(t->ring);
        free(t);
    }
    for (size_t i = 0; i < st->n_accounts; i++)
        for (int k = 0; k < REF_K_COUNT; k++)
            json_decref(st->accounts[i].res[k]);
    memset(st, 0, sizeof *st);
}

struct ref_account *ref_state_login(struct ref_state *st, const char *key, const char *secret)
{
    for (size_t i = 0; i < st->n_accounts; i++)
        if (strcmp(st->accounts[i].cfg.app_key, key) == 0 &&
            strcmp(st->accounts[i].cfg.app_secret, secret) == 0)
            return &st->accounts[i];
    return NULL;
}

struct ref_account *ref_state_account(struct ref_state *st, const char *name)
{
    for (size_t i = 0; i < st->n_accounts; i++)
        if (strcmp(st->accounts[i].cfg.name, name) == 0)
            return &st->accounts[i];
    return NULL;
}

const struct ref_token *ref_state_token_new(struct ref_state *st, struct ref_account *acct,
                                            long long now)
{
    struct ref_token *t = calloc(1, sizeof *t);

    if (!t)
        return NULL;
    if (acct->rate_limit > 0) {
        t->ring_len = (size_t)acct->rate_limit;
        t->ring = calloc(t->ring_len, sizeof *t->ring);
        if (!t->ring) {
            free(t);
            return NULL;
        }
        for (size_t i = 0; i < t->ring_len; i++)
            t->ring[i] = -TOKEN_LIFETIME_MS;
    }
    ref_random_hex(t->token, 32);
    t->acct = acct;
    t->expires_ms = now + TOKEN_LIFETIME_MS;
    t->next = st->tokens;
    st->tokens = t;
    if (++st->n_tokens > TOKEN_CAP) {
        struct ref_token **pp = &st->tokens;
        while ((*pp)->next)
            pp = &(*pp)->next;
        free((*pp)->ring);
        free(*pp);
        *pp = NULL;
        st->n_tokens--;
    }
    return t;
}

struct ref_token *ref_state_token_find(struct ref_state *st, const char *token, long long now)
{
    for (struct ref_token *t = st->tokens; t; t = t->next)
        if (strcmp(t->token, token) == 0)
            return t->expires_ms > now ? t : NULL;
    return NULL;
}

int ref_state_rate_exceeded(struct ref_token *t, long long now)
{
    /* A sliding window: the ring holds the times of the last N accepted
     * requests; one more is allowed only if the oldest of them is at least a
     * second old. N+1 requests within a second therefore always trip it,
     * wherever the second boundaries fall. */
    if (t->ring_len == 0)
        return 0;
    if (now - t->ring[t->ring_pos] < 1000)
        return 1;
    t->ring[t->ring_pos] = now;
    t->ring_pos = (t->ring_pos + 1) % t->ring_len;
    return 0;
}

json_t *ref_find_by_path_id(struct ref_call *c, enum ref_kind kind, const char *key, long bad_code,
                            long missing_code, size_t *index, long *code)
{
    json_t *found;
    long id;

    if (!ref_parse_long(c->p[0], &id)) {
        *code = bad_code;
        return NULL;
    }
    found = ref_find_int(c->acct->res[kind], key, id, index);
    if (!found)
        *code = missing_code;
    return found;
}

json_t *ref_find_int(json_t *arr, const char *key, long value, size_t *index)
{
    size_t i;
    json_t *o;

    json_array_foreach (arr, i, o) {
        json_t *v = json_object_get(o, key);
        if (json_is_integer(v) && json_integer_value(v) == value) {
            if (index)
                *index = i;
            return o;
        }
    }
    return NULL;
}

json_t *ref_find_str(json_t *arr, const char *key, const char *value, size_t *index)
{
    size_t i;
    json_t *o;

    json_array_foreach (arr, i, o) {
        json_t *v = json_object_get(o, key);
        if (json_is_string(v) && strcmp(json_string_value(v), value) == 0) {
            if (index)
                *index = i;
            return o;
        }
    }
    return NULL;
}

long ref_int(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_integer(v) ? (long)json_integer_value(v) : 0;
}

const char *ref_str(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

json_t *ref_public(const json_t *obj)
{
    if (json_is_object(obj)) {
        json_t *out = json_object();
        const char *key;
        json_t *v;
        json_object_foreach ((json_t *)obj, key, v) {
            if (key[0] != '_')
                json_object_set_new(out, key, ref_public(v));
        }
        return out;
    }
    if (json_is_array(obj)) {
        json_t *out = json_array();
        size_t i;
        json_t *v;
        json_array_foreach (obj, i, v)
            json_array_append_new(out, ref_public(v));
        return out;
    }
    return json_deep_copy(obj);
}

void ref_schedule(json_t *obj, long long now, unsigned ms, json_t *next)
{
    if (!next)
        next = json_string("__gone");
    json_object_set_new(obj, "_next", next);
    json_object_set_new(obj, "_ready_at", json_integer(now + ms));
}

/* Applies due transitions to the objects of arr (and of their nested
 * "tags" and "_listeners" arrays); removes the objects whose time is up. */
static void tick_array(json_t *arr, long long now)
{
    size_t i = 0;

    while (i < json_array_size(arr)) {
        json_t *o = json_array_get(arr, i);
        json_t *at = json_object_get(o, "_ready_at");
        json_t *nested;

        if (json_is_integer(at) && json_integer_value(at) <= now) {
            json_t *next = json_object_get(o, "_next");
            if (json_is_string(next) && strcmp(json_string_value(next), "__gone") == 0) {
                json_array_remove(arr, i);
                continue;
            }
            json_object_set(o, "status", next);
            json_object_del(o, "_next");
            json_object_del(o, "_ready_at");
        }
        nested = json_object_get(o, "tags");
        if (json_is_array(nested))
            tick_array(nested, now);
        nested = json_object_get(o, "_listeners");
        if (json_is_array(nested))
            tick_array(nested, now);
        i++;
    }
}

void ref_state_tick(struct ref_state *st, long long now)
{
    for (size_t i = 0; i < st->n_accounts; i++)
        for (int k = 0; k < REF_K_COUNT; k++)
            tick_array(st->accounts[i].res[k], now);
}

json_t *ref_state_counts(struct ref_state *st)
{
    json_t *accounts = json_object();
    long total = 0;

    for (size_t i = 0; i < st->n_accounts; i++) {
        struct ref_account *a = &st->accounts[i];
        json_t *c = json_object();
        long tags = 0, listeners = 0, n;
        size_t j;
        json_t *o;

        for (int k = 0; k < REF_K_COUNT; k++) {
            n = (long)json_array_size(a->res[k]);
            if (k == REF_K_NAMESPACES)
                n--; /* the default namespace is not a leftover */
            json_object_set_new(c, kind_names[k], json_integer(n));
            total += n;
        }
        json_array_foreach (a->res[REF_K_REPOSITORIES], j, o)
            tags += (long)json_array_size(json_object_get(o, "tags"));
        json_array_foreach (a->res[REF_K_LOADBALANCERS], j, o)
            listeners += (long)json_array_size(json_object_get(o, "_listeners"));
        json_object_set_new(c, "tags", json_integer(tags));
        json_object_set_new(c, "listeners", json_integer(listeners));
        total += tags + listeners;
        json_object_set_new(accounts, a->cfg.name, c);
    }
    return json_pack("{s:o, s:I}", "accounts", accounts, "total", (json_int_t)total);
}
