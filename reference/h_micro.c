/* reference/h_micro.c -- service 01: namespaces and microservices.
 *
 * Creation checks run in the documented precedence: missing members
 * (4000112) -> invalid values (field-specific 4000113..4000139) -> unknown
 * namespace, spec, image (4040114, 4040118, 4040129) -> image state
 * (4030140, 4030012) -> duplicates (4090138, 4090122, 4090132, 4090116) ->
 * balance (4030148) -> quotas (4030004, 4030002, 4030005, 4030003). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define ENV_KEY_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
#define MAX_CONTAINERS 10

static const struct {
    const char *name;
    int cpu;
    long memory_mb;
} specs[] = {
    {"micro", 1, 640},  {"small", 1, 1024},  {"medium", 2, 2048},         {"large", 2, 4096},
    {"deluxe", 4, 8192}, {"flagship", 8, 16384}, {"super flagship", 16, 65536},
};
#define N_SPECS ((long)(sizeof specs / sizeof specs[0]))

/* ---- namespaces ---- */

json_t *ref_ns_by_name(struct ref_account *a, const char *name)
{
    return ref_find_str(a->res[REF_K_NAMESPACES], "namespace", name, NULL);
}

static int ns_in_use(struct ref_account *a, long id)
{
    size_t i;
    json_t *o;

    if (ref_find_int(a->res[REF_K_SERVICES], "namespace_id", id, NULL))
        return 1;
    json_array_foreach(a->res[REF_K_LOADBALANCERS], i, o)
    {
        if (ref_int(o, "_namespace_id") == id)
            return 1;
    }
    return 0;
}

int ref_h_ns_create(struct ref_call *c)
{
    json_t *name = json_object_get(c->body, "name");
    json_t *arr = c->acct->res[REF_K_NAMESPACES];
    char full[128];
    long id;

    if (ref_absent(name))
        return ref_fail(c, 4000112);
    if (!json_is_string(name) || !ref_name_ok(json_string_value(name), 32) ||
        ref_find_str(arr, "display_name", json_string_value(name), NULL))
        return ref_fail(c, 4000113);
    id = ref_state_id(c->st);
    snprintf(full, sizeof full, "%s-%s", json_string_value(name), c->acct->cfg.name);
    json_array_append_new(arr, json_pack("{s:b, s:I, s:s, s:s}", "deletable", 1, "id",
                                         (json_int_t)id, "display_name",
                                         json_string_value(name), "namespace", full));
    /* The example answers "namespace_Id", the field table "namespace_id":
     * both are sent so that either reading works. */
    return ref_ok(c, 200,
                  json_pack("{s:I, s:I}", "namespace_id", (json_int_t)id, "namespace_Id",
                            (json_int_t)id));
}

int ref_h_ns_list(struct ref_call *c)
{
    json_t *list = json_array();
    size_t i;
    json_t *o;

    json_array_foreach(c->acct->res[REF_K_NAMESPACES], i, o)
    {
        json_t *v = ref_public(o);
        json_object_set_new(v, "deletable",
                            json_boolean(!ref_int(o, "_default") &&
                                         !ns_in_use(c->acct, ref_int(o, "id"))));
        json_array_append_new(list, v);
    }
    return ref_ok(c, 200, json_pack("{s:o}", "namespaces", list));
}

static json_t *ns_by_param(struct ref_call *c, size_t *at, long *code)
{
    return ref_find_by_path_id(c, REF_K_NAMESPACES, "id", 4000113, 4040114, at, code);
}

int ref_h_ns_delete(struct ref_call *c)
{
    long code = 0;
    size_t at;
    json_t *ns = ns_by_param(c, &at, &code);

    if (!ns)
        return ref_fail(c, code);
    if (ref_int(ns, "_default") || ns_in_use(c->acct, ref_int(ns, "id")))
        return ref_fail(c, 4030153);
    json_array_remove(c->acct->res[REF_K_NAMESPACES], at);
    return ref_ok(c, 200, NULL);
}

static json_t *svc_summary(const json_t *s)
{
    return json_pack("{s:I, s:s, s:I, s:s, s:I, s:O, s:I, s:I}", "id",
                     (json_int_t)ref_int(s, "id"), "status", ref_str(s, "status"), "replicas",
                     (json_int_t)ref_int(s, "replicas"), "service_name",
                     ref_str(s, "service_name"), "stateful", (json_int_t)ref_int(s, "stateful"),
                     "port_maps", json_object_get(s, "port_maps"), "spec_id",
                     (json_int_t)ref_int(s, "spec_id"), "stop_service",
                     (json_int_t)ref_int(s, "stop_service"));
}

int ref_h_ns_services(struct ref_call *c)
{
    const char *l = ref_req_query(c->req, "limit"), *o = ref_req_query(c->req, "offset");
    long limit = 20, offset = 0, code = 0, nsid, total = 0;
    json_t *ns, *list, *s;
    size_t i;

    if ((l && (!ref_parse_long(l, &limit) || limit <= 0)) ||
        (o && (!ref_parse_long(o, &offset) || offset < 0)))
        return ref_fail(c, 4000113);
    if (!ref_parse_long(c->p[0], &nsid))
        return ref_fail(c, 4000113);
    ns = ns_by_param(c, NULL, &code);
    if (!ns)
        return ref_fail(c, code);
    list = json_array();
    json_array_foreach(c->acct->res[REF_K_SERVICES], i, s)
    {
        if (ref_int(s, "namespace_id") != nsid)
            continue;
        if (total >= offset && (long)json_array_size(list) < limit)
            json_array_append_new(list, svc_summary(s));
        total++;
    }
    return ref_ok(c, 200,
                  json_pack("{s:I, s:o}", "total", (json_int_t)total, "microservice_infos", list));
}

