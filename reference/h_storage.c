/* reference/h_storage.c -- service 02 (cloud volumes), service 03 (IPs) and
 * the RDS extension that gives the catalog's service 05 an endpoint. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* ---- cloud volumes ---- */

static int size_ok(long size)
{
    return size >= 10 && size < 1000 && size % 10 == 0;
}

int ref_h_vol_create(struct ref_call *c)
{
    json_t *name = json_object_get(c->body, "volume_name"),
           *size = json_object_get(c->body, "size");
    json_t *arr = c->acct->res[REF_K_VOLUMES], *o;
    char uuid[37], now[32];
    long sz;
    long id;

    if (ref_absent(name) || ref_absent(size))
        return ref_fail(c, 4000202);
    if (!json_is_string(name) || !ref_name_ok(json_string_value(name), 32) ||
        !ref_json_long(size, &sz) || !size_ok(sz))
        return ref_fail(c, 4000201);
    if (ref_find_str(arr, "name", json_string_value(name), NULL))
        return ref_fail(c, 4090201);
    if (c->acct->cfg.balance <= 0)
        return ref_fail(c, 4030201);
    id = ref_state_id(c->st);
    ref_uuid(uuid);
    ref_timestamp(now, 0);
    o = json_pack("{s:I, s:O, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:[]}", "id", (json_int_t)id,
                  "name", name, "size", (json_int_t)sz, "status", "creating", "volume_uuid", uuid,
                  "service_name", "", "file_system_type", "Ext4", "created_at", now, "updated_at",
                  now, "from_snapshot_id", 0, "volume_mappings");
    ref_schedule(o, c->now, c->cfg->async_ms, json_string("create_succ"));
    json_array_append_new(arr, o);
    return ref_ok(c, 200, json_pack("{s:I}", "id", (json_int_t)id));
}

int ref_h_vol_list(struct ref_call *c)
{
    const char *l = ref_req_query(c->req, "limit"), *o = ref_req_query(c->req, "offset");
    json_t *arr = c->acct->res[REF_K_VOLUMES], *list;
    long limit = 20, offset = 0;

    if ((l && (!ref_parse_long(l, &limit) || limit <= 0 || limit > 20)) ||
        (o && (!ref_parse_long(o, &offset) || offset < 0)))
        return ref_fail(c, 4000213);
    list = json_array();
    for (size_t i = (size_t)offset; i < json_array_size(arr) && (long)json_array_size(list) < limit;
         i++)
        json_array_append_new(list, ref_public(json_array_get(arr, i)));
    return ref_ok(
        c, 200,
        json_pack("{s:I, s:o}", "total", (json_int_t)json_array_size(arr), "volumes", list));
}

static json_t *vol_by_param(struct ref_call *c, size_t *at, long *code)
{
    return ref_find_by_path_id(c, REF_K_VOLUMES, "id", 4000213, 4040201, at, code);
}

int ref_h_vol_get(struct ref_call *c)
{
    long code = 0;
    json_t *v = vol_by_param(c, NULL, &code);

    return v ? ref_ok(c, 200, ref_public(v)) : ref_fail(c, code);
}

int ref_h_vol_resize(struct ref_call *c)
{
    const char *q = ref_req_query(c->req, "size");
    long size, code = 0;
    json_t *v;
    char now[32];

    if (!q)
        return ref_fail(c, 4000202);
    if (!ref_parse_long(q, &size))
        return ref_fail(c, 4000213);
    if (!size_ok(size))
        return ref_fail(c, 4000201);
    v = vol_by_param(c, NULL, &code);
    if (!v)
        return ref_fail(c, code);
    if (size <= ref_int(v, "size"))
        return ref_fail(c, 4000201);
    if (strcmp(ref_str(v, "status"), "create_succ") != 0 &&
        strcmp(ref_str(v, "status"), "mount_succ") != 0)
        return ref_fail(c, 4030202);
    json_object_set_new(v, "size", json_integer(size));
    ref_timestamp(now, 0);
    json_object_set_new(v, "updated_at", json_string(now));
    return ref_ok(c, 200, NULL);
}

int ref_h_vol_delete(struct ref_call *c)
{
    long code = 0;
    size_t at;
    json_t *v = vol_by_param(c, &at, &code);

    if (!v)
        return ref_fail(c, code);
    if (strcmp(ref_str(v, "status"), "mount_succ") == 0)
        return ref_fail(c, 4030258);
    json_array_remove(c->acct->res[REF_K_VOLUMES], at);
    return ref_ok(c, 200, NULL);
}

