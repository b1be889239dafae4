/* reference/h_nlb.c -- service 04: load balancers, listeners, certificates.
 *
 * Load balancers and listeners are addressed by name within the namespace
 * of the `namespace` header. Creation and deletion are asynchronous
 * (CREATING / DELETING for async_ms). For listener calls the load
 * balancer's own state (4030401, 4030462) and the listener's (4000455) are
 * checked as soon as they are found, then forward rules that contradict each
 * other within the request (4090451, 4090457, 4090467), and only then the
 * certificates and services the clusters refer to (4000452, 4040401,
 * 4000458): the addressed resource and the request itself come first. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../common/sha256.h"
#include "internal.h"

#define CERT_NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"

/* A present member of the wrong JSON type. */
static int bad_string(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return !ref_absent(v) && !json_is_string(v);
}

static int bad_integer(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return !ref_absent(v) && !json_is_integer(v);
}

/* ---- shared lookups ---- */

/* The namespace of the header: NULL with *code 4000402 (no header) or
 * 4000459 (unknown). */
static json_t *ns_of(struct ref_call *c, long *code)
{
    const char *h = ref_req_header(c->req, "namespace");
    json_t *ns;

    if (!h) {
        *code = 4000402;
        return NULL;
    }
    ns = ref_ns_by_name(c->acct, h);
    if (!ns)
        *code = 4000459;
    return ns;
}

static json_t *lb_in(struct ref_call *c, const json_t *ns, const char *name, size_t *at)
{
    size_t i;
    json_t *lb;

    json_array_foreach (c->acct->res[REF_K_LOADBALANCERS], i, lb) {
        if (ref_int(lb, "_namespace_id") == ref_int(ns, "id") &&
            strcmp(ref_str(lb, "name"), name) == 0) {
            if (at)
                *at = i;
            return lb;
        }
    }
    return NULL;
}

/* 4030401 while deleting, 4030462 while creating, else 0. */
static long lb_state(const json_t *lb)
{
    const char *s = ref_str(lb, "status");

    if (strcmp(s, "DELETING") == 0)
        return 4030401;
    if (strcmp(s, "CREATING") == 0)
        return 4030462;
    return 0;
}

/* ---- load balancers ---- */

/* Types and values of chargeMode, bandwidthLimit and description. */
static long check_lb_options(struct ref_call *c, const json_t *b)
{
    json_t *mode = json_object_get(b, "chargeMode"), *bw = json_object_get(b, "bandwidthLimit");
    json_t *desc = json_object_get(b, "description");

    if (bad_string(b, "chargeMode") || bad_integer(b, "bandwidthLimit") ||
        bad_string(b, "description") || bad_string(b, "address"))
        return 4000460;
    if (!ref_absent(mode) && strcmp(json_string_value(mode), "netflow") != 0 &&
        strcmp(json_string_value(mode), "bandwidth") != 0)
        return 4000464;
    /* [1, 100] in the main document, [1, 1024] on the related page: the
     * wider range is accepted so that both readings work. */
    if (!ref_absent(bw) && (json_integer_value(bw) < 1 || json_integer_value(bw) > 1024))
        return 4000465;
    if (!ref_absent(desc) &&
        (long)json_string_length(desc) > c->cfg->quotas[REF_Q_DESCRIPTION_LENGTH])
        return 4000482;
    return 0;
}

