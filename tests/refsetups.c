/* tests/refsetups.c -- the setups and scripted scenarios that the rows of
 * tests/reference-codes/ name ("setup": "lb0_svc", "run": "rate_limit"):
 * the fixtures of TRIGGERS.md built through the API, and the requests that
 * one templated request cannot express. The tables at the end map the
 * names to the functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "refcodes.h"

static const char repo_body[] =
    "{\"repo_name\":\"cf-repo\",\"open_level\":1,\"base_desc\":\"b\",\"detail_desc\":\"d\"}";

/* ---- setups named by the rows ---- */

static int setup_lb0(struct ctx *x)
{
    if (rt_create(x, "/api/v1/nlb/loadbalancers", x->nshdr, "{\"name\":\"cf-lb\"}", "name", NULL,
                  0) < 0)
        return -1;
    return rt_wait_for(x, "/api/v1/nlb/loadbalancers/cf-lb", x->nshdr, "\"WORKING\"");
}

/* LB0 (WORKING) and service cf-svc exposing port 80: the listener fixture. */
static int setup_lb0_svc(struct ctx *x)
{
    if (rt_create_svc(x, "cf-svc", 0,
                      "{\"port_maps\":[{\"dest_port\":80,\"source_port\":80,"
                      "\"protocol\":\"TCP\"}]}",
                      NULL, x->id2, sizeof x->id2) < 0)
        return -1;
    return setup_lb0(x);
}

int rt_setup_ls0(struct ctx *x)
{
    if (setup_lb0_svc(x) < 0)
        return -1;
    return rt_create(x, "/api/v1/nlb/loadbalancers/cf-lb/listeners", x->nshdr,
                     "{\"name\":\"cf-ls\",\"listenPort\":80,\"protocol\":\"http\",\"clusters\":"
                     "[{\"serviceName\":\"cf-svc\",\"servicePort\":80}]}",
                     "name", NULL, 0);
}

static int setup_20_listeners(struct ctx *x)
{
    char body[256], name[32];

    if (setup_lb0_svc(x) < 0)
        return -1;
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "cf-ls%d", i);
        snprintf(body, sizeof body,
                 "{\"name\":\"%s\",\"listenPort\":%d,\"protocol\":\"http\",\"clusters\":[]}", name,
                 1025 + i);
        if (rt_create(x, "/api/v1/nlb/loadbalancers/cf-lb/listeners", x->nshdr, body, "name", NULL,
                      0) < 0)
            return -1;
    }
    return 0;
}

static int setup_cert(struct ctx *x)
{
    char *body = rt_cert_body("cf-cert");
    int rc = rt_create(x, "/api/v1/nlb/certs", NULL, body, "id", x->id, sizeof x->id);

    free(body);
    return rc;
}

