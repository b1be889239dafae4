/* reference/h_legacy.c -- the 2016 Beta container and app (cluster) APIs
 * (REFERENCE.md §6.10): removed from the main document but the origin of
 * several service-00 codes (4030010, 4030011, 4040002, 4040003, 4090001-3,
 * 5000001-4). Also the usage counts the quotas of services share. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const long legacy_specs[] = {1, 10, 20, 30, 40, 50};

static int in_set(long v, const long *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == v)
            return 1;
    return 0;
}

/* An optional member that must be one of the listed integers. */
static int opt_enum(const json_t *body, const char *key, const long *set, size_t n, long *out)
{
    json_t *v = json_object_get(body, key);
    long x;

    if (ref_absent(v))
        return 1;
    if (!ref_json_long(v, &x) || !in_set(x, set, n))
        return 0;
    if (out)
        *out = x;
    return 1;
}

static int opt_string(const json_t *body, const char *key, size_t max)
{
    json_t *v = json_object_get(body, key);
    return ref_absent(v) || (json_is_string(v) && json_string_length(v) <= max);
}

/* env_var: an object of string values. */
static int opt_env(const json_t *body)
{
    json_t *v = json_object_get(body, "env_var"), *x;
    const char *k;

    if (ref_absent(v))
        return 1;
    if (!json_is_object(v))
        return 0;
    json_object_foreach (v, k, x) {
        if (!json_is_string(x) || !ref_chars_ok(k,
                                                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
                                                "qrstuvwxyz0123456789_",
                                                255))
            return 0;
    }
    return 1;
}

long ref_count_services(struct ref_account *a)
{
    return (long)(json_array_size(a->res[REF_K_SERVICES]) + json_array_size(a->res[REF_K_APPS]));
}

long ref_count_replicas(struct ref_account *a)
{
    long n = 0;
    size_t i;
    json_t *o;

    json_array_foreach (a->res[REF_K_SERVICES], i, o)
        n += ref_int(o, "replicas");
    json_array_foreach (a->res[REF_K_APPS], i, o)
        n += ref_int(o, "replicas");
    return n;
}

long ref_count_containers(struct ref_account *a)
{
    long n = (long)json_array_size(a->res[REF_K_CONTAINERS]);
    size_t i;
    json_t *o;

    json_array_foreach (a->res[REF_K_SERVICES], i, o)
        n += ref_int(o, "replicas") * (long)json_array_size(json_object_get(o, "_containers"));
    json_array_foreach (a->res[REF_K_APPS], i, o)
        n += ref_int(o, "replicas");
    return n;
}

int ref_h_legacy_images(struct ref_call *c)
{
    static const char *const names[] = {"ubuntu", "centos", "nginx", "redis", "mysql"};
    json_t *pub = json_array(), *custom = json_array();
    size_t i;
    json_t *repo;

    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        json_array_append_new(pub, json_pack("{s:s, s:s, s:i, s:I, s:s, s:{s:i, s:i, s:i, s:i}}",
                                             "tag", "latest", "desc", "", "weight", 0, "id",
                                             (json_int_t)(i + 1), "name", names[i], "constraint",
                                             "min_combo", 1, "max_combo", 50, "min_machine_spec", 1,
                                             "max_machine_spec", 50));
    json_array_foreach (c->acct->res[REF_K_REPOSITORIES], i, repo) {
        size_t k;
        json_t *t;
        json_array_foreach (json_object_get(repo, "tags"), k, t) {
            if (ref_int(t, "status") == 2)
                json_array_append_new(custom, json_pack("{s:s, s:s, s:i, s:I, s:s}", "tag",
                                                        ref_str(t, "name"), "desc",
                                                        ref_str(repo, "base_desc"), "weight", 0,
                                                        "id", (json_int_t)ref_int(repo, "repo_id"),
                                                        "name", ref_str(repo, "repo_name")));
        }
    }
    return ref_ok(c, 200, json_pack("{s:o, s:o}", "custom_images", custom, "public_images", pub));
}