/* ---- IPs ---- */

long ref_ip_count(struct ref_account *a, const char *type)
{
    long n = 0;
    size_t i;
    json_t *o;

    json_array_foreach (a->res[REF_K_IPS], i, o) {
        if (strcmp(ref_str(o, "type"), type) == 0)
            n++;
    }
    return n;
}

json_t *ref_ip_new(struct ref_state *st, struct ref_account *a, const char *type)
{
    char id[24], addr[20], now[32];
    unsigned n = ++st->next_ip;
    json_t *o;

    /* 198.18.0.0/15 (benchmarking) never clashes with a client's test
     * address such as 203.0.113.7. */
    snprintf(addr, sizeof addr, "198.%u.%u.%u", 18 + ((n >> 16) & 1), (n >> 8) & 255, n & 255);
    snprintf(id, sizeof id, "%ld", ref_state_id(st));
    ref_timestamp(now, 0);
    o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:I}", "id", id, "ip", addr, "status",
                  "available", "type", type, "service_id", 0, "service_name", "", "create_at", now,
                  "update_at", now, "_created_ms", (json_int_t)ref_now_ms());
    json_array_append_new(a->res[REF_K_IPS], o);
    return o;
}

static int ip_count_arg(const json_t *v, long *out)
{
    *out = 0;
    if (ref_absent(v))
        return 1;
    if (!json_is_integer(v))
        return 0;
    *out = (long)json_integer_value(v);
    return *out >= 0 && *out <= 100;
}

int ref_h_ip_create(struct ref_call *c)
{
    json_t *list;
    long nce, nlb;

    if (!ip_count_arg(json_object_get(c->body, "nce"), &nce) ||
        !ip_count_arg(json_object_get(c->body, "nlb"), &nlb))
        return ref_fail(c, 4000301);
    if (nce == 0 && nlb == 0)
        return ref_fail(c, 4000302);
    if (c->acct->cfg.balance <= 0)
        return ref_fail(c, 4030301);
    if (ref_ip_count(c->acct, "nce") + nce > c->cfg->quotas[REF_Q_IPS_NCE])
        return ref_fail(c, 4030302);
    if (ref_ip_count(c->acct, "nlb") + nlb > c->cfg->quotas[REF_Q_IPS_NLB])
        return ref_fail(c, 4030006);
    list = json_array();
    for (long i = 0; i < nce + nlb; i++)
        json_array_append_new(list,
                              ref_public(ref_ip_new(c->st, c->acct, i < nce ? "nce" : "nlb")));
    return ref_ok(c, 200, json_pack("{s:I, s:o}", "total", (json_int_t)(nce + nlb), "ips", list));
}

int ref_h_ip_list(struct ref_call *c)
{
    static const char *const states[] = {"available", "disabled", "binding", "binded"};
    const char *status = ref_req_query(c->req, "status"), *type = ref_req_query(c->req, "type");
    const char *l = ref_req_query(c->req, "limit"), *o = ref_req_query(c->req, "offset");
    long limit = 20, offset = 0, total = 0;
    json_t *list;
    size_t i;
    json_t *ip;
    int ok = !status;

    for (i = 0; status && i < sizeof states / sizeof states[0]; i++)
        ok |= strcmp(status, states[i]) == 0;
    if (!ok || (type && strcmp(type, "nce") != 0 && strcmp(type, "nlb") != 0) ||
        (l && (!ref_parse_long(l, &limit) || limit <= 0)) ||
        (o && (!ref_parse_long(o, &offset) || offset < 0)))
        return ref_fail(c, 4000301);
    list = json_array();
    json_array_foreach (c->acct->res[REF_K_IPS], i, ip) {
        if ((status && strcmp(ref_str(ip, "status"), status) != 0) ||
            (type && strcmp(ref_str(ip, "type"), type) != 0))
            continue;
        if (total >= offset && (long)json_array_size(list) < limit)
            json_array_append_new(list, ref_public(ip));
        total++;
    }
    return ref_ok(c, 200, json_pack("{s:I, s:o}", "total", (json_int_t)total, "ips", list));
}