static int setup_5_certs(struct ctx *x)
{
    char name[32];

    for (int i = 0; i < 5; i++) {
        char *body;
        int rc;
        snprintf(name, sizeof name, "cf-cert%d", i);
        body = rt_cert_body(name);
        rc = rt_create(x, "/api/v1/nlb/certs", NULL, body, "id", NULL, 0);
        free(body);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int setup_3_lbs(struct ctx *x)
{
    char body[64];

    for (int i = 0; i < 3; i++) {
        snprintf(body, sizeof body, "{\"name\":\"cf-lb%d\"}", i);
        if (rt_create(x, "/api/v1/nlb/loadbalancers", x->nshdr, body, "name", NULL, 0) < 0)
            return -1;
    }
    return 0;
}

static int setup_cert_https_listener(struct ctx *x)
{
    char body[512];

    if (setup_cert(x) < 0 || setup_lb0_svc(x) < 0)
        return -1;
    snprintf(body, sizeof body,
             "{\"name\":\"cf-ls\",\"listenPort\":443,\"protocol\":\"https\",\"clusters\":"
             "[{\"serviceName\":\"cf-svc\",\"servicePort\":80,\"certId\":\"%s\"}]}",
             x->id);
    return rt_create(x, "/api/v1/nlb/loadbalancers/cf-lb/listeners", x->nshdr, body, "name", NULL,
                     0);
}

static int setup_nlb_ip_bound(struct ctx *x)
{
    struct resp r;
    char body[128];

    rt_resp_init(&r);
    rt_http(&r, "POST", "/api/v1/ips", x->tok, "{\"nlb\":1}", NULL);
    snprintf(x->id, sizeof x->id, "%s",
             json_string_value(
                 json_object_get(json_array_get(json_object_get(r.json, "ips"), 0), "ip")));
    rt_resp_release(&r);
    snprintf(body, sizeof body, "{\"name\":\"cf-lb\",\"address\":\"%s\"}", x->id);
    return rt_create(x, "/api/v1/nlb/loadbalancers", x->nshdr, body, "name", NULL, 0);
}

static int setup_lb_deleting(struct ctx *x)
{
    struct resp r;
    int rc;

    if (setup_lb0(x) < 0)
        return -1;
    rt_resp_init(&r);
    rt_http(&r, "DELETE", "/api/v1/nlb/loadbalancers/cf-lb", x->tok, NULL, x->nshdr);
    rc = r.status == 200 ? 0 : -1;
    rt_resp_release(&r);
    return rc;
}

static int setup_lb_creating(struct ctx *x)
{
    return rt_create(x, "/api/v1/nlb/loadbalancers", x->nshdr, "{\"name\":\"cf-lb\"}", "name", NULL,
                     0);
}

static int setup_key_dup(struct ctx *x)
{
    return rt_create(x, "/api/v1/secret-keys", NULL, "{\"key_name\":\"cf-dup\"}", "id", NULL, 0);
}

static int setup_5_keys(struct ctx *x)
{
    char body[64];

    for (int i = 0; i < 5; i++) {
        snprintf(body, sizeof body, "{\"key_name\":\"cf-key%d\"}", i);
        if (rt_create(x, "/api/v1/secret-keys", NULL, body, "id", NULL, 0) < 0)
            return -1;
    }
    return 0;
}

static int setup_repo(struct ctx *x)
{
    return rt_create(x, "/api/v1/repositories", NULL, repo_body, "repo_id", x->id, sizeof x->id);
}

static int setup_3_repos(struct ctx *x)
{
    char body[160];

    for (int i = 0; i < 3; i++) {
        snprintf(body, sizeof body,
                 "{\"repo_name\":\"cf-repo%d\",\"open_level\":0,\"base_desc\":\"b\","
                 "\"detail_desc\":\"d\"}",
                 i);
        if (rt_create(x, "/api/v1/repositories", NULL, body, "repo_id", NULL, 0) < 0)
            return -1;
    }
    return 0;
}

static int setup_3_tags(struct ctx *x)
{
    struct resp r;
    int rc = 0;

    if (setup_repo(x) < 0)
        return -1;
    rt_resp_init(&r);
    for (int i = 0; i < 3 && rc == 0; i++) {
        char tag[16];
        snprintf(tag, sizeof tag, "v%d", i);
        rt_build(&r, x, "cf-repo", tag);
        rc = r.status == 200 ? 0 : -1;
    }
    rt_resp_release(&r);
    return rc;
}

static int setup_building_tag(struct ctx *x)
{
    struct resp r;
    int rc;

    if (setup_repo(x) < 0)
        return -1;
    rt_resp_init(&r);
    rt_build(&r, x, "cf-repo", "v1");
    rc = r.status == 200 ? 0 : -1;
    rt_resp_release(&r);
    return rc;
}

static const char container_body[] =
    "{\"charge_type\":1,\"spec_id\":1,\"image_type\":1,\"image_id\":1,\"name\":\"cf-ct\"}";
static const char app_body[] =
    "{\"name\":\"cf-app\",\"image_type\":1,\"image_id\":1,\"spec_id\":1}";

static int setup_container(struct ctx *x)
{
    return rt_create(x, "/api/v1/containers", NULL, container_body, "id", x->id, sizeof x->id);
}

static int setup_app(struct ctx *x)
{
    return rt_create(x, "/api/v1/apps", NULL, app_body, "id", x->id, sizeof x->id);
}

static int setup_app_ready(struct ctx *x)
{
    char path[256];

    if (setup_app(x) < 0)
        return -1;
    snprintf(path, sizeof path, "/api/v1/apps/%s", x->id);
    return rt_wait_for(x, path, NULL, "create_succ");
}

static int setup_svc0(struct ctx *x)
{
    return rt_create_svc(x, "cf-svc", 0, NULL, NULL, x->id, sizeof x->id);
}

static int setup_svc0_with_container(struct ctx *x)
{
    if (setup_svc0(x) < 0)
        return -1;
    return rt_svc_container_id(x, x->id, x->id2, sizeof x->id2);
}

static int setup_stateful(struct ctx *x)
{
    return rt_create_svc(x, "cf-svc", 1, NULL, NULL, x->id, sizeof x->id);
}

static int setup_stateful_ready(struct ctx *x)
{
    if (setup_stateful(x) < 0)
        return -1;
    return rt_wait_svc(x, x->id);
}

static int setup_stateful_with_container(struct ctx *x)
{
    if (setup_stateful(x) < 0)
        return -1;
    return rt_svc_container_id(x, x->id, x->id2, sizeof x->id2);
}

static int setup_two_services(struct ctx *x)
{
    char b_id[64];

    if (rt_create_svc(x, "cf-svc-a", 0, NULL, NULL, x->id, sizeof x->id) < 0 ||
        rt_create_svc(x, "cf-svc-b", 0, NULL, NULL, b_id, sizeof b_id) < 0)
        return -1;
    return rt_svc_container_id(x, b_id, x->id2, sizeof x->id2);
}

static int setup_5_services(struct ctx *x)
{
    char name[32];

    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "cf-svc%d", i);
        if (rt_create_svc(x, name, 0, NULL, NULL, NULL, 0) < 0)
            return -1;
    }
    return 0;
}

