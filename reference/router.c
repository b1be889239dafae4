/* reference/router.c -- the route table and the order in which a request's
 * defects are reported:
 *
 *   unknown path 4040006 -> method 4050001 -> token 4010001 -> frozen account
 *   4030009 -> rate limit 4030001 -> X-Fault-Code (with --faults) -> media
 *   type 4150001 -> unreadable body (4220001; 4000403 on /nlb) -> the
 *   handler: missing -> invalid -> not found -> state, duplicates, limits.
 *
 * The first six need the request line and headers only and run once per
 * request (ref_route_precheck), before the body is read. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define R_NOAUTH 1u     /* no token needed */
#define R_JSON 2u       /* the body is a JSON object ({} when empty) */
#define R_FORM 4u       /* the body is multipart/form-data */
#define R_INTERNAL 8u   /* outside the API: no faults, no auth */
#define R_EXTENSION 16u /* not in the documentation: absent in strict mode */

struct route {
    const char *method;
    const char *pattern; /* after /api/v1; {} one segment, {+} one or more */
    int service;         /* catalog service of the endpoint, -1 internal */
    unsigned flags;
    ref_handler fn;
};

static int h_ref_state(struct ref_call *c)
{
    ref_state_tick(c->st, c->now);
    return ref_ok(c, 200, ref_state_counts(c->st));
}

/* Literal routes come before parameterised ones with the same prefix, so
 * that /ips/quota is not read as IP "quota". */