/* ---- validation pieces shared by create and the update actions ---- */

static long check_envs(struct ref_call *c, const json_t *envs)
{
    size_t i;
    json_t *e;

    if (ref_absent(envs))
        return 0;
    if (!json_is_array(envs))
        return 4000113;
    if ((long)json_array_size(envs) > c->cfg->quotas[REF_Q_ENVS])
        return 4000123;
    json_array_foreach(envs, i, e)
    {
        json_t *k = json_object_get(e, "key"), *v = json_object_get(e, "value");
        if (!json_is_object(e) || !json_is_string(k) ||
            !ref_chars_ok(json_string_value(k), ENV_KEY_CHARS, 255) ||
            (json_string_value(k)[0] >= '0' && json_string_value(k)[0] <= '9'))
            return 4000124;
        if (!json_is_string(v) || json_string_length(v) > 4096 ||
            strchr(json_string_value(v), '\n'))
            return 4000125;
    }
    return 0;
}

static long check_log_dirs(struct ref_call *c, const json_t *dirs)
{
    size_t i;
    json_t *d;

    if (ref_absent(dirs))
        return 0;
    if (!json_is_array(dirs))
        return 4000113;
    if ((long)json_array_size(dirs) > c->cfg->quotas[REF_Q_LOG_DIRS])
        return 4000127;
    json_array_foreach(dirs, i, d)
    {
        if (!json_is_string(d) || json_string_value(d)[0] != '/')
            return 4000113;
        if ((long)json_string_length(d) > c->cfg->quotas[REF_Q_LOG_DIR_LENGTH])
            return 4000128;
    }
    return 0;
}

static int has_duplicate_string(const json_t *arr)
{
    for (size_t i = 0; i < json_array_size(arr); i++)
        for (size_t k = i + 1; k < json_array_size(arr); k++)
            if (json_equal(json_array_get(arr, i), json_array_get(arr, k)))
                return 1;
    return 0;
}

static int port_of(const json_t *pm, const char *key, const char *alias, long *out)
{
    json_t *v = json_object_get(pm, key);

    if (ref_absent(v))
        v = json_object_get(pm, alias);
    return ref_json_long(v, out) && *out >= 1 && *out <= 65535;
}

/* Validates port maps and returns them normalised in *out (new reference)
 * as [{protocol, source_port, dest_port}]. The example's src_port/dst_port
 * are accepted as well. */
static long check_port_maps(struct ref_call *c, const json_t *pm, json_t **out)
{
    size_t i;
    json_t *p;

    *out = json_array();
    if (ref_absent(pm))
        return 0;
    if (!json_is_array(pm))
        return 4000134;
    if ((long)json_array_size(pm) > c->cfg->quotas[REF_Q_PORT_MAPS])
        return 4000139;
    json_array_foreach(pm, i, p)
    {
        const char *proto = ref_str(p, "protocol");
        long src, dst;
        json_t *norm;
        if (!json_is_object(p) || !port_of(p, "dest_port", "dst_port", &dst) ||
            !port_of(p, "source_port", "src_port", &src) ||
            (strcasecmp(proto, "TCP") != 0 && strcasecmp(proto, "UDP") != 0))
            return 4000134;
        norm = json_pack("{s:s, s:I, s:I}", "protocol",
                         strcasecmp(proto, "TCP") == 0 ? "TCP" : "UDP", "source_port",
                         (json_int_t)src, "dest_port", (json_int_t)dst);
        for (size_t k = 0; k < json_array_size(*out); k++) {
            json_t *o = json_array_get(*out, k);
            if (ref_int(o, "dest_port") == dst &&
                strcmp(ref_str(o, "protocol"), ref_str(norm, "protocol")) == 0) {
                json_decref(norm);
                return 4000134;
            }
        }
        json_array_append_new(*out, norm);
    }
    return 0;
}

/* state_public_net: {used} or {used:true, type:flow|bandwidth, bandwidth}.
 * *out (new reference) gets the normalised object. */
static long check_public_net(const json_t *pn, int stateful, json_t **out)
{
    json_t *used, *bw;
    const char *type;
    long b;

    *out = NULL;
    if (ref_absent(pn)) {
        *out = json_pack("{s:b}", "used", 0);
        return 0;
    }
    used = json_object_get(pn, "used");
    if (!json_is_object(pn) || !json_is_boolean(used))
        return 4000135;
    if (!json_is_true(used)) {
        *out = json_pack("{s:b}", "used", 0);
        return 0;
    }
    type = ref_str(pn, "type");
    bw = json_object_get(pn, "bandwidth");
    if (!stateful || (strcmp(type, "flow") != 0 && strcmp(type, "bandwidth") != 0) ||
        !ref_json_long(bw, &b) || b < 1 || b > 100)
        return 4000135;
    *out = json_pack("{s:b, s:s, s:I}", "used", 1, "type", type, "bandwidth", (json_int_t)b);
    return 0;
}