static int setup_replicas_used(struct ctx *x)
{
    if (rt_create_svc(x, "cf-svc-a", 0, "{\"replicas\":9}", NULL, NULL, 0) < 0 ||
        rt_create_svc(x, "cf-svc-b", 0, NULL, NULL, x->id, sizeof x->id) < 0)
        return -1;
    return rt_wait_svc(x, x->id);
}

static int setup_nce_ips_used(struct ctx *x)
{
    return rt_create(x, "/api/v1/ips", NULL, "{\"nce\":5}", "total", NULL, 0);
}

static int setup_volume(struct ctx *x)
{
    return rt_create(x, "/api/v1/cloud-volumes", NULL, "{\"volume_name\":\"cf-vol\",\"size\":10}",
                     "id", x->id, sizeof x->id);
}

static int setup_volume_mounted(struct ctx *x)
{
    char vi[256];

    if (setup_volume(x) < 0)
        return -1;
    snprintf(vi, sizeof vi, "{\"volume_info\":{\"%s\":\"/mnt/\"}}", x->id);
    return rt_create_svc(x, "cf-svc", 1, "{\"disk_type\":0}", vi, NULL, 0);
}

static int setup_other_favourite_private(struct ctx *x)
{
    struct ctx o;
    struct resp r;
    char path[256];
    int rc = -1;

    rt_resp_init(&r);
    if (rt_ctx_init(&o, "other") < 0 || setup_repo(&o) < 0)
        goto out;
    rt_build(&r, &o, "cf-repo", "v1");
    snprintf(path, sizeof path, "/api/v1/repositories/%s", o.id);
    if (r.status != 200 || rt_wait_for(&o, path, NULL, "\"status\": 2") < 0)
        goto out;
    snprintf(path, sizeof path, "/api/v1/repositories/%s/actions/favorite", o.id);
    rt_http(&r, "POST", path, x->tok, NULL, NULL);
    if (r.status != 200)
        goto out;
    snprintf(path, sizeof path, "/api/v1/repositories/%s", o.id);
    rt_http(&r, "PUT", path, o.tok, "{\"open_level\":0}", NULL);
    rc = r.status == 200 ? 0 : -1;
out:
    rt_resp_release(&r);
    return rc;
}

/* ---- scenarios that do not fit one templated request ---- */

static int run_rate_limit(struct ctx *x, struct resp *r)
{
    (void)x;
    /* 'limited' allows 20 requests/s per token: 21 in a burst must trip. */
    for (int i = 0; i < 30; i++) {
        rt_http(r, "GET", "/api/v1/secret-keys", x->tok, NULL, NULL);
        if (r->status == 403)
            return 0;
    }
    return 0;
}

int rt_run_stalled_body(struct ctx *x, struct resp *r)
{
    int fd = rt_raw_connect();
    char head[512];
    char *raw;

    if (fd < 0)
        return -1;
    snprintf(head, sizeof head,
             "POST /api/v1/secret-keys HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token %s\r\n"
             "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"key_name",
             x->tok);
    send(fd, head, strlen(head), MSG_NOSIGNAL);
    raw = rt_read_all(fd, 5000, NULL);
    rt_parse_raw(r, raw);
    free(raw);
    close(fd);
    return 0;
}