int ref_h_lb_create(struct ref_call *c)
{
    json_t *b = c->body, *name = json_object_get(b, "name"), *addr = json_object_get(b, "address");
    json_t *ns, *ip = NULL, *lb;
    long code = 0;
    char now[32], vip[20];
    size_t i;

    if (!ref_req_header(c->req, "namespace") || ref_absent(name))
        return ref_fail(c, 4000402);
    if (!json_is_string(name))
        return ref_fail(c, 4000460);
    code = check_lb_options(c, b);
    if (!code && !ref_name_ok(json_string_value(name), 24))
        code = 4000466;
    if (code)
        return ref_fail(c, code);
    if (!ref_absent(addr) && !ref_ipv4_ok(json_string_value(addr)))
        return ref_fail(c, 4000401);
    ns = ns_of(c, &code);
    if (!ns)
        return ref_fail(c, code);
    if (!ref_absent(addr)) {
        json_t *o;
        json_array_foreach (c->acct->res[REF_K_IPS], i, o) {
            if (strcmp(ref_str(o, "ip"), json_string_value(addr)) == 0 &&
                strcmp(ref_str(o, "type"), "nlb") == 0)
                ip = o;
        }
        if (!ip)
            return ref_fail(c, 4040412);
        if (strcmp(ref_str(ip, "status"), "available") != 0)
            return ref_fail(c, 4030411);
    }
    if (lb_in(c, ns, json_string_value(name), NULL))
        return ref_fail(c, 4090483);
    if (c->acct->cfg.balance <= 0)
        return ref_fail(c, 4030432);
    if ((long)json_array_size(c->acct->res[REF_K_LOADBALANCERS]) >=
        c->cfg->quotas[REF_Q_LOADBALANCERS])
        return ref_fail(c, 4000469);
    ref_timestamp(now, 1);
    /* Without an address the LB gets an internal one that is not an IP of
     * the account, so that deleting the LB leaves nothing behind. */
    c->st->next_vip++;
    snprintf(vip, sizeof vip, "100.64.%u.%u", (c->st->next_vip >> 8) & 255, c->st->next_vip & 255);
    lb = json_pack(
        "{s:O, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:I, s:s, s:[]}", "name", name,
        "description",
        ref_absent(json_object_get(b, "description")) ? "" : ref_str(b, "description"), "address",
        ip ? ref_str(ip, "ip") : vip, "status", "CREATING", "instanceStatus", "UP", "chargeMode",
        ref_absent(json_object_get(b, "chargeMode")) ? "netflow" : ref_str(b, "chargeMode"),
        "bandwidthLimit",
        (json_int_t)(ref_absent(json_object_get(b, "bandwidthLimit"))
                         ? 100
                         : ref_int(b, "bandwidthLimit")),
        "namespace", ref_str(ns, "namespace"), "createtime", now, "updatetime", now,
        "_namespace_id", (json_int_t)ref_int(ns, "id"), "_ip_id", ip ? ref_str(ip, "id") : "",
        "_listeners");
    if (ip)
        json_object_set_new(ip, "status", json_string("binded"));
    ref_schedule(lb, c->now, c->cfg->async_ms, json_string("WORKING"));
    json_array_append_new(c->acct->res[REF_K_LOADBALANCERS], lb);
    {
        json_t *out = ref_public(lb);
        json_object_del(out, "instanceStatus");
        json_object_del(out, "namespace");
        if (!ip)
            json_object_del(out, "address");
        return ref_ok(c, 200, out);
    }
}

int ref_h_lb_list(struct ref_call *c)
{
    const char *l = ref_req_query(c->req, "limit"), *o = ref_req_query(c->req, "offset");
    json_t *arr = c->acct->res[REF_K_LOADBALANCERS], *list;
    long limit = 50, offset = 0;

    if ((l && (!ref_parse_long(l, &limit) || limit < 0 || limit >= 200)) ||
        (o && (!ref_parse_long(o, &offset) || offset < 0)))
        return ref_fail(c, 4000401);
    list = json_array();
    for (size_t i = (size_t)offset; i < json_array_size(arr) && (long)json_array_size(list) < limit;
         i++)
        json_array_append_new(list, ref_public(json_array_get(arr, i)));
    return ref_ok(c, 200, list);
}

/* ns + LB of the path: NULL with *code set. */
static json_t *lb_of_path(struct ref_call *c, size_t *at, long *code)
{
    json_t *ns = ns_of(c, code), *lb;

    if (!ns)
        return NULL;
    lb = lb_in(c, ns, c->p[0], at);
    if (!lb)
        *code = 4040402;
    return lb;
}

int ref_h_lb_get(struct ref_call *c)
{
    long code = 0;
    json_t *lb = lb_of_path(c, NULL, &code), *out;

    if (!lb)
        return ref_fail(c, code);
    out = ref_public(lb);
    json_object_set_new(out, "listeners", ref_public(json_object_get(lb, "_listeners")));
    return ref_ok(c, 200, out);
}