static const struct route routes[] = {
    /* 00: platform */
    {"POST", "/token", 0, R_NOAUTH | R_JSON, ref_h_token},
    {"POST", "/secret-keys", 0, R_JSON, ref_h_key_create},
    {"GET", "/secret-keys", 0, 0, ref_h_key_list},
    {"GET", "/secret-keys/{}", 0, 0, ref_h_key_get},
    {"DELETE", "/secret-keys/{}", 0, 0, ref_h_key_delete},
    {"POST", "/repositories", 0, R_JSON, ref_h_repo_create},
    {"GET", "/repositories", 0, 0, ref_h_repo_list},
    {"GET", "/repositories/{}", 0, 0, ref_h_repo_get},
    {"PUT", "/repositories/{}", 0, R_JSON | R_EXTENSION, ref_h_repo_update},
    {"DELETE", "/repositories/{}", 0, R_EXTENSION, ref_h_repo_delete},
    {"POST", "/repositories/{}/actions/favorite", 0, R_EXTENSION, ref_h_favorite_add},
    {"DELETE", "/repositories/{}/actions/favorite", 0, R_EXTENSION, ref_h_favorite_delete},
    {"DELETE", "/repositories/{+}/tags/{}", 0, 0, ref_h_tag_delete},
    {"POST", "/repositories/{+}/tags/{}/actions/build", 0, R_FORM, ref_h_tag_build},
    {"GET", "/containers/images", 0, 0, ref_h_legacy_images},
    {"POST", "/containers", 0, R_JSON, ref_h_container_create},
    {"GET", "/containers", 0, 0, ref_h_container_list},
    {"GET", "/containers/{}", 0, 0, ref_h_container_get},
    {"PUT", "/containers/{}", 0, R_JSON, ref_h_container_update},
    {"DELETE", "/containers/{}", 0, 0, ref_h_container_delete},
    {"PUT", "/containers/{}/actions/restart", 0, 0, ref_h_container_restart},
    {"POST", "/containers/{}/tag", 0, R_JSON, ref_h_container_tag},
    {"GET", "/containers/{}/flow", 0, 0, ref_h_container_flow},
    {"GET", "/apps/images", 0, 0, ref_h_legacy_images},
    {"POST", "/apps", 0, R_JSON, ref_h_app_create},
    {"GET", "/apps", 0, 0, ref_h_app_list},
    {"GET", "/apps/{}", 0, 0, ref_h_app_get},
    {"PUT", "/apps/{}", 0, R_JSON, ref_h_app_update},
    {"DELETE", "/apps/{}", 0, 0, ref_h_app_delete},
    {"PUT", "/apps/{}/replications/{}/actions/resize", 0, 0, ref_h_app_resize},
    {"GET", "/watch/apps/{}", 0, 0, ref_h_app_watch},
    {"POST", "/hooks/app/{}", 0, R_NOAUTH, ref_h_app_hook},
    /* 01: namespaces and microservices */
    {"POST", "/namespaces", 1, R_JSON, ref_h_ns_create},
    {"GET", "/namespaces", 1, 0, ref_h_ns_list},
    {"DELETE", "/namespaces/{}", 1, 0, ref_h_ns_delete},
    {"GET", "/namespaces/{}/microservices", 1, 0, ref_h_ns_services},
    {"GET", "/microservices/images", 1, 0, ref_h_svc_images},
    {"POST", "/microservices", 1, R_JSON, ref_h_svc_create},
    {"GET", "/microservices/{}", 1, 0, ref_h_svc_get},
    {"DELETE", "/microservices/{}", 1, 0, ref_h_svc_delete},
    {"PUT", "/microservices/{}/actions/update-stateful", 1, R_JSON, ref_h_svc_update_stateful},
    {"PUT", "/microservices/{}/actions/update-stateless", 1, R_JSON, ref_h_svc_update_stateless},
    {"PUT", "/microservices/{}/actions/update-port", 1, R_JSON, ref_h_svc_update_port},
    {"PUT", "/microservices/{}/actions/elastic-scale", 1, 0, ref_h_svc_scale},
    {"PUT", "/microservices/{}/actions/update-image", 1, R_JSON, ref_h_svc_update_image},
    {"POST", "/microservices/{}/actions/update-image", 1, R_JSON, ref_h_svc_update_image},
    {"PUT", "/microservices/{}/specification", 1, 0, ref_h_svc_spec},
    {"PUT", "/microservices/{}/actions/restart", 1, 0, ref_h_svc_restart},
    {"PUT", "/microservices/{}/containers/{}/actions/restart", 1, 0, ref_h_svc_container_restart},
    /* 02: cloud volumes */
    {"POST", "/cloud-volumes", 2, R_JSON, ref_h_vol_create},
    {"GET", "/cloud-volumes", 2, 0, ref_h_vol_list},
    {"GET", "/cloud-volumes/{}", 2, 0, ref_h_vol_get},
    {"DELETE", "/cloud-volumes/{}", 2, 0, ref_h_vol_delete},
    {"PUT", "/cloud-volumes/{}/actions/resize", 2, 0, ref_h_vol_resize},
    /* 03: IPs */
    {"POST", "/ips", 3, R_JSON, ref_h_ip_create},
    {"GET", "/ips", 3, 0, ref_h_ip_list},
    {"GET", "/ips/quota", 3, 0, ref_h_ip_quota},
    {"GET", "/ips/{}", 3, 0, ref_h_ip_get},
    {"DELETE", "/ips/{}", 3, 0, ref_h_ip_delete},
    {"GET", "/ips/{}/cost", 3, 0, ref_h_ip_cost},
    /* 04: NLB */
    {"POST", "/nlb/loadbalancers", 4, R_JSON, ref_h_lb_create},
    {"GET", "/nlb/loadbalancers", 4, 0, ref_h_lb_list},
    {"GET", "/nlb/loadbalancers/{}", 4, 0, ref_h_lb_get},
    {"PUT", "/nlb/loadbalancers/{}", 4, R_JSON, ref_h_lb_update},
    {"DELETE", "/nlb/loadbalancers/{}", 4, 0, ref_h_lb_delete},
    {"POST", "/nlb/loadbalancers/{}/listeners", 4, R_JSON, ref_h_ls_create},
    {"GET", "/nlb/loadbalancers/{}/listeners", 4, 0, ref_h_ls_list},
    {"PUT", "/nlb/loadbalancers/{}/listeners/{}", 4, R_JSON, ref_h_ls_update},
    {"DELETE", "/nlb/loadbalancers/{}/listeners/{}", 4, 0, ref_h_ls_delete},
    {"POST", "/nlb/certs", 4, R_JSON, ref_h_cert_create},
    {"GET", "/nlb/certs", 4, 0, ref_h_cert_list},
    {"PUT", "/nlb/certs/{}", 4, R_JSON, ref_h_cert_update},
    {"DELETE", "/nlb/certs/{}", 4, 0, ref_h_cert_delete},
    /* 05: RDS (extension: the catalog's service 05 has no documented endpoint) */
    /* The documentation names only the query, as the candidate owner of
     * service 05: it stays in strict mode. */
    {"POST", "/rds/instances", 5, R_JSON | R_EXTENSION, ref_h_rds_create},
    {"GET", "/rds/instances", 5, 0, ref_h_rds_list},
    {"GET", "/rds/instances/{}", 5, R_EXTENSION, ref_h_rds_get},
    {"DELETE", "/rds/instances/{}", 5, R_EXTENSION, ref_h_rds_delete},
    /* outside the API */
    {"GET", "/__ref/state", -1, R_NOAUTH | R_INTERNAL, h_ref_state},
};