/* Weights of the given containers: each 1..100, all summing to 100. */
static long check_weights(const json_t *conts, const char *key, long code)
{
    long sum = 0, w;
    size_t i;
    json_t *ci;

    json_array_foreach(conts, i, ci)
    {
        if (!ref_json_long(json_object_get(ci, key), &w) || w < 1 || w > 100)
            return code;
        sum += w;
    }
    return sum == 100 ? 0 : code;
}

static int mount_path_ok(const json_t *v)
{
    return json_is_string(v) && json_string_value(v)[0] == '/' && json_string_length(v) < 1024;
}

/* ---- microservices ---- */

static json_t *svc_by_param(struct ref_call *c, size_t *at, long *code)
{
    return ref_find_by_path_id(c, REF_K_SERVICES, "id", 4000113, 4040141, at, code);
}

/* 1 while the service is being created, updated or restarted. */
static int svc_busy(const json_t *s)
{
    return json_object_get(s, "_ready_at") != NULL;
}

static void svc_docker_ids(json_t *s)
{
    long replicas = ref_int(s, "replicas");
    size_t i;
    json_t *ci;

    json_array_foreach(json_object_get(s, "_containers"), i, ci)
    {
        json_t *ids = json_array();
        for (long r = 0; r < replicas; r++) {
            char hex[65];
            ref_random_hex(hex, 64);
            json_array_append_new(ids, json_string(hex));
        }
        json_object_set_new(ci, "docker_container_ids", ids);
    }
}

/* Starts an asynchronous operation: status `during` now, `after` later. */
static void svc_begin(struct ref_call *c, json_t *s, const char *during, const char *after)
{
    json_object_set_new(s, "status", json_string(during));
    ref_schedule(s, c->now, c->cfg->async_ms, json_string(after));
}

/* Splits "hub.c.163.com/owner/repo:tag" into repo_name and tag. */
static void image_parts(const char *path, char *repo, size_t rsize, char *tag, size_t tsize)
{
    const char *slash = strchr(path, '/');
    const char *colon = strrchr(path, ':');

    repo[0] = tag[0] = '\0';
    if (slash && colon && colon > slash) {
        snprintf(repo, rsize, "%.*s", (int)(colon - slash - 1), slash + 1);
        snprintf(tag, tsize, "%s", colon + 1);
    }
}

/* Validates one element of service_container_infos. */
static long check_container(struct ref_call *c, const json_t *ci, int stateful, int disk_type)
{
    json_t *v, *vol;
    const char *k;
    long code;

    if (!json_is_string(json_object_get(ci, "image_path")))
        return 4000113;
    v = json_object_get(ci, "container_name");
    if (!json_is_string(v) || !ref_name_ok(json_string_value(v), 32))
        return 4000121;
    v = json_object_get(ci, "desc");
    if (!ref_absent(v) && (!json_is_string(v) ||
                           (long)json_string_length(v) > c->cfg->quotas[REF_Q_DESCRIPTION_LENGTH]))
        return 4000120;
    v = json_object_get(ci, "command");
    if (!ref_absent(v) &&
        (!json_is_string(v) || (long)json_string_length(v) > c->cfg->quotas[REF_Q_COMMAND_LENGTH]))
        return 4000126;
    code = check_envs(c, json_object_get(ci, "envs"));
    if (!code)
        code = check_log_dirs(c, json_object_get(ci, "log_dirs"));
    if (code)
        return code;
    v = json_object_get(ci, "ssh_keys");
    if (!ref_absent(v)) {
        size_t i;
        json_t *key;
        if (!json_is_array(v))
            return 4000136;
        json_array_foreach(v, i, key)
        {
            if (!json_is_string(key) || !ref_find_str(c->acct->res[REF_K_SECRET_KEYS], "name",
                                                      json_string_value(key), NULL))
                return 4000136;
        }
    }
    vol = json_object_get(ci, "volume_info");
    if (!json_is_object(vol))
        return 4000133;
    if (json_object_size(vol) > 0 && (!stateful || (disk_type != 0 && disk_type != 3)))
        return 4000133;
    json_object_foreach(vol, k, v)
    {
        long id;
        if (!ref_parse_long(k, &id) || !mount_path_ok(v) ||
            !ref_find_int(c->acct->res[REF_K_VOLUMES], "id", id, NULL))
            return 4000133;
    }
    v = json_object_get(ci, "local_disk_info");
    if (!ref_absent(v) && !json_is_array(v))
        return 4000113;
    return 0;
}

static json_t *container_record(struct ref_call *c, const json_t *ci)
{
    char repo[512], tag[256];
    const char *path = ref_str(ci, "image_path");
    json_t *o;

    image_parts(path, repo, sizeof repo, tag, sizeof tag);
    o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "container_id",
                  (json_int_t)ref_state_id(c->st), "container_name",
                  ref_str(ci, "container_name"), "image_path", path, "repo_name", repo,
                  "image_tag", tag, "command", ref_str(ci, "command"), "cpu_weight",
                  (json_int_t)0, "memory_weight", (json_int_t)0);
    for (const char *const *k = (const char *const[]){"envs", "log_dirs", "ssh_keys",
                                                       "volume_info", "local_disk_info", NULL};
         *k; k++) {
        json_t *v = json_object_get(ci, *k);
        json_object_set_new(o, *k,
                            ref_absent(v)
                                ? (strcmp(*k, "volume_info") == 0 ? json_object() : json_array())
                                : json_deep_copy(v));
    }
    {
        long w = 0;
        ref_json_long(json_object_get(ci, "cpu_weight"), &w);
        json_object_set_new(o, "cpu_weight", json_integer(w));
        ref_json_long(json_object_get(ci, "memory_weight"), &w);
        json_object_set_new(o, "memory_weight", json_integer(w));
    }
    return o;
}