int ref_h_lb_update(struct ref_call *c)
{
    long code = 0;
    json_t *lb;
    char now[32];

    if (!ref_req_header(c->req, "namespace"))
        return ref_fail(c, 4000402);
    code = check_lb_options(c, c->body);
    if (code)
        return ref_fail(c, code);
    lb = lb_of_path(c, NULL, &code);
    if (!lb)
        return ref_fail(c, code);
    code = lb_state(lb);
    if (code)
        return ref_fail(c, code);
    for (const char *const *k =
             (const char *const[]){"chargeMode", "bandwidthLimit", "description", NULL};
         *k; k++)
        if (!ref_absent(json_object_get(c->body, *k)))
            json_object_set(lb, *k, json_object_get(c->body, *k));
    ref_timestamp(now, 1);
    json_object_set_new(lb, "updatetime", json_string(now));
    return ref_ok(c, 200, NULL);
}

int ref_h_lb_delete(struct ref_call *c)
{
    long code = 0;
    json_t *lb = lb_of_path(c, NULL, &code), *ip;

    if (!lb)
        return ref_fail(c, code);
    if (lb_state(lb) == 4030401)
        return ref_fail(c, 4030401);
    /* The bound IP is not released, only unbound (REFERENCE.md 6.4.5). */
    ip = ref_find_str(c->acct->res[REF_K_IPS], "id", ref_str(lb, "_ip_id"), NULL);
    if (ip)
        json_object_set_new(ip, "status", json_string("available"));
    json_object_set_new(lb, "_ip_id", json_string(""));
    json_object_set_new(lb, "status", json_string("DELETING"));
    ref_schedule(lb, c->now, c->cfg->async_ms, NULL);
    return ref_ok(c, 200, NULL);
}

/* ---- listeners and their clusters ---- */

static int domain_ok(const char *d, size_t n)
{
    if (n == 1 && d[0] == '*')
        return 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)d[i];
        if (ch == '*') {
            /* '*.' only at the start, '.*' only at the end */
            int lead = i == 0 && n > 2 && d[1] == '.';
            int trail = i == n - 1 && n > 2 && d[i - 1] == '.';
            if (!lead && !trail)
                return 0;
        } else if (!isalnum(ch) && ch != '_' && ch != '.' && ch != '-') {
            return 0;
        }
    }
    return n > 0;
}

/* Splits a serverName list into sorted words joined by one space in out;
 * 4000451 when malformed, 4090451 when a domain repeats, else 0. */
static long server_names(const char *s, char *out, size_t size)
{
    const char *words[128];
    size_t lens[128], n = 0;

    out[0] = '\0';
    if (strlen(s) > 512)
        return 4000451;
    for (const char *p = s; *p;) {
        size_t len;
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        len = strcspn(p, " ");
        if (n >= 128 || !domain_ok(p, len))
            return 4000451;
        words[n] = p;
        lens[n++] = len;
        p += len;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = i + 1; k < n; k++)
            if (lens[i] == lens[k] && strncmp(words[i], words[k], lens[i]) == 0)
                return 4090451;
    /* insertion sort by text */
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0; k--) {
            size_t m = lens[k] < lens[k - 1] ? lens[k] : lens[k - 1];
            int cmp = strncmp(words[k], words[k - 1], m);
            if (cmp > 0 || (cmp == 0 && lens[k] >= lens[k - 1]))
                break;
            const char *tw = words[k];
            size_t tl = lens[k];
            words[k] = words[k - 1];
            lens[k] = lens[k - 1];
            words[k - 1] = tw;
            lens[k - 1] = tl;
        }
    out[0] = '\0';
    for (size_t i = 0, o = 0; i < n && o + lens[i] + 2 < size; i++) {
        if (i)
            out[o++] = ' ';
        memcpy(out + o, words[i], lens[i]);
        o += lens[i];
        out[o] = '\0';
    }
    if (n == 0)
        snprintf(out, size, "*");
    return 0;
}

static int path_ok(const char *p)
{
    size_t n = strlen(p);

    if (n == 0 || n > 256 || p[0] != '/')
        return 0;
    if (p[n - 1] == '$')
        n--;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (!isalnum(ch) && !strchr("/_.~%-", ch))
            return 0;
    }
    return 1;
}

