/* reference/h_micro_shared.c -- service 01: what microservice creation
 * (h_micro_create.c) and the actions on an existing service (h_micro_svc.c)
 * share, declared in h_micro.h: the specification table, the validation of
 * environment variables, log directories, port maps, the public network and
 * weights, and the bookkeeping of a service record (docker container ids,
 * asynchronous status, image parts, volume mounts). It calls no handler. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "h_micro.h"

#define ENV_KEY_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"

const struct ref_svc_spec ref_svc_specs[] = {
    {"micro", 1, 640},   {"small", 1, 1024},     {"medium", 2, 2048},           {"large", 2, 4096},
    {"deluxe", 4, 8192}, {"flagship", 8, 16384}, {"super flagship", 16, 65536},
};
const long ref_svc_n_specs = (long)(sizeof ref_svc_specs / sizeof ref_svc_specs[0]);

/* ---- validation pieces shared by create and the update actions ---- */

long ref_svc_check_envs(struct ref_call *c, const json_t *envs)
{
    size_t i;
    json_t *e;

    if (ref_absent(envs))
        return 0;
    if (!json_is_array(envs))
        return 4000113;
    if ((long)json_array_size(envs) > c->cfg->quotas[REF_Q_ENVS])
        return 4000123;
    json_array_foreach (envs, i, e) {
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

long ref_svc_check_log_dirs(struct ref_call *c, const json_t *dirs)
{
    size_t i;
    json_t *d;

    if (ref_absent(dirs))
        return 0;
    if (!json_is_array(dirs))
        return 4000113;
    if ((long)json_array_size(dirs) > c->cfg->quotas[REF_Q_LOG_DIRS])
        return 4000127;
    json_array_foreach (dirs, i, d) {
        if (!json_is_string(d) || json_string_value(d)[0] != '/')
            return 4000113;
        if ((long)json_string_length(d) > c->cfg->quotas[REF_Q_LOG_DIR_LENGTH])
            return 4000128;
    }
    return 0;
}

int ref_svc_has_duplicate_string(const json_t *arr)
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
long ref_svc_check_port_maps(struct ref_call *c, const json_t *pm, json_t **out)
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
    json_array_foreach (pm, i, p) {
        const char *proto = ref_str(p, "protocol");
        long src, dst;
        json_t *norm;
        if (!json_is_object(p) || !port_of(p, "dest_port", "dst_port", &dst) ||
            !port_of(p, "source_port", "src_port", &src) ||
            (strcasecmp(proto, "TCP") != 0 && strcasecmp(proto, "UDP") != 0))
            return 4000134;
        norm =
            json_pack("{s:s, s:I, s:I}", "protocol", strcasecmp(proto, "TCP") == 0 ? "TCP" : "UDP",
                      "source_port", (json_int_t)src, "dest_port", (json_int_t)dst);
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
long ref_svc_check_public_net(const json_t *pn, int stateful, json_t **out)
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
long ref_svc_check_weights(const json_t *conts, const char *key, long code)
{
    long sum = 0, w;
    size_t i;
    json_t *ci;

    json_array_foreach (conts, i, ci) {
        if (!ref_json_long(json_object_get(ci, key), &w) || w < 1 || w > 100)
            return code;
        sum += w;
    }
    return sum == 100 ? 0 : code;
}

/* ---- the service record ---- */

void ref_svc_docker_ids(json_t *s)
{
    long replicas = ref_int(s, "replicas");
    size_t i;
    json_t *ci;

    json_array_foreach (json_object_get(s, "_containers"), i, ci) {
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
void ref_svc_begin(struct ref_call *c, json_t *s, const char *during, const char *after)
{
    json_object_set_new(s, "status", json_string(during));
    ref_schedule(s, c->now, c->cfg->async_ms, json_string(after));
}

/* Splits "hub.c.163.com/owner/repo:tag" into repo_name and tag. */
void ref_svc_image_parts(const char *path, char *repo, size_t rsize, char *tag, size_t tsize)
{
    const char *slash = strchr(path, '/');
    const char *colon = strrchr(path, ':');

    repo[0] = tag[0] = '\0';
    if (slash && colon && colon > slash) {
        snprintf(repo, rsize, "%.*s", (int)(colon - slash - 1), slash + 1);
        snprintf(tag, tsize, "%s", colon + 1);
    }
}

/* Mounts (or unmounts, when s is NULL) the volumes named by a service's
 * containers. */
void ref_svc_mount_volumes(struct ref_account *a, const json_t *svc_conts, const json_t *s,
                           const char *ns_name)
{
    size_t i;
    json_t *ci;

    json_array_foreach (svc_conts, i, ci) {
        const char *k;
        json_t *path;
        json_object_foreach (json_object_get(ci, "volume_info"), k, path) {
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