/* Fault codes that TRIGGERS.md places behind endpoints of another service:
 * the container engine (00) fails behind microservice calls (01). */
static const struct {
    long code;
    int service;
} cross_faults[] = {{5000007, 1}, {5000001, 1}};

/* Splits path into segments in place; returns the count, or -1 when there
 * are too many or one is empty (a doubled slash). */
static int split(char *path, char **seg, int max)
{
    int n = 0;
    char *p = path;

    if (*p == '/')
        p++;
    if (*p == '\0')
        return 0;
    for (;;) {
        char *slash = strchr(p, '/');
        if (n >= max)
            return -1;
        seg[n++] = p;
        if (!slash)
            break;
        *slash = '\0';
        p = slash + 1;
        if (*p == '\0')
            break; /* one trailing slash is allowed (the build template has it) */
    }
    for (int i = 0; i < n; i++)
        if (seg[i][0] == '\0')
            return -1;
    return n;
}

/* Matches segments against a pattern; on success stores the parameters in
 * d (a {+} parameter joins its segments with '/'). */
static int match(const char *pattern, char **seg, int nseg, struct ref_dispatch *d)
{
    char pat[128];
    char *ps[16];
    int np, greedy = -1, np_after, si = 0;

    snprintf(pat, sizeof pat, "%s", pattern);
    np = split(pat, ps, 16);
    for (int i = 0; i < np; i++)
        if (strcmp(ps[i], "{+}") == 0)
            greedy = i;
    if (greedy < 0 ? nseg != np : nseg < np)
        return 0;
    np_after = greedy < 0 ? 0 : np - greedy - 1;
    d->n_params = 0;
    for (int i = 0; i < np; i++) {
        if (i == greedy) {
            int take = nseg - si - np_after;
            size_t len = 0;
            char *dst = d->params[d->n_params];
            dst[0] = '\0';
            for (int k = 0; k < take; k++) {
                size_t sl = strlen(seg[si + k]);
                if (len + sl + 2 > sizeof d->params[0])
                    return 0;
                if (k)
                    dst[len++] = '/';
                memcpy(dst + len, seg[si + k], sl + 1);
                len += sl;
            }
            d->n_params++;
            si += take;
        } else if (strcmp(ps[i], "{}") == 0) {
            if (strlen(seg[si]) >= sizeof d->params[0] || d->n_params >= 3)
                return 0;
            snprintf(d->params[d->n_params++], sizeof d->params[0], "%s", seg[si]);
            si++;
        } else {
            if (strcmp(ps[i], seg[si]) != 0)
                return 0;
            si++;
        }
    }
    return 1;
}

static long find_route(const char *method, const char *path, int strict, struct ref_dispatch *d)
{
    char buf[4096];
    char *seg[64];
    int nseg, path_known = 0;
    const char *rest;

    d->route = NULL;
    if (strncmp(path, "/api/v1/", 8) == 0)
        rest = path + 7;
    else if (strncmp(path, "/__ref/", 7) == 0)
        rest = path;
    else
        return 4040006;
    if (strlen(rest) >= sizeof buf)
        return 4040006;
    memcpy(buf, rest, strlen(rest) + 1);
    nseg = split(buf, seg, 64);
    if (nseg <= 0)
        return 4040006;
    if (rest == path) /* /__ref/...: only the internal routes */
        nseg = -nseg;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        const struct route *r = &routes[i];
        int internal = (r->flags & R_INTERNAL) != 0;
        if (internal != (nseg < 0) || (strict && (r->flags & R_EXTENSION)))
            continue;
        if (!match(r->pattern, seg, nseg < 0 ? -nseg : nseg, d))
            continue;
        path_known = 1;
        if (strcmp(r->method, method) == 0) {
            d->route = r;
            return 0;
        }
    }
    return path_known ? 4050001 : 4040006;
}

/* Reads "Token <32 hex>" (scheme case-insensitive, as in the legacy
 * examples) and returns the token's record or NULL. */