static int policy_ok(const json_t *p)
{
    const char *mode = ref_str(p, "mode");
    json_t *exp = json_object_get(p, "expire");

    if (!json_is_object(p))
        return 0;
    if (strcmp(mode, "insert") != 0 && strcmp(mode, "rewrite") != 0)
        return 0;
    if (!ref_absent(exp) &&
        (!json_is_integer(exp) || json_integer_value(exp) < 1 || json_integer_value(exp) > 86400))
        return 0;
    if (strcmp(mode, "rewrite") == 0 && ref_str(p, "cookieName")[0] == '\0')
        return 0;
    return 1;
}

/* 4000402 when a cluster lacks a required member (certId with https). */
static long clusters_missing(const json_t *clusters, int https)
{
    size_t i;
    json_t *cl;

    json_array_foreach (clusters, i, cl) {
        if (json_is_object(cl) && (ref_absent(json_object_get(cl, "serviceName")) ||
                                   ref_absent(json_object_get(cl, "servicePort")) ||
                                   (https && ref_absent(json_object_get(cl, "certId")))))
            return 4000402;
    }
    return 0;
}

/* Missing members of the clusters (4000402), then their types (4000460),
 * then their values; fills *norm (new reference) with normalised clusters.
 * Duplicates are looked for later (dup_clusters). */
static long check_clusters(const json_t *clusters, int https, json_t **norm)
{
    size_t i;
    json_t *cl;
    long code;

    *norm = json_array();
    if (ref_absent(clusters))
        return 0;
    if (!json_is_array(clusters))
        return 4000460;
    code = clusters_missing(clusters, https);
    if (code)
        return code;
    json_array_foreach (clusters, i, cl) {
        if (!json_is_object(cl))
            return 4000460;
    }
    json_array_foreach (clusters, i, cl) {
        json_t *pol = json_object_get(cl, "policy");
        if (bad_string(cl, "serviceName") || bad_integer(cl, "servicePort") ||
            bad_string(cl, "serverName") || bad_string(cl, "path") || bad_string(cl, "certId") ||
            (!ref_absent(pol) && !json_is_object(pol)))
            return 4000460;
    }
    json_array_foreach (clusters, i, cl) {
        char names[600], group[64], uuid[37];
        long port = ref_int(cl, "servicePort");
        json_t *pol = json_object_get(cl, "policy"), *o;
        const char *path = ref_absent(json_object_get(cl, "path")) ? "/" : ref_str(cl, "path");

        code = server_names(ref_str(cl, "serverName"), names, sizeof names);
        if (code == 4000451)
            return code;
        if (!path_ok(path))
            return 4000450;
        if (port < 1 || port > 65535)
            return 4000458;
        if (!ref_absent(pol) && !policy_ok(pol))
            return 4000472;
        ref_uuid(uuid);
        snprintf(group, sizeof group, "groupName_%s", uuid);
        o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:i}", "name", group, "serverName",
                      ref_str(cl, "serverName"), "path", path, "serviceName",
                      ref_str(cl, "serviceName"), "servicePort", (json_int_t)port,
                      "_duplicate_domain", code == 4090451);
        json_object_set_new(o, "_names", json_string(names));
        if (https)
            json_object_set_new(o, "certId", json_string(ref_str(cl, "certId")));
        if (!ref_absent(pol)) {
            json_t *p = json_pack("{s:s, s:I}", "mode", ref_str(pol, "mode"), "expire",
                                  (json_int_t)(ref_absent(json_object_get(pol, "expire"))
                                                   ? 30
                                                   : ref_int(pol, "expire")));
            if (strcmp(ref_str(pol, "mode"), "rewrite") == 0)
                json_object_set_new(p, "cookieName", json_string(ref_str(pol, "cookieName")));
            json_object_set_new(o, "policy", p);
        }
        json_array_append_new(*norm, o);
    }
    return 0;
}

/* What the clusters refer to: certificates (4000452), services of the LB's
 * namespace (4040401) and their ports (4000458). */