int ref_h_ip_quota(struct ref_call *c)
{
    long nce = ref_ip_count(c->acct, "nce"), nlb = ref_ip_count(c->acct, "nlb");
    long qn = c->cfg->quotas[REF_Q_IPS_NCE], ql = c->cfg->quotas[REF_Q_IPS_NLB];

    return ref_ok(c, 200,
                  json_pack("{s:I, s:I, s:[{s:s, s:I, s:I}, {s:s, s:I, s:I}]}", "total",
                            (json_int_t)(qn + ql), "used", (json_int_t)(nce + nlb), "quotas",
                            "type", "nce", "quota", (json_int_t)qn, "used", (json_int_t)nce, "type",
                            "nlb", "quota", (json_int_t)ql, "used", (json_int_t)nlb));
}

int ref_h_ip_get(struct ref_call *c)
{
    json_t *ip = ref_find_str(c->acct->res[REF_K_IPS], "id", c->p[0], NULL);

    return ip ? ref_ok(c, 200, ref_public(ip)) : ref_fail(c, 4040302);
}

int ref_h_ip_cost(struct ref_call *c)
{
    json_t *ip = ref_find_str(c->acct->res[REF_K_IPS], "id", c->p[0], NULL);
    double hours;

    if (!ip)
        return ref_fail(c, 4040302);
    hours = (double)(ref_now_ms() - ref_int(ip, "_created_ms")) / 3600000.0;
    return ref_ok(c, 200,
                  json_pack("{s:s, s:f}", "id", c->p[0], "cost",
                            (double)(long)(hours * 0.1 * 100 + 0.5) / 100));
}

int ref_h_ip_delete(struct ref_call *c)
{
    size_t at;
    json_t *ip = ref_find_str(c->acct->res[REF_K_IPS], "id", c->p[0], &at), *out;

    if (!ip)
        return ref_fail(c, 4040302);
    if (strcmp(ref_str(ip, "status"), "available") != 0)
        return ref_fail(c, 4030411);
    out = ref_public(ip);
    json_object_set_new(out, "status", json_string("deleted"));
    json_array_remove(c->acct->res[REF_K_IPS], at);
    return ref_ok(c, 200, out);
}

/* ---- RDS (service 05) ---- */

int ref_h_rds_create(struct ref_call *c)
{
    json_t *name = json_object_get(c->body, "instance_name"), *o;
    char now[32];
    long id;

    if (ref_absent(name))
        return ref_fail(c, 4000002);
    if (!json_is_string(name) || !ref_name_ok(json_string_value(name), 32))
        return ref_fail(c, 4000001);
    if (c->acct->cfg.balance <= 0)
        return ref_fail(c, 4030503);
    id = ref_state_id(c->st);
    ref_timestamp(now, 0);
    o = json_pack("{s:I, s:O, s:s, s:s}", "id", (json_int_t)id, "instance_name", name, "status",
                  "creating", "created_at", now);
    ref_schedule(o, c->now, c->cfg->async_ms, json_string("running"));
    json_array_append_new(c->acct->res[REF_K_RDS], o);
    return ref_ok(c, 200, ref_public(o));
}

int ref_h_rds_list(struct ref_call *c)
{
    const char *name = ref_req_query(c->req, "instance_name");
    json_t *list = json_array();
    size_t i;
    json_t *o;

    json_array_foreach (c->acct->res[REF_K_RDS], i, o) {
        if (!name || !*name || strcmp(ref_str(o, "instance_name"), name) == 0)
            json_array_append_new(list, ref_public(o));
    }
    return ref_ok(
        c, 200,
        json_pack("{s:I, s:o}", "total", (json_int_t)json_array_size(list), "instances", list));
}

static json_t *rds_by_param(struct ref_call *c, size_t *at)
{
    long id;

    if (!ref_parse_long(c->p[0], &id))
        return NULL;
    return ref_find_int(c->acct->res[REF_K_RDS], "id", id, at);
}

int ref_h_rds_get(struct ref_call *c)
{
    json_t *o = rds_by_param(c, NULL);

    return o ? ref_ok(c, 200, ref_public(o)) : ref_fail(c, 4000001);
}

int ref_h_rds_delete(struct ref_call *c)
{
    size_t at;
    json_t *o = rds_by_param(c, &at);

    if (!o)
        return ref_fail(c, 4000001);
    json_array_remove(c->acct->res[REF_K_RDS], at);
    return ref_ok(c, 200, NULL);
}