/* Mounts (or unmounts, when s is NULL) the volumes named by a service's
 * containers. */
static void mount_volumes(struct ref_account *a, const json_t *svc_conts, const json_t *s,
                          const char *ns_name)
{
    size_t i;
    json_t *ci;

    json_array_foreach(svc_conts, i, ci)
    {
        const char *k;
        json_t *path;
        json_object_foreach(json_object_get(ci, "volume_info"), k, path)
        {
            long id = 0;
            json_t *vol;
            ref_parse_long(k, &id);
            vol = ref_find_int(a->res[REF_K_VOLUMES], "id", id, NULL);
            if (!vol)
                continue;
            if (s) {
                char label[300];
                snprintf(label, sizeof label, "%s/%s", ns_name, ref_str(s, "service_name"));
                json_object_set_new(vol, "status", json_string("mount_succ"));
                json_object_set_new(vol, "service_name", json_string(label));
                json_object_set_new(vol, "volume_mappings",
                                    json_pack("[{s:O, s:I}]", "mount_path", path,
                                              "service_container_id",
                                              (json_int_t)ref_int(ci, "container_id")));
            } else {
                json_object_set_new(vol, "status", json_string("create_succ"));
                json_object_set_new(vol, "service_name", json_string(""));
                json_object_set_new(vol, "volume_mappings", json_array());
            }
            json_object_del(vol, "_next");
            json_object_del(vol, "_ready_at");
        }
    }
}