static long check_cluster_refs(struct ref_call *c, const json_t *lb, const json_t *norm)
{
    size_t i;
    json_t *cl;

    json_array_foreach (norm, i, cl) {
        if (json_object_get(cl, "certId") &&
            !ref_find_str(c->acct->res[REF_K_CERTS], "id", ref_str(cl, "certId"), NULL))
            return 4000452;
    }
    json_array_foreach (norm, i, cl) {
        size_t k;
        json_t *s, *svc = NULL, *pm;
        int port_found = 0;
        json_array_foreach (c->acct->res[REF_K_SERVICES], k, s) {
            if (ref_int(s, "namespace_id") == ref_int(lb, "_namespace_id") &&
                strcmp(ref_str(s, "service_name"), ref_str(cl, "serviceName")) == 0)
                svc = s;
        }
        if (!svc)
            return 4040401;
        json_array_foreach (json_object_get(svc, "port_maps"), k, pm) {
            if (ref_int(pm, "dest_port") == ref_int(cl, "servicePort"))
                port_found = 1;
        }
        if (!port_found)
            return 4000458;
    }
    return 0;
}

static long dup_clusters(const json_t *norm)
{
    size_t i;
    json_t *cl;

    json_array_foreach (norm, i, cl) {
        if (ref_int(cl, "_duplicate_domain"))
            return 4090451;
    }
    for (i = 0; i < json_array_size(norm); i++)
        for (size_t k = i + 1; k < json_array_size(norm); k++) {
            json_t *a = json_array_get(norm, i), *b = json_array_get(norm, k);
            if (strcmp(ref_str(a, "_names"), ref_str(b, "_names")) == 0 &&
                strcmp(ref_str(a, "path"), ref_str(b, "path")) == 0) {
                int same = strcmp(ref_str(a, "serviceName"), ref_str(b, "serviceName")) == 0 &&
                           ref_int(a, "servicePort") == ref_int(b, "servicePort");
                return same ? 4090457 : 4090467;
            }
        }
    return 0;
}

static void strip_internal(json_t *norm)
{
    size_t i;
    json_t *cl;

    json_array_foreach (norm, i, cl) {
        json_object_del(cl, "_duplicate_domain");
        json_object_del(cl, "_names");
    }
}

int ref_h_ls_create(struct ref_call *c)
{
    json_t *b = c->body, *name = json_object_get(b, "name"),
           *port = json_object_get(b, "listenPort");
    json_t *proto = json_object_get(b, "protocol"), *norm = NULL, *lb, *ls, *listeners;
    long code = 0, p;
    int https;
    char now[32];

    if (!ref_req_header(c->req, "namespace") || ref_absent(name) || ref_absent(port) ||
        ref_absent(proto))
        return ref_fail(c, 4000402);
    https = json_is_string(proto) && strcmp(json_string_value(proto), "https") == 0;
    if (json_is_array(json_object_get(b, "clusters")) &&
        clusters_missing(json_object_get(b, "clusters"), https))
        return ref_fail(c, 4000402);
    if (!json_is_string(name) || !json_is_integer(port) || !json_is_string(proto))
        return ref_fail(c, 4000460);
    code = check_clusters(json_object_get(b, "clusters"), https, &norm);
    if (code)
        goto fail;
    if (!https && strcmp(json_string_value(proto), "http") != 0) {
        code = 4000453;
        goto fail;
    }
    p = (long)json_integer_value(port);
    if (!((p == (https ? 443 : 80)) || (p >= 1025 && p <= 65535))) {
        code = 4000454;
        goto fail;
    }
    if (!ref_name_ok(json_string_value(name), 24)) {
        code = 4000401;
        goto fail;
    }
    lb = lb_of_path(c, NULL, &code);
    if (!lb)
        goto fail;
    code = lb_state(lb);
    if (!code)
        code = dup_clusters(norm);
    if (!code)
        code = check_cluster_refs(c, lb, norm);
    listeners = json_object_get(lb, "_listeners");
    if (!code && ref_find_str(listeners, "name", json_string_value(name), NULL))
        code = 4090480;
    if (!code && ref_find_int(listeners, "listenPort", p, NULL))
        code = 4090401;
    if (!code && (long)json_array_size(listeners) >= c->cfg->quotas[REF_Q_LISTENERS])
        code = 4000470;
    if (!code && (long)json_array_size(norm) > c->cfg->quotas[REF_Q_CLUSTERS])
        code = 4000471;
    if (code)
        goto fail;
    strip_internal(norm);
    ref_timestamp(now, 1);
    ls = json_pack("{s:O, s:I, s:O, s:s, s:s, s:s, s:o}", "name", name, "listenPort", (json_int_t)p,
                   "protocol", proto, "status", "CREATING", "createtime", now, "updatetime", now,
                   "clusters", norm);
    ref_schedule(ls, c->now, c->cfg->async_ms, json_string("WORKING"));
    json_array_append_new(listeners, ls);
    return ref_ok(c, 200, ref_public(ls));
fail:
    json_decref(norm);
    return ref_fail(c, code);
}