static int list_page(struct ref_call *c, json_t *arr, const char *key)
{
    const char *l = ref_req_query(c->req, "limit"), *o = ref_req_query(c->req, "offset");
    long limit = 20, offset = 0;
    json_t *list;

    if ((l && (!ref_parse_long(l, &limit) || limit <= 0 || limit > 30)) ||
        (o && (!ref_parse_long(o, &offset) || offset < 0)))
        return ref_fail(c, 4000001);
    list = json_array();
    for (size_t i = (size_t)offset; i < json_array_size(arr) && (long)json_array_size(list) < limit;
         i++)
        json_array_append_new(list, ref_public(json_array_get(arr, i)));
    return ref_ok(c, 200,
                  json_pack("{s:I, s:o}", "total", (json_int_t)json_array_size(arr), key, list));
}

/* The resource of kind addressed by path parameter i: NULL with *code set
 * to 4000001 (not an id) or notfound. */
static json_t *by_id(struct ref_call *c, int i, enum ref_kind kind, long notfound, size_t *at,
                     long *code)
{
    long id;
    json_t *o;

    if (!ref_parse_long(c->p[i], &id)) {
        *code = 4000001;
        return NULL;
    }
    o = ref_find_int(c->acct->res[kind], "id", id, at);
    if (!o)
        *code = notfound;
    return o;
}

/* ---- containers ---- */