int ref_h_svc_create(struct ref_call *c)
{
    json_t *b = c->body, *si = json_object_get(b, "service_info");
    json_t *conts = json_object_get(b, "service_container_infos");
    json_t *ports = NULL, *pubnet = NULL, *ns, *s = NULL, *records = NULL, *ip = NULL;
    long nsid, stateful, replicas, spec, disk, code = 0, image_state = 0;
    const char *name;
    char ip_id[64] = "";
    size_t i;
    json_t *ci;
    static const char *const required[] = {"namespace_id", "stateful", "replicas",
                                           "service_name", "spec_id",  "disk_type"};
    static const char *const required_c[] = {"image_path", "container_name", "cpu_weight",
                                             "memory_weight", "volume_info"};

    /* missing */
    if (ref_absent(json_object_get(b, "bill_info")) || ref_absent(si) || ref_absent(conts))
        return ref_fail(c, 4000112);
    if (!json_is_object(si) || !json_is_array(conts))
        return ref_fail(c, 4000113);
    if (json_array_size(conts) == 0)
        return ref_fail(c, 4000112);
    for (i = 0; i < sizeof required / sizeof required[0]; i++)
        if (ref_absent(json_object_get(si, required[i])))
            return ref_fail(c, 4000112);
    json_array_foreach(conts, i, ci)
    {
        if (!json_is_object(ci))
            return ref_fail(c, 4000113);
        for (size_t k = 0; k < sizeof required_c / sizeof required_c[0]; k++)
            if (ref_absent(json_object_get(ci, required_c[k])))
                return ref_fail(c, 4000112);
    }

    /* invalid */
    if (!json_is_string(json_object_get(b, "bill_info")) ||
        !ref_json_long(json_object_get(si, "namespace_id"), &nsid) ||
        !ref_json_long(json_object_get(si, "stateful"), &stateful) ||
        (stateful != 0 && stateful != 1) || json_array_size(conts) > MAX_CONTAINERS)
        return ref_fail(c, 4000113);
    name = ref_str(si, "service_name");
    if (!ref_name_ok(name, 32))
        return ref_fail(c, 4000115);
    if (!ref_json_long(json_object_get(si, "replicas"), &replicas) || replicas < 1 ||
        replicas > 1000 || (stateful && replicas != 1))
        return ref_fail(c, 4000117);
    if (!ref_json_long(json_object_get(si, "spec_id"), &spec) || spec < 1)
        return ref_fail(c, 4000119);
    if (!ref_json_long(json_object_get(si, "disk_type"), &disk) || disk < 0 || disk > 3)
        return ref_fail(c, 4000137);
    code = check_port_maps(c, json_object_get(si, "port_maps"), &ports);
    if (!code)
        code = check_public_net(json_object_get(si, "state_public_net"), (int)stateful, &pubnet);
    if (!code && !ref_absent(json_object_get(si, "ip_id"))) {
        if (!json_is_string(json_object_get(si, "ip_id")) || !json_is_true(json_object_get(pubnet, "used")))
            code = 4000135;
        else
            snprintf(ip_id, sizeof ip_id, "%s", ref_str(si, "ip_id"));
    }
    json_array_foreach(conts, i, ci)
    {
        if (!code)
            code = check_container(c, ci, (int)stateful, (int)disk);
    }
    if (!code)
        code = check_weights(conts, "cpu_weight", 4000130);
    if (!code)
        code = check_weights(conts, "memory_weight", 4000131);
    if (code)
        goto fail;

    /* not found */
    ns = ref_find_int(c->acct->res[REF_K_NAMESPACES], "id", nsid, NULL);
    if (!ns) {
        code = 4040114;
        goto fail;
    }
    if (spec > N_SPECS) {
        code = 4040118;
        goto fail;
    }
    json_array_foreach(conts, i, ci)
    {
        char key[600];
        long r = ref_image_resolve(c->st, c->acct, ref_str(ci, "image_path"), key, sizeof key);
        if (r == 4040129) {
            code = r;
            goto fail;
        }
        if (r && !image_state)
            image_state = r;
    }
    if (ip_id[0]) {
        ip = ref_find_str(c->acct->res[REF_K_IPS], "id", ip_id, NULL);
        if (!ip || strcmp(ref_str(ip, "type"), "nce") != 0 ||
            strcmp(ref_str(ip, "status"), "available") != 0) {
            code = 4000135;
            goto fail;
        }
    }

    /* state */
    if (image_state) {
        code = image_state;
        goto fail;
    }
    /* duplicates */
    json_array_foreach(conts, i, ci)
    {
        if (has_duplicate_string(json_object_get(ci, "log_dirs"))) {
            code = 4090138;
            goto fail;
        }
    }
    for (i = 0; i < json_array_size(conts); i++)
        for (size_t k = i + 1; k < json_array_size(conts); k++) {
            json_t *a = json_array_get(conts, i), *o = json_array_get(conts, k);
            const char *key;
            json_t *v;
            if (strcmp(ref_str(a, "container_name"), ref_str(o, "container_name")) == 0) {
                code = 4090122;
                goto fail;
            }
            json_object_foreach(json_object_get(a, "volume_info"), key, v)
            {
                if (json_object_get(json_object_get(o, "volume_info"), key)) {
                    code = 4090132;
                    goto fail;
                }
            }
        }
    json_array_foreach(conts, i, ci)
    {
        const char *key;
        json_t *v;
        json_object_foreach(json_object_get(ci, "volume_info"), key, v)
        {
            long id = 0;
            ref_parse_long(key, &id);
            if (strcmp(ref_str(ref_find_int(c->acct->res[REF_K_VOLUMES], "id", id, NULL),
                               "status"),
                       "mount_succ") == 0) {
                code = 4030258;
                goto fail;
            }
        }
    }
    json_array_foreach(c->acct->res[REF_K_SERVICES], i, ci)
    {
        if (ref_int(ci, "namespace_id") == nsid &&
            strcmp(ref_str(ci, "service_name"), name) == 0) {
            code = 4090116;
            goto fail;
        }
    }
    /* balance and quotas */
    if (c->acct->cfg.balance <= 0) {
        code = 4030148;
        goto fail;
    }
    if (ref_count_services(c->acct) + 1 > c->cfg->quotas[REF_Q_SERVICES]) {
        code = 4030004;
        goto fail;
    }
    if (ref_count_containers(c->acct) + replicas * (long)json_array_size(conts) >
        c->cfg->quotas[REF_Q_CONTAINERS]) {
        code = 4030002;
        goto fail;
    }
    if (ref_count_replicas(c->acct) + replicas > c->cfg->quotas[REF_Q_REPLICAS]) {
        code = 4030005;
        goto fail;
    }
    if (json_is_true(json_object_get(pubnet, "used")) && !ip &&
        ref_ip_count(c->acct, "nce") >= c->cfg->quotas[REF_Q_IPS_NCE]) {
        code = 4030003;
        goto fail;
    }

    records = json_array();
    json_array_foreach(conts, i, ci) json_array_append_new(records, container_record(c, ci));
    s = json_pack("{s:I, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:O, s:O, s:s, s:I, s:s, s:o}", "id",
                  (json_int_t)ref_state_id(c->st), "namespace_id", (json_int_t)nsid, "namespace",
                  ref_str(ns, "namespace"), "service_name", name, "stateful",
                  (json_int_t)stateful, "replicas", (json_int_t)replicas, "spec_id",
                  (json_int_t)spec, "disk_type", (json_int_t)disk, "port_maps", ports,
                  "state_public_net", pubnet, "status", "creating", "stop_service",
                  (json_int_t)0, "pub_ip", "", "_containers", records);
    if (json_is_true(json_object_get(pubnet, "used"))) {
        if (!ip)
            ip = ref_ip_new(c->st, c->acct, "nce");
        json_object_set_new(ip, "status", json_string("binded"));
        json_object_set_new(ip, "service_id", json_integer(ref_int(s, "id")));
        json_object_set_new(ip, "service_name", json_string(name));
        json_object_set_new(s, "pub_ip", json_string(ref_str(ip, "ip")));
        json_object_set_new(s, "_ip_id", json_string(ref_str(ip, "id")));
    }
    svc_docker_ids(s);
    mount_volumes(c->acct, records, s, ref_str(ns, "namespace"));
    svc_begin(c, s, "creating", "create_succ");
    json_array_append_new(c->acct->res[REF_K_SERVICES], s);
    json_decref(ports);
    json_decref(pubnet);
    return ref_ok(c, 200, json_pack("{s:I}", "service_id", (json_int_t)ref_int(s, "id")));
fail:
    json_decref(ports);
    json_decref(pubnet);
    return ref_fail(c, code);
}