int ref_h_ls_list(struct ref_call *c)
{
    long code = 0;
    json_t *lb = lb_of_path(c, NULL, &code);

    if (!lb)
        return ref_fail(c, code);
    return ref_ok(c, 200, ref_public(json_object_get(lb, "_listeners")));
}

int ref_h_ls_update(struct ref_call *c)
{
    json_t *clusters = json_object_get(c->body, "clusters"), *norm = NULL, *lb, *ls;
    long code = 0;
    char now[32];

    if (!ref_req_header(c->req, "namespace") || ref_absent(clusters))
        return ref_fail(c, 4000402);
    if (!json_is_array(clusters))
        return ref_fail(c, 4000460);
    lb = lb_of_path(c, NULL, &code);
    if (!lb)
        return ref_fail(c, code);
    ls = ref_find_str(json_object_get(lb, "_listeners"), "name", c->p[1], NULL);
    /* The listener's protocol decides whether certId is required, so the
     * clusters are checked once it is known; a missing listener still
     * comes after the request's own defects. */
    code = check_clusters(clusters, ls && strcmp(ref_str(ls, "protocol"), "https") == 0, &norm);
    if (!code && !ls)
        code = 4040456;
    if (!code)
        code = lb_state(lb);
    if (!code && strcmp(ref_str(ls, "status"), "CREATING") == 0)
        code = 4000455;
    if (!code)
        code = dup_clusters(norm);
    if (!code)
        code = check_cluster_refs(c, lb, norm);
    if (!code && (long)json_array_size(norm) > c->cfg->quotas[REF_Q_CLUSTERS])
        code = 4000471;
    if (code) {
        json_decref(norm);
        return ref_fail(c, code);
    }
    strip_internal(norm);
    json_object_set_new(ls, "clusters", norm);
    ref_timestamp(now, 1);
    json_object_set_new(ls, "updatetime", json_string(now));
    return ref_ok(c, 200, NULL);
}

int ref_h_ls_delete(struct ref_call *c)
{
    long code = 0;
    json_t *lb = lb_of_path(c, NULL, &code), *listeners;
    size_t at;

    if (!lb)
        return ref_fail(c, code);
    listeners = json_object_get(lb, "_listeners");
    if (!ref_find_str(listeners, "name", c->p[1], &at))
        return ref_fail(c, 4040456);
    code = lb_state(lb);
    if (code)
        return ref_fail(c, code);
    json_array_remove(listeners, at);
    return ref_ok(c, 200, NULL);
}

/* ---- certificates ---- */

/* 1 when s holds "-----BEGIN <label>-----", base64 lines and the matching
 * END line, for one of the labels. */
static int pem_ok(const char *s, const char *const *labels)
{
    for (; *labels; labels++) {
        char begin[64], end[64];
        const char *b, *e;
        size_t b64 = 0;
        snprintf(begin, sizeof begin, "-----BEGIN %s-----", *labels);
        snprintf(end, sizeof end, "-----END %s-----", *labels);
        b = strstr(s, begin);
        e = b ? strstr(b, end) : NULL;
        if (!e)
            continue;
        for (const char *p = b + strlen(begin); p < e; p++) {
            unsigned char ch = (unsigned char)*p;
            if (isalnum(ch) || ch == '+' || ch == '/' || ch == '=')
                b64++;
            else if (!isspace(ch))
                return 0;
        }
        return b64 >= 16;
    }
    return 0;
}

/* Missing (4000411 name, 4000402 others), types (4000460), name format
 * (4000414) and PEM shape (4000412) of a cert body. */