static int run_big_svc(struct ctx *x, struct resp *r, const char *member, int n, int kind)
{
    /* kind 0: envs, 1: log_dirs, 2: port_maps (in service_info) */
    struct ac_buf patch = AC_BUF_INIT;
    char *body;

    ac_buf_addf(&patch, "{\"%s\":[", member);
    for (int i = 0; i < n; i++) {
        if (i)
            ac_buf_addc(&patch, ',');
        if (kind == 0)
            ac_buf_addf(&patch, "{\"key\":\"K%d\",\"value\":\"v\"}", i);
        else if (kind == 1)
            ac_buf_addf(&patch, "\"/var/log/d%d\"", i);
        else
            ac_buf_addf(&patch, "{\"dest_port\":%d,\"source_port\":%d,\"protocol\":\"TCP\"}",
                        1000 + i, 1000 + i);
    }
    ac_buf_adds(&patch, "]}");
    body = kind == 2 ? rt_svc_body(x, "cf-svc", 0, patch.data, NULL)
                     : rt_svc_body(x, "cf-svc", 0, NULL, patch.data);
    rt_http(r, "POST", "/api/v1/microservices", x->tok, body, NULL);
    free(body);
    ac_buf_release(&patch);
    return 0;
}

static int run_envs_1000(struct ctx *x, struct resp *r)
{
    return run_big_svc(x, r, "envs", 1000, 0);
}

static int run_log_dirs_100(struct ctx *x, struct resp *r)
{
    return run_big_svc(x, r, "log_dirs", 100, 1);
}

static int run_port_maps_100(struct ctx *x, struct resp *r)
{
    return run_big_svc(x, r, "port_maps", 100, 2);
}

static int run_long_string(struct ctx *x, struct resp *r, const char *member, size_t n,
                           const char *prefix)
{
    struct ac_buf patch = AC_BUF_INIT;
    char *body;

    ac_buf_addf(&patch, "{\"%s\":%s\"%s", member, strcmp(member, "log_dirs") == 0 ? "[" : "",
                prefix);
    for (size_t i = 0; i < n; i++)
        ac_buf_addc(&patch, 'a');
    ac_buf_addf(&patch, "\"%s}", strcmp(member, "log_dirs") == 0 ? "]" : "");
    body = rt_svc_body(x, "cf-svc", 0, NULL, patch.data);
    rt_http(r, "POST", "/api/v1/microservices", x->tok, body, NULL);
    free(body);
    ac_buf_release(&patch);
    return 0;
}

static int run_desc_1000(struct ctx *x, struct resp *r)
{
    return run_long_string(x, r, "desc", 1000, "");
}

static int run_command_10000(struct ctx *x, struct resp *r)
{
    return run_long_string(x, r, "command", 10000, "");
}

static int run_log_dir_long(struct ctx *x, struct resp *r)
{
    return run_long_string(x, r, "log_dirs", 1000, "/");
}

static int run_lb_description(struct ctx *x, struct resp *r)
{
    struct ac_buf b = AC_BUF_INIT;

    ac_buf_adds(&b, "{\"name\":\"cf-lb\",\"description\":\"");
    for (int i = 0; i < 1000; i++)
        ac_buf_addc(&b, 'd');
    ac_buf_adds(&b, "\"}");
    rt_http(r, "POST", "/api/v1/nlb/loadbalancers", x->tok, b.data, x->nshdr);
    ac_buf_release(&b);
    return 0;
}

static int run_100_clusters(struct ctx *x, struct resp *r)
{
    struct ac_buf b = AC_BUF_INIT;

    ac_buf_adds(&b, "{\"name\":\"cf-ls\",\"listenPort\":80,\"protocol\":\"http\",\"clusters\":[");
    for (int i = 0; i < 100; i++)
        ac_buf_addf(&b,
                    "%s{\"serviceName\":\"cf-svc\",\"servicePort\":80,\"serverName\":\"d%d.com\"}",
                    i ? "," : "", i);
    ac_buf_adds(&b, "]}");
    rt_http(r, "POST", "/api/v1/nlb/loadbalancers/cf-lb/listeners", x->tok, b.data, x->nshdr);
    ac_buf_release(&b);
    return 0;
}