static json_t *camel_ports(const json_t *ports)
{
    json_t *out = json_array();
    size_t i;
    json_t *p;

    json_array_foreach(ports, i, p)
        json_array_append_new(out, json_pack("{s:s, s:I, s:I}", "protocol",
                                             ref_str(p, "protocol"), "sourcePort",
                                             (json_int_t)ref_int(p, "source_port"), "destPort",
                                             (json_int_t)ref_int(p, "dest_port")));
    return out;
}

static json_t *string_of(json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    json_t *s = json_string(text ? text : "");

    free(text);
    json_decref(v);
    return s;
}

int ref_h_svc_get(struct ref_call *c)
{
    long code = 0, spec;
    json_t *s = svc_by_param(c, NULL, &code), *info, *conts;
    size_t i;
    json_t *ci;

    if (!s)
        return ref_fail(c, code);
    spec = ref_int(s, "spec_id");
    info = json_pack(
        "{s:I, s:s, s:I, s:s, s:s, s:o, s:o, s:I, s:o, s:I, s:s, s:I}", "id",
        (json_int_t)ref_int(s, "id"), "namespace", ref_str(s, "namespace"), "replicas",
        (json_int_t)ref_int(s, "replicas"), "status", ref_str(s, "status"), "service_name",
        ref_str(s, "service_name"), "spec_info",
        string_of(json_pack("{s:I, s:s, s:i, s:I, s:i, s:I}", "specId", (json_int_t)spec,
                            "name", specs[spec - 1].name, "cpu", specs[spec - 1].cpu,
                            "memory", (json_int_t)(specs[spec - 1].memory_mb * 1024 * 1024),
                            "disk", 20, "diskType", (json_int_t)ref_int(s, "disk_type"))),
        "port_maps", string_of(camel_ports(json_object_get(s, "port_maps"))), "stateful",
        (json_int_t)ref_int(s, "stateful"), "state_public_net",
        string_of(json_deep_copy(json_object_get(s, "state_public_net"))), "extends_disk_size",
        (json_int_t)0, "pub_ip", ref_str(s, "pub_ip"), "stop_service",
        (json_int_t)ref_int(s, "stop_service"));
    conts = json_array();
    json_array_foreach(json_object_get(s, "_containers"), i, ci)
    {
        json_t *v = json_deep_copy(ci), *vols = json_array();
        const char *k;
        json_t *path;
        json_object_foreach(json_object_get(ci, "volume_info"), k, path)
            json_array_append_new(vols, json_pack("{s:s, s:O}", "name", k, "mount_path", path));
        json_object_set_new(v, "volumes", vols);
        json_array_append_new(conts, v);
    }
    return ref_ok(c, 200,
                  json_pack("{s:o, s:o}", "service_info", info, "service_container_infos", conts));
}

int ref_h_svc_delete(struct ref_call *c)
{
    const char *f = ref_req_query(c->req, "free_ip");
    long code = 0;
    size_t at;
    json_t *s, *ip;

    if (!f)
        return ref_fail(c, 4000112);
    if (strcmp(f, "true") != 0 && strcmp(f, "false") != 0)
        return ref_fail(c, 4000113);
    s = svc_by_param(c, &at, &code);
    if (!s)
        return ref_fail(c, code);
    ip = ref_find_str(c->acct->res[REF_K_IPS], "id", ref_str(s, "_ip_id"), NULL);
    if (ip) {
        size_t ipat = 0;
        if (strcmp(f, "true") == 0 &&
            ref_find_str(c->acct->res[REF_K_IPS], "id", ref_str(s, "_ip_id"), &ipat)) {
            json_array_remove(c->acct->res[REF_K_IPS], ipat);
        } else {
            json_object_set_new(ip, "status", json_string("available"));
            json_object_set_new(ip, "service_id", json_integer(0));
            json_object_set_new(ip, "service_name", json_string(""));
        }
    }
    mount_volumes(c->acct, json_object_get(s, "_containers"), NULL, NULL);
    json_array_remove(c->acct->res[REF_K_SERVICES], at);
    return ref_ok(c, 200, NULL);
}

int ref_h_svc_update_stateful(struct ref_call *c)
{
    json_t *pn = json_object_get(c->body, "state_public_net"), *norm = NULL, *s, *cur;
    long code = 0;

    if (ref_absent(pn))
        return ref_fail(c, 4000112);
    code = check_public_net(pn, 1, &norm);
    if (code)
        return ref_fail(c, code);
    s = svc_by_param(c, NULL, &code);
    if (!s)
        goto fail;
    cur = json_object_get(s, "state_public_net");
    if (!ref_int(s, "stateful"))
        code = 4030144;
    else if (json_is_true(json_object_get(cur, "used")) !=
             json_is_true(json_object_get(norm, "used")))
        code = 4000135; /* the public network cannot be switched on or off here */
    else if (svc_busy(s))
        code = 4030144;
    else if (json_equal(cur, norm))
        code = 4030143;
    if (code)
        goto fail;
    json_object_set(s, "state_public_net", norm);
    json_decref(norm);
    svc_begin(c, s, "updating", "update_succ");
    return ref_ok(c, 200, NULL);
fail:
    json_decref(norm);
    return ref_fail(c, code);
}