static struct ref_token *authenticate(struct ref_state *st, const struct ref_req *req,
                                      long long now)
{
    const char *h = ref_req_header(req, "Authorization");

    if (!h)
        return NULL;
    while (*h == ' ' || *h == '\t')
        h++;
    if (strncasecmp(h, "Token", 5) != 0 || (h[5] != ' ' && h[5] != '\t'))
        return NULL;
    h += 5;
    while (*h == ' ' || *h == '\t')
        h++;
    return ref_state_token_find(st, h, now);
}

/* 1 when ctype's media type (before any parameter) equals want. */
static int media_is(const char *ctype, const char *want)
{
    size_t n = strlen(want);

    if (!ctype)
        return 0;
    while (*ctype == ' ')
        ctype++;
    if (strncasecmp(ctype, want, n) != 0)
        return 0;
    ctype += n;
    while (*ctype == ' ')
        ctype++;
    return *ctype == '\0' || *ctype == ';';
}

static long fault_code(const struct ref_config *cfg, const struct catalog *cat,
                       const struct ref_req *req, const struct route *r)
{
    const char *h = ref_req_header(req, "X-Fault-Code");
    const struct catalog_entry *e;
    long code;

    if (!cfg->faults || !h || r->service < 0 || !ref_parse_long(h, &code))
        return 0;
    e = catalog_find(cat, code);
    if (!e)
        return 0;
    if (e->service == r->service)
        return code;
    for (size_t i = 0; i < sizeof cross_faults / sizeof cross_faults[0]; i++)
        if (cross_faults[i].code == code && cross_faults[i].service == r->service)
            return code;
    return 0;
}

void ref_route_precheck(struct ref_state *st, const struct ref_config *cfg,
                        const struct catalog *cat, const struct ref_req *req,
                        struct ref_dispatch *d)
{
    long long now = ref_now_ms();
    const struct route *r;

    memset(d, 0, sizeof *d);
    d->code = find_route(req->method, req->path, cfg->strict, d);
    if (d->code)
        return;
    r = d->route;
    if (!(r->flags & R_NOAUTH)) {
        struct ref_token *t = authenticate(st, req, now);
        if (!t) {
            d->code = 4010001;
            return;
        }
        d->acct = t->acct;
        if (t->acct->cfg.frozen) {
            d->code = 4030009;
            return;
        }
        if (ref_state_rate_exceeded(t, now)) {
            d->code = 4030001;
            return;
        }
    }
    d->code = fault_code(cfg, cat, req, r);
    if (d->code)
        return;
    if (req->has_body && (r->flags & (R_JSON | R_FORM))) {
        const char *ctype = ref_req_header(req, "Content-Type");
        if (!media_is(ctype, (r->flags & R_FORM) ? "multipart/form-data" : "application/json"))
            d->code = 4150001;
    }
}

long ref_route_body_error(const struct ref_dispatch *d)
{
    const struct route *r = d->route;
    return r && r->service == 4 ? 4000403 : 4220001;
}

void ref_route_finish(struct ref_state *st, const struct ref_config *cfg, const struct catalog *cat,
                      const struct ref_req *req, const struct ref_dispatch *d, int too_large,
                      struct ref_reply *reply)
{
    static const long fallback[] = {5000007, 4000111, 4000299, 5000300, 5000400, 5000500};
    const struct route *r = d->route;
    struct ref_call c;
    json_t *body = NULL;

    memset(&c, 0, sizeof c);
    c.cfg = cfg;
    c.cat = cat;
    c.st = st;
    c.req = req;
    c.reply = reply;
    c.acct = d->acct;
    c.now = ref_now_ms();
    if (d->code) {
        ref_fail(&c, d->code);
        return;
    }
    if (too_large) {
        ref_fail(&c, ref_route_body_error(d));
        return;
    }
    if (r->flags & R_JSON) {
        if (req->body_len == 0) {
            body = json_object();
        } else {
            json_error_t jerr;
            body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
            if (!json_is_object(body)) {
                json_decref(body);
                ref_fail(&c, ref_route_body_error(d));
                return;
            }
        }
    }
    c.body = body;
    for (int i = 0; i < d->n_params; i++)
        c.p[i] = d->params[i];
    ref_state_tick(st, c.now);
    r->fn(&c);
    if (!reply->ready) /* a handler bug: still answer from the catalog */
        ref_fail(&c, r->service >= 0 ? fallback[r->service] : 5000007);
    json_decref(body);
}