static long check_cert_body(const json_t *b)
{
    static const char *const cert_labels[] = {"CERTIFICATE", NULL};
    static const char *const key_labels[] = {"RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY",
                                             NULL};

    if (ref_absent(json_object_get(b, "name")))
        return 4000411;
    if (ref_absent(json_object_get(b, "pubCert")) || ref_absent(json_object_get(b, "priKey")))
        return 4000402;
    if (bad_string(b, "name") || bad_string(b, "pubCert") || bad_string(b, "priKey"))
        return 4000460;
    if (!ref_chars_ok(ref_str(b, "name"), CERT_NAME_CHARS, 64))
        return 4000414;
    if (!pem_ok(ref_str(b, "pubCert"), cert_labels) || !pem_ok(ref_str(b, "priKey"), key_labels))
        return 4000412;
    return 0;
}

static void cert_fingerprint(const char *pem, char out[64])
{
    char hex[65];
    size_t o = 0;

    ac_sha256_hex_of(pem, strlen(pem), hex);
    for (int i = 0; i < 20; i++) {
        if (i)
            out[o++] = ':';
        out[o++] = (char)toupper((unsigned char)hex[2 * i]);
        out[o++] = (char)toupper((unsigned char)hex[2 * i + 1]);
    }
    out[o] = '\0';
}

int ref_h_cert_create(struct ref_call *c)
{
    json_t *certs = c->acct->res[REF_K_CERTS], *o;
    long code = check_cert_body(c->body);
    char id[37], fp[64], now[32];

    if (code)
        return ref_fail(c, code);
    if (ref_find_str(certs, "name", ref_str(c->body, "name"), NULL))
        return ref_fail(c, 4090410);
    if ((long)json_array_size(certs) >= c->cfg->quotas[REF_Q_CERTS])
        return ref_fail(c, 4000413);
    ref_uuid(id);
    cert_fingerprint(ref_str(c->body, "pubCert"), fp);
    ref_timestamp(now, 1);
    o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id, "name", ref_str(c->body, "name"),
                  "fingerPrint", fp, "createtime", now, "updatetime", now, "_pub",
                  ref_str(c->body, "pubCert"), "_pri", ref_str(c->body, "priKey"));
    json_array_append_new(certs, o);
    return ref_ok(c, 200, json_pack("{s:s, s:s}", "id", id, "name", ref_str(c->body, "name")));
}

int ref_h_cert_list(struct ref_call *c)
{
    return ref_ok(c, 200, ref_public(c->acct->res[REF_K_CERTS]));
}

int ref_h_cert_update(struct ref_call *c)
{
    json_t *certs = c->acct->res[REF_K_CERTS], *o, *other;
    long code = check_cert_body(c->body);
    char fp[64], now[32];

    if (code)
        return ref_fail(c, code);
    o = ref_find_str(certs, "id", c->p[0], NULL);
    if (!o)
        return ref_fail(c, 4040410);
    other = ref_find_str(certs, "name", ref_str(c->body, "name"), NULL);
    if (other && other != o)
        return ref_fail(c, 4090410);
    cert_fingerprint(ref_str(c->body, "pubCert"), fp);
    ref_timestamp(now, 1);
    json_object_set(o, "name", json_object_get(c->body, "name"));
    json_object_set(o, "_pub", json_object_get(c->body, "pubCert"));
    json_object_set(o, "_pri", json_object_get(c->body, "priKey"));
    json_object_set_new(o, "fingerPrint", json_string(fp));
    json_object_set_new(o, "updatetime", json_string(now));
    return ref_ok(c, 200, NULL);
}

int ref_h_cert_delete(struct ref_call *c)
{
    json_t *certs = c->acct->res[REF_K_CERTS];
    size_t at, i;
    json_t *lb;

    if (!ref_find_str(certs, "id", c->p[0], &at))
        return ref_fail(c, 4040410);
    json_array_foreach (c->acct->res[REF_K_LOADBALANCERS], i, lb) {
        size_t k;
        json_t *ls;
        json_array_foreach (json_object_get(lb, "_listeners"), k, ls) {
            if (ref_find_str(json_object_get(ls, "clusters"), "certId", c->p[0], NULL))
                return ref_fail(c, 4030410);
        }
    }
    json_array_remove(certs, at);
    return ref_ok(c, 200, NULL);
}