/* The container of service s with this id, or NULL. */
static json_t *svc_container(const json_t *s, long id)
{
    return ref_find_int(json_object_get(s, "_containers"), "container_id", id, NULL);
}

int ref_h_svc_update_stateless(struct ref_call *c)
{
    json_t *infos = json_object_get(c->body, "container_infos"), *s;
    long code = 0, id;
    size_t i;
    json_t *ci;

    if (ref_absent(infos))
        return ref_fail(c, 4000112);
    if (!json_is_array(infos) || json_array_size(infos) == 0)
        return ref_fail(c, 4000113);
    json_array_foreach(infos, i, ci)
    {
        if (!json_is_object(ci))
            return ref_fail(c, 4000113);
        if (ref_absent(json_object_get(ci, "container_id")) ||
            ref_absent(json_object_get(ci, "cpu_weight")) ||
            ref_absent(json_object_get(ci, "memory_weight")))
            return ref_fail(c, 4000112);
    }
    json_array_foreach(infos, i, ci)
    {
        if (!ref_json_long(json_object_get(ci, "container_id"), &id))
            return ref_fail(c, 4000113);
        code = check_envs(c, json_object_get(ci, "envs"));
        if (!code)
            code = check_log_dirs(c, json_object_get(ci, "log_dirs"));
        if (code)
            return ref_fail(c, code);
    }
    code = check_weights(infos, "cpu_weight", 4000130);
    if (!code)
        code = check_weights(infos, "memory_weight", 4000131);
    if (code)
        return ref_fail(c, code);
    s = svc_by_param(c, NULL, &code);
    if (!s)
        return ref_fail(c, code);
    if (ref_int(s, "stateful"))
        return ref_fail(c, 4030142);
    json_array_foreach(infos, i, ci)
    {
        ref_json_long(json_object_get(ci, "container_id"), &id);
        if (!svc_container(s, id))
            return ref_fail(c, 4000149);
    }
    if (svc_busy(s))
        return ref_fail(c, 4030144);
    json_array_foreach(infos, i, ci)
    {
        if (has_duplicate_string(json_object_get(ci, "log_dirs")))
            return ref_fail(c, 4090138);
    }
    json_array_foreach(infos, i, ci)
    {
        json_t *rec;
        ref_json_long(json_object_get(ci, "container_id"), &id);
        rec = svc_container(s, id);
        for (const char *const *k = (const char *const[]){"envs", "log_dirs", NULL}; *k; k++)
            if (!ref_absent(json_object_get(ci, *k)))
                json_object_set_new(rec, *k, json_deep_copy(json_object_get(ci, *k)));
        ref_json_long(json_object_get(ci, "cpu_weight"), &id);
        json_object_set_new(rec, "cpu_weight", json_integer(id));
        ref_json_long(json_object_get(ci, "memory_weight"), &id);
        json_object_set_new(rec, "memory_weight", json_integer(id));
    }
    svc_begin(c, s, "updating", "update_succ");
    return ref_ok(c, 200, NULL);
}

int ref_h_svc_update_port(struct ref_call *c)
{
    json_t *ports = NULL, *s;
    long code = check_port_maps(c, json_object_get(c->body, "port_maps"), &ports);

    if (code)
        goto fail;
    s = svc_by_param(c, NULL, &code);
    if (!s)
        goto fail;
    if (svc_busy(s))
        code = 4030144;
    else if (json_equal(ports, json_object_get(s, "port_maps")))
        code = 4030143;
    if (code)
        goto fail;
    json_object_set_new(s, "port_maps", ports);
    svc_begin(c, s, "updating", "update_succ");
    return ref_ok(c, 200, NULL);
fail:
    json_decref(ports);
    return ref_fail(c, code);
}

int ref_h_svc_scale(struct ref_call *c)
{
    const char *q = ref_req_query(c->req, "new_replicas");
    long n, code = 0, cur, ncont;
    json_t *s;

    if (!q)
        return ref_fail(c, 4000112);
    if (!ref_parse_long(q, &n) || n < 1 || n > 5)
        return ref_fail(c, 4000117);
    s = svc_by_param(c, NULL, &code);
    if (!s)
        return ref_fail(c, code);
    if (ref_int(s, "stateful"))
        return ref_fail(c, 4030142);
    if (svc_busy(s))
        return ref_fail(c, 4030153);
    cur = ref_int(s, "replicas");
    if (n == cur)
        return ref_fail(c, 4030143);
    ncont = (long)json_array_size(json_object_get(s, "_containers"));
    if (ref_count_containers(c->acct) + (n - cur) * ncont > c->cfg->quotas[REF_Q_CONTAINERS])
        return ref_fail(c, 4030002);
    if (ref_count_replicas(c->acct) - cur + n > c->cfg->quotas[REF_Q_REPLICAS])
        return ref_fail(c, 4030005);
    json_object_set_new(s, "replicas", json_integer(n));
    svc_docker_ids(s);
    svc_begin(c, s, "updating", "update_succ");
    return ref_ok(c, 200, NULL);
}