int ref_h_container_create(struct ref_call *c)
{
    static const long one_two[] = {1, 2}, zero_one[] = {0, 1};
    json_t *b = c->body, *arr = c->acct->res[REF_K_CONTAINERS];
    json_t *name = json_object_get(b, "name"), *keys = json_object_get(b, "ssh_key_ids");
    json_t *o;
    long pub = 0, ncharge = 0, bw = 0, id, v;
    char now[32];

    if (ref_absent(json_object_get(b, "charge_type")) ||
        ref_absent(json_object_get(b, "spec_id")) || ref_absent(json_object_get(b, "image_type")) ||
        ref_absent(json_object_get(b, "image_id")) || ref_absent(name))
        return ref_fail(c, 4000002);
    if (!opt_enum(b, "use_public_network", zero_one, 2, &pub))
        return ref_fail(c, 4000001);
    if (pub == 1 && ref_absent(json_object_get(b, "network_charge_type")))
        return ref_fail(c, 4000002);
    if (!opt_enum(b, "network_charge_type", one_two, 2, &ncharge))
        return ref_fail(c, 4000001);
    if (pub == 1 && ncharge == 1 && ref_absent(json_object_get(b, "bandwidth")))
        return ref_fail(c, 4000002);
    if (!opt_enum(b, "charge_type", one_two, 2, NULL) ||
        !opt_enum(b, "spec_id", legacy_specs, 6, NULL) ||
        !opt_enum(b, "image_type", one_two, 2, NULL) ||
        !ref_json_long(json_object_get(b, "image_id"), &v) || v <= 0 || !json_is_string(name) ||
        !ref_name_ok(json_string_value(name), 32) ||
        !opt_string(b, "desc", (size_t)c->cfg->quotas[REF_Q_DESCRIPTION_LENGTH]) || !opt_env(b) ||
        (!ref_absent(keys) && !json_is_array(keys)))
        return ref_fail(c, 4000001);
    if (!ref_absent(json_object_get(b, "bandwidth")) &&
        (!ref_json_long(json_object_get(b, "bandwidth"), &bw) || bw <= 0 || bw > 100))
        return ref_fail(c, 4000001);
    if (json_is_array(keys)) {
        size_t i;
        json_t *k;
        json_array_foreach (keys, i, k) {
            if (!ref_json_long(k, &v) ||
                !ref_find_int(c->acct->res[REF_K_SECRET_KEYS], "id", v, NULL))
                return ref_fail(c, 4000001);
        }
    }
    if (ref_find_str(arr, "name", json_string_value(name), NULL))
        return ref_fail(c, 4090001);
    if (ref_count_containers(c->acct) + 1 > c->cfg->quotas[REF_Q_CONTAINERS])
        return ref_fail(c, 4030002);
    id = ref_state_id(c->st);
    ref_timestamp(now, 0);
    o = json_pack("{s:I, s:O, s:s, s:O, s:O, s:O, s:O, s:i, s:I, s:I, s:s, s:s, s:s, s:s}", "id",
                  (json_int_t)id, "name", name, "desc", ref_str(b, "desc"), "charge_type",
                  json_object_get(b, "charge_type"), "spec_id", json_object_get(b, "spec_id"),
                  "image_type", json_object_get(b, "image_type"), "image_id",
                  json_object_get(b, "image_id"), "use_public_network", (int)pub,
                  "network_charge_type", (json_int_t)ncharge, "bandwidth", (json_int_t)bw, "status",
                  "creating", "private_ip", "10.173.0.2", "created_at", now, "updated_at", now);
    ref_schedule(o, c->now, c->cfg->async_ms, json_string("create_succ"));
    json_array_append_new(arr, o);
    return ref_ok(c, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

int ref_h_container_list(struct ref_call *c)
{
    return list_page(c, c->acct->res[REF_K_CONTAINERS], "containers");
}

int ref_h_container_get(struct ref_call *c)
{
    long code = 0;
    json_t *o = by_id(c, 0, REF_K_CONTAINERS, 4040002, NULL, &code);

    return o ? ref_ok(c, 200, ref_public(o)) : ref_fail(c, code);
}

int ref_h_container_update(struct ref_call *c)
{
    static const long one_two[] = {1, 2};
    json_t *b = c->body, *o;
    long code = 0, bw;
    char now[32];

    if (!opt_enum(b, "charge_type", one_two, 2, NULL) ||
        !opt_enum(b, "network_charge_type", one_two, 2, NULL) ||
        !opt_string(b, "desc", (size_t)c->cfg->quotas[REF_Q_DESCRIPTION_LENGTH]) ||
        (!ref_absent(json_object_get(b, "bandwidth")) &&
         (!ref_json_long(json_object_get(b, "bandwidth"), &bw) || bw <= 0 || bw > 100)))
        return ref_fail(c, 4000001);
    o = by_id(c, 0, REF_K_CONTAINERS, 4040002, NULL, &code);
    if (!o)
        return ref_fail(c, code);
    for (const char *const *k =
             (const char *const[]){"charge_type", "desc", "network_charge_type", "bandwidth", NULL};
         *k; k++)
        if (!ref_absent(json_object_get(b, *k)))
            json_object_set(o, *k, json_object_get(b, *k));
    ref_timestamp(now, 0);
    json_object_set_new(o, "updated_at", json_string(now));
    return ref_ok(c, 200, NULL);
}

int ref_h_container_delete(struct ref_call *c)
{
    long code = 0;
    size_t at;
    json_t *o = by_id(c, 0, REF_K_CONTAINERS, 4040002, &at, &code);

    if (!o)
        return ref_fail(c, code);
    json_array_remove(c->acct->res[REF_K_CONTAINERS], at);
    return ref_ok(c, 200, NULL);
}

int ref_h_container_restart(struct ref_call *c)
{
    long code = 0;
    json_t *o = by_id(c, 0, REF_K_CONTAINERS, 4040002, NULL, &code);

    if (!o)
        return ref_fail(c, code);
    if (strcmp(ref_str(o, "status"), "create_succ") != 0)
        return ref_fail(c, 4030010);
    return ref_ok(c, 200, NULL);
}

int ref_h_container_tag(struct ref_call *c)
{
    json_t *repo_name = json_object_get(c->body, "repo_name");
    json_t *tag = json_object_get(c->body, "tag");
    json_t *o, *repo, *tags;
    long code = 0;

    if (ref_absent(repo_name) || ref_absent(tag))
        return ref_fail(c, 4000002);
    if (!json_is_string(repo_name) || !json_is_string(tag) ||
        !ref_chars_ok(json_string_value(tag),
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-", 128))
        return ref_fail(c, 4000001);
    o = by_id(c, 0, REF_K_CONTAINERS, 4040002, NULL, &code);
    if (!o)
        return ref_fail(c, code);
    repo = ref_find_str(c->acct->res[REF_K_REPOSITORIES], "repo_name", json_string_value(repo_name),
                        NULL);
    if (!repo)
        return ref_fail(c, 4040004);
    if (strcmp(ref_str(o, "status"), "create_succ") != 0)
        return ref_fail(c, 4030010);
    tags = json_object_get(repo, "tags");
    if (!ref_find_str(tags, "name", json_string_value(tag), NULL) &&
        (long)json_array_size(tags) >= c->cfg->quotas[REF_Q_TAGS])
        return ref_fail(c, 4030008);
    ref_repo_add_tag(repo, json_string_value(tag), c->now);
    return ref_ok(c, 201, json_pack("{s:I}", "image_id", (json_int_t)ref_state_id(c->st)));
}

int ref_h_container_flow(struct ref_call *c)
{
    long code = 0;
    json_t *o = by_id(c, 0, REF_K_CONTAINERS, 4040002, NULL, &code);

    if (!o)
        return ref_fail(c, code);
    return ref_ok(c, 200,
                  json_pack("{s:i, s:i}", "container_up_flow", 0, "container_down_flow", 0));
}

/* ---- apps ---- */

static int app_fields_ok(struct ref_call *c, const json_t *b)
{
    static const long one_two[] = {1, 2};
    json_t *vc = json_object_get(b, "version_control"), *dirs = json_object_get(b, "log_dirs");

    if (!opt_string(b, "desc", (size_t)c->cfg->quotas[REF_Q_DESCRIPTION_LENGTH]) ||
        !opt_string(b, "domain", 255) || !opt_env(b) ||
        !opt_enum(b, "docker_file_type", one_two, 2, NULL) ||
        !opt_string(b, "custom_docker_file", 1024 * 1024))
        return 0;
    if (!ref_absent(vc)) {
        const char *type = ref_str(vc, "type");
        if (!json_is_object(vc) || (strcmp(type, "git") != 0 && strcmp(type, "svn") != 0))
            return 0;
    }
    if (!ref_absent(dirs)) {
        size_t i;
        json_t *d;
        if (!json_is_array(dirs))
            return 0;
        json_array_foreach (dirs, i, d) {
            if (!json_is_string(d) || json_string_value(d)[0] != '/')
                return 0;
        }
    }
    return 1;
}

int ref_h_app_create(struct ref_call *c)
{
    static const long one_two[] = {1, 2};
    json_t *b = c->body, *arr = c->acct->res[REF_K_APPS];
    json_t *name = json_object_get(b, "name"), *rep = json_object_get(b, "replicas"), *o;
    long replicas = 1, v, id;
    char hook[33], url[128], now[32];

    if (ref_absent(name) || ref_absent(json_object_get(b, "image_type")) ||
        ref_absent(json_object_get(b, "image_id")) || ref_absent(json_object_get(b, "spec_id")))
        return ref_fail(c, 4000002);
    if (!json_is_string(name) || !ref_name_ok(json_string_value(name), 32) ||
        !opt_enum(b, "image_type", one_two, 2, NULL) ||
        !ref_json_long(json_object_get(b, "image_id"), &v) || v <= 0 ||
        !opt_enum(b, "spec_id", legacy_specs, 6, NULL) ||
        (!ref_absent(rep) && (!ref_json_long(rep, &replicas) || replicas < 1 || replicas > 100)) ||
        !app_fields_ok(c, b))
        return ref_fail(c, 4000001);
    if (ref_find_str(arr, "name", json_string_value(name), NULL))
        return ref_fail(c, 4090003);
    if (ref_count_services(c->acct) + 1 > c->cfg->quotas[REF_Q_SERVICES])
        return ref_fail(c, 4030004);
    if (ref_count_containers(c->acct) + replicas > c->cfg->quotas[REF_Q_CONTAINERS])
        return ref_fail(c, 4030002);
    if (ref_count_replicas(c->acct) + replicas > c->cfg->quotas[REF_Q_REPLICAS])
        return ref_fail(c, 4030005);
    id = ref_state_id(c->st);
    ref_random_hex(hook, 32);
    snprintf(url, sizeof url, "https://open.c.163.com/api/v1/hooks/app/%s", hook);
    ref_timestamp(now, 0);
    o = json_pack("{s:I, s:O, s:s, s:s, s:O, s:O, s:O, s:I, s:s, s:s, s:s, s:s, s:s}", "id",
                  (json_int_t)id, "name", name, "desc", ref_str(b, "desc"), "domain",
                  ref_str(b, "domain"), "image_type", json_object_get(b, "image_type"), "image_id",
                  json_object_get(b, "image_id"), "spec_id", json_object_get(b, "spec_id"),
                  "replicas", (json_int_t)replicas, "status", "creating", "url", url, "created_at",
                  now, "updated_at", now, "_hook", hook);
    ref_schedule(o, c->now, c->cfg->async_ms, json_string("create_succ"));
    json_array_append_new(arr, o);
    return ref_ok(c, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "url", url));
}

int ref_h_app_list(struct ref_call *c)
{
    return list_page(c, c->acct->res[REF_K_APPS], "apps");
}

int ref_h_app_get(struct ref_call *c)
{
    long code = 0;
    json_t *o = by_id(c, 0, REF_K_APPS, 4040003, NULL, &code);

    return o ? ref_ok(c, 200, ref_public(o)) : ref_fail(c, code);
}

int ref_h_app_watch(struct ref_call *c)
{
    return ref_h_app_get(c);
}

int ref_h_app_update(struct ref_call *c)
{
    long code = 0;
    json_t *o;
    char now[32];

    if (!app_fields_ok(c, c->body))
        return ref_fail(c, 4000001);
    o = by_id(c, 0, REF_K_APPS, 4040003, NULL, &code);
    if (!o)
        return ref_fail(c, code);
    for (const char *const *k =
             (const char *const[]){"desc", "env_var", "version_control", "docker_file_type",
                                   "custom_docker_file", "log_dirs", NULL};
         *k; k++)
        if (!ref_absent(json_object_get(c->body, *k)))
            json_object_set(o, *k, json_object_get(c->body, *k));
    ref_timestamp(now, 0);
    json_object_set_new(o, "updated_at", json_string(now));
    return ref_ok(c, 200, NULL);
}

int ref_h_app_delete(struct ref_call *c)
{
    long code = 0;
    size_t at;
    json_t *o = by_id(c, 0, REF_K_APPS, 4040003, &at, &code);

    if (!o)
        return ref_fail(c, code);
    json_array_remove(c->acct->res[REF_K_APPS], at);
    return ref_ok(c, 200, NULL);
}

int ref_h_app_resize(struct ref_call *c)
{
    long code = 0, n, cur;
    json_t *o;

    if (!ref_parse_long(c->p[1], &n) || n < 1 || n > 100)
        return ref_fail(c, 4000001);
    o = by_id(c, 0, REF_K_APPS, 4040003, NULL, &code);
    if (!o)
        return ref_fail(c, code);
    if (strcmp(ref_str(o, "status"), "create_succ") != 0)
        return ref_fail(c, 4030011);
    cur = ref_int(o, "replicas");
    if (n == cur)
        return ref_fail(c, 4090002);
    if (ref_count_containers(c->acct) - cur + n > c->cfg->quotas[REF_Q_CONTAINERS])
        return ref_fail(c, 4030002);
    if (ref_count_replicas(c->acct) - cur + n > c->cfg->quotas[REF_Q_REPLICAS])
        return ref_fail(c, 4030005);
    json_object_set_new(o, "replicas", json_integer(n));
    return ref_ok(c, 200, NULL);
}

int ref_h_app_hook(struct ref_call *c)
{
    for (size_t i = 0; i < c->st->n_accounts; i++)
        if (ref_find_str(c->st->accounts[i].res[REF_K_APPS], "_hook", c->p[0], NULL))
            return ref_ok(c, 200, json_object());
    return ref_fail(c, 4040003);
}