static int run_volume_twice(struct ctx *x, struct resp *r)
{
    char vi[256], *body;

    snprintf(vi, sizeof vi,
             "{\"volume_info\":{\"%s\":\"/mnt/\"},\"cpu_weight\":50,"
             "\"memory_weight\":50}",
             x->id);
    body = rt_svc_body(x, "cf-svc", 1, "{\"disk_type\":0}", vi);
    {
        json_t *b = json_loads(body, 0, NULL);
        json_t *conts = json_object_get(b, "service_container_infos");
        json_t *second = json_deep_copy(json_array_get(conts, 0));
        json_object_set_new(second, "container_name", json_string("cf-c2"));
        json_array_append_new(conts, second);
        free(body);
        body = json_dumps(b, JSON_COMPACT);
        json_decref(b);
    }
    rt_http(r, "POST", "/api/v1/microservices", x->tok, body, NULL);
    free(body);
    return 0;
}

static int run_two_containers_same_name(struct ctx *x, struct resp *r)
{
    char *body = rt_svc_body(x, "cf-svc", 0, NULL, "{\"cpu_weight\":50,\"memory_weight\":50}");
    json_t *b = json_loads(body, 0, NULL);
    json_t *conts = json_object_get(b, "service_container_infos");

    json_array_append_new(conts, json_deep_copy(json_array_get(conts, 0)));
    free(body);
    body = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    rt_http(r, "POST", "/api/v1/microservices", x->tok, body, NULL);
    free(body);
    return 0;
}

static int run_favourite_private(struct ctx *x, struct resp *r)
{
    char *body =
        rt_svc_body(x, "cf-svc", 0, NULL, "{\"image_path\":\"hub.c.163.com/other/cf-repo:v1\"}");

    rt_http(r, "POST", "/api/v1/microservices", x->tok, body, NULL);
    free(body);
    return 0;
}

static int run_build_4th_tag(struct ctx *x, struct resp *r)
{
    rt_build(r, x, "cf-repo", "v3");
    return 0;
}

/* ---- the names the rows use ---- */

const struct rt_setup rt_setups[] = {
    {"lb0", setup_lb0},
    {"lb0_svc", setup_lb0_svc},
    {"ls0", rt_setup_ls0},
    {"20_listeners", setup_20_listeners},
    {"cert", setup_cert},
    {"5_certs", setup_5_certs},
    {"3_lbs", setup_3_lbs},
    {"cert_https_listener", setup_cert_https_listener},
    {"nlb_ip_bound", setup_nlb_ip_bound},
    {"lb_deleting", setup_lb_deleting},
    {"lb_creating", setup_lb_creating},
    {"key_dup", setup_key_dup},
    {"5_keys", setup_5_keys},
    {"repo", setup_repo},
    {"3_repos", setup_3_repos},
    {"3_tags", setup_3_tags},
    {"building_tag", setup_building_tag},
    {"container", setup_container},
    {"app", setup_app},
    {"app_ready", setup_app_ready},
    {"svc0", setup_svc0},
    {"svc0_with_container", setup_svc0_with_container},
    {"stateful", setup_stateful},
    {"stateful_ready", setup_stateful_ready},
    {"stateful_with_container", setup_stateful_with_container},
    {"two_services", setup_two_services},
    {"5_services", setup_5_services},
    {"replicas_used", setup_replicas_used},
    {"nce_ips_used", setup_nce_ips_used},
    {"volume", setup_volume},
    {"volume_mounted", setup_volume_mounted},
    {"other_favourite_private", setup_other_favourite_private},
    {NULL, NULL},
};

const struct rt_run rt_runs[] = {
    {"rate_limit", run_rate_limit},
    {"stalled_body", rt_run_stalled_body},
    {"envs_1000", run_envs_1000},
    {"log_dirs_100", run_log_dirs_100},
    {"port_maps_100", run_port_maps_100},
    {"desc_1000", run_desc_1000},
    {"command_10000", run_command_10000},
    {"log_dir_long", run_log_dir_long},
    {"lb_description", run_lb_description},
    {"100_clusters", run_100_clusters},
    {"volume_twice", run_volume_twice},
    {"two_containers_same_name", run_two_containers_same_name},
    {"favourite_private", run_favourite_private},
    {"build_4th_tag", run_build_4th_tag},
    {NULL, NULL},
};