int ref_h_svc_update_image(struct ref_call *c)
{
    json_t *imgs = json_object_get(c->body, "container_images");
    json_t *mrs = json_object_get(c->body, "min_ready_seconds"), *s;
    long code = 0, id, secs;
    size_t i;
    json_t *ci;

    if (ref_absent(imgs) || ref_absent(mrs))
        return ref_fail(c, 4000112);
    if (!json_is_array(imgs) || json_array_size(imgs) == 0)
        return ref_fail(c, 4000113);
    json_array_foreach(imgs, i, ci)
    {
        if (!json_is_object(ci))
            return ref_fail(c, 4000113);
        if (ref_absent(json_object_get(ci, "container_id")) ||
            ref_absent(json_object_get(ci, "image_path")))
            return ref_fail(c, 4000112);
        if (!ref_json_long(json_object_get(ci, "container_id"), &id) ||
            !json_is_string(json_object_get(ci, "image_path")))
            return ref_fail(c, 4000113);
    }
    if (!ref_json_long(mrs, &secs) || secs < 1 || secs > 600)
        return ref_fail(c, 4000150);
    s = svc_by_param(c, NULL, &code);
    if (!s)
        return ref_fail(c, code);
    if (ref_int(s, "stateful"))
        return ref_fail(c, 4030142);
    json_array_foreach(imgs, i, ci)
    {
        ref_json_long(json_object_get(ci, "container_id"), &id);
        if (!svc_container(s, id))
            return ref_fail(c, 4000149);
    }
    json_array_foreach(imgs, i, ci)
    {
        char key[600], old_key[600];
        long r = ref_image_resolve(c->st, c->acct, ref_str(ci, "image_path"), key, sizeof key);
        json_t *rec;
        if (r == 4040129)
            return ref_fail(c, r);
        ref_json_long(json_object_get(ci, "container_id"), &id);
        rec = svc_container(s, id);
        ref_image_resolve(c->st, c->acct, ref_str(rec, "image_path"), old_key, sizeof old_key);
        if (strcmp(key, old_key) != 0)
            return ref_fail(c, 4030151);
        if (r)
            return ref_fail(c, r);
    }
    if (svc_busy(s))
        return ref_fail(c, 4030144);
    json_array_foreach(imgs, i, ci)
    {
        char repo[512], tag[256];
        json_t *rec;
        ref_json_long(json_object_get(ci, "container_id"), &id);
        rec = svc_container(s, id);
        image_parts(ref_str(ci, "image_path"), repo, sizeof repo, tag, sizeof tag);
        json_object_set(rec, "image_path", json_object_get(ci, "image_path"));
        json_object_set_new(rec, "image_tag", json_string(tag));
    }
    svc_begin(c, s, "updating", "update_succ");
    return ref_ok(c, 200, NULL);
}

int ref_h_svc_spec(struct ref_call *c)
{
    const char *q = ref_req_query(c->req, "spec_id");
    long spec, code = 0;
    json_t *s;

    if (!q)
        return ref_fail(c, 4000112);
    if (!ref_parse_long(q, &spec) || spec < 1)
        return ref_fail(c, 4000119);
    s = svc_by_param(c, NULL, &code);
    if (!s)
        return ref_fail(c, code);
    if (spec > N_SPECS)
        return ref_fail(c, 4040118);
    if (ref_int(s, "stateful"))
        return ref_fail(c, 4030142);
    if (svc_busy(s))
        return ref_fail(c, 4030153);
    if (spec == ref_int(s, "spec_id"))
        return ref_fail(c, 4030143);
    json_object_set_new(s, "spec_id", json_integer(spec));
    svc_begin(c, s, "updating", "update_succ");
    return ref_ok(c, 200, NULL);
}

int ref_h_svc_restart(struct ref_call *c)
{
    const char *q = ref_req_query(c->req, "option");
    long code = 0;
    json_t *s;

    if (!q)
        return ref_fail(c, 4000112);
    if (strcmp(q, "restart") != 0 && strcmp(q, "hard_reboot") != 0)
        return ref_fail(c, 4000113);
    s = svc_by_param(c, NULL, &code);
    if (!s)
        return ref_fail(c, code);
    if (!ref_int(s, "stateful"))
        return ref_fail(c, 4030152);
    if (svc_busy(s))
        return ref_fail(c, 4030153);
    svc_begin(c, s, "restarting", "restart_succ");
    return ref_ok(c, 200, NULL);
}

int ref_h_svc_container_restart(struct ref_call *c)
{
    long code = 0;
    json_t *s;
    size_t i;
    json_t *ci;
    int found = 0;

    if (strlen(c->p[1]) != 64 || !ref_chars_ok(c->p[1], "0123456789abcdef", 64))
        return ref_fail(c, 4000113);
    s = svc_by_param(c, NULL, &code);
    if (!s)
        return ref_fail(c, code);
    if (!ref_int(s, "stateful"))
        return ref_fail(c, 4030152);
    json_array_foreach(json_object_get(s, "_containers"), i, ci)
    {
        json_t *ids = json_object_get(ci, "docker_container_ids");
        for (size_t k = 0; k < json_array_size(ids); k++)
            if (strcmp(json_string_value(json_array_get(ids, k)), c->p[1]) == 0)
                found = 1;
    }
    if (!found)
        return ref_fail(c, 4000149);
    if (svc_busy(s))
        return ref_fail(c, 4030153);
    svc_begin(c, s, "restarting", "restart_succ");
    return ref_ok(c, 200, NULL);
}
