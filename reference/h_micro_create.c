/* reference/h_micro_create.c -- service 01: creating a microservice.
 *
 * Creation checks run in the documented precedence: missing members
 * (4000112) -> invalid values (field-specific 4000113..4000139) -> unknown
 * namespace, spec, image (4040114, 4040118, 4040129) -> image state
 * (4030140, 4030012) -> duplicates (4090138, 4090122, 4090132, 4090116) ->
 * balance (4030148) -> quotas (4030004, 4030002, 4030005, 4030003). */
#include <stdio.h>
#include <string.h>

#include "h_micro.h"

#define MAX_CONTAINERS 10

static int mount_path_ok(const json_t *v)
{
    return json_is_string(v) && json_string_value(v)[0] == '/' && json_string_length(v) < 1024;
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
    code = ref_svc_check_envs(c, json_object_get(ci, "envs"));
    if (!code)
        code = ref_svc_check_log_dirs(c, json_object_get(ci, "log_dirs"));
    if (code)
        return code;
    v = json_object_get(ci, "ssh_keys");
    if (!ref_absent(v)) {
        size_t i;
        json_t *key;
        if (!json_is_array(v))
            return 4000136;
        json_array_foreach (v, i, key) {
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
    json_object_foreach (vol, k, v) {
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

    ref_svc_image_parts(path, repo, sizeof repo, tag, sizeof tag);
    o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "container_id",
                  (json_int_t)ref_state_id(c->st), "container_name", ref_str(ci, "container_name"),
                  "image_path", path, "repo_name", repo, "image_tag", tag, "command",
                  ref_str(ci, "command"), "cpu_weight", (json_int_t)0, "memory_weight",
                  (json_int_t)0);
    for (const char *const *k = (const char *const[]){"envs", "log_dirs", "ssh_keys", "volume_info",
                                                      "local_disk_info", NULL};
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
    json_array_foreach (conts, i, ci) {
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
    code = ref_svc_check_port_maps(c, json_object_get(si, "port_maps"), &ports);
    if (!code)
        code = ref_svc_check_public_net(json_object_get(si, "state_public_net"), (int)stateful,
                                        &pubnet);
    if (!code && !ref_absent(json_object_get(si, "ip_id"))) {
        if (!json_is_string(json_object_get(si, "ip_id")) ||
            !json_is_true(json_object_get(pubnet, "used")))
            code = 4000135;
        else
            snprintf(ip_id, sizeof ip_id, "%s", ref_str(si, "ip_id"));
    }
    json_array_foreach (conts, i, ci) {
        if (!code)
            code = check_container(c, ci, (int)stateful, (int)disk);
    }
    if (!code)
        code = ref_svc_check_weights(conts, "cpu_weight", 4000130);
    if (!code)
        code = ref_svc_check_weights(conts, "memory_weight", 4000131);
    if (code)
        goto fail;

    /* not found */
    ns = ref_find_int(c->acct->res[REF_K_NAMESPACES], "id", nsid, NULL);
    if (!ns) {
        code = 4040114;
        goto fail;
    }
    if (spec > ref_svc_n_specs) {
        code = 4040118;
        goto fail;
    }
    json_array_foreach (conts, i, ci) {
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
    json_array_foreach (conts, i, ci) {
        if (ref_svc_has_duplicate_string(json_object_get(ci, "log_dirs"))) {
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
            json_object_foreach (json_object_get(a, "volume_info"), key, v) {
                if (json_object_get(json_object_get(o, "volume_info"), key)) {
                    code = 4090132;
                    goto fail;
                }
            }
        }
    json_array_foreach (conts, i, ci) {
        const char *key;
        json_t *v;
        json_object_foreach (json_object_get(ci, "volume_info"), key, v) {
            long id = 0;
            ref_parse_long(key, &id);
            if (strcmp(ref_str(ref_find_int(c->acct->res[REF_K_VOLUMES], "id", id, NULL), "status"),
                       "mount_succ") == 0) {
                code = 4030258;
                goto fail;
            }
        }
    }
    json_array_foreach (c->acct->res[REF_K_SERVICES], i, ci) {
        if (ref_int(ci, "namespace_id") == nsid && strcmp(ref_str(ci, "service_name"), name) == 0) {
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
    json_array_foreach (conts, i, ci)
        json_array_append_new(records, container_record(c, ci));
    s = json_pack("{s:I, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:O, s:O, s:s, s:I, s:s, s:o}", "id",
                  (json_int_t)ref_state_id(c->st), "namespace_id", (json_int_t)nsid, "namespace",
                  ref_str(ns, "namespace"), "service_name", name, "stateful", (json_int_t)stateful,
                  "replicas", (json_int_t)replicas, "spec_id", (json_int_t)spec, "disk_type",
                  (json_int_t)disk, "port_maps", ports, "state_public_net", pubnet, "status",
                  "creating", "stop_service", (json_int_t)0, "pub_ip", "", "_containers", records);
    if (json_is_true(json_object_get(pubnet, "used"))) {
        if (!ip)
            ip = ref_ip_new(c->st, c->acct, "nce");
        json_object_set_new(ip, "status", json_string("binded"));
        json_object_set_new(ip, "service_id", json_integer(ref_int(s, "id")));
        json_object_set_new(ip, "service_name", json_string(name));
        json_object_set_new(s, "pub_ip", json_string(ref_str(ip, "ip")));
        json_object_set_new(s, "_ip_id", json_string(ref_str(ip, "id")));
    }
    ref_svc_docker_ids(s);
    ref_svc_mount_volumes(c->acct, records, s, ref_str(ns, "namespace"));
    ref_svc_begin(c, s, "creating", "create_succ");
    json_array_append_new(c->acct->res[REF_K_SERVICES], s);
    json_decref(ports);
    json_decref(pubnet);
    return ref_ok(c, 200, json_pack("{s:I}", "service_id", (json_int_t)ref_int(s, "id")));
fail:
    json_decref(ports);
    json_decref(pubnet);
    return ref_fail(c, code);
}
