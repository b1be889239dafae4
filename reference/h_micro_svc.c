/* reference/h_micro_svc.c -- service 01: one microservice after its
 * creation: read it, delete it, and the actions on it (update stateful,
 * stateless, port and image; scale; specification; restart of the service
 * or of one container). Each action reports missing -> invalid -> not found
 * -> state, like creation (h_micro_create.c). */
#include <stdlib.h>
#include <string.h>

#include "h_micro.h"

static json_t *svc_by_param(struct ref_call *c, size_t *at, long *code)
{
    return ref_find_by_path_id(c, REF_K_SERVICES, "id", 4000113, 4040141, at, code);
}

/* 1 while the service is being created, updated or restarted. */
static int svc_busy(const json_t *s)
{
    return json_object_get(s, "_ready_at") != NULL;
}

static json_t *camel_ports(const json_t *ports)
{
    json_t *out = json_array();
    size_t i;
    json_t *p;

    json_array_foreach (ports, i, p)
        json_array_append_new(out, json_pack("{s:s, s:I, s:I}", "protocol", ref_str(p, "protocol"),
                                             "sourcePort", (json_int_t)ref_int(p, "source_port"),
                                             "destPort", (json_int_t)ref_int(p, "dest_port")));
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
        string_of(json_pack("{s:I, s:s, s:i, s:I, s:i, s:I}", "specId", (json_int_t)spec, "name",
                            ref_svc_specs[spec - 1].name, "cpu", ref_svc_specs[spec - 1].cpu,
                            "memory", (json_int_t)(ref_svc_specs[spec - 1].memory_mb * 1024 * 1024),
                            "disk", 20, "diskType", (json_int_t)ref_int(s, "disk_type"))),
        "port_maps", string_of(camel_ports(json_object_get(s, "port_maps"))), "stateful",
        (json_int_t)ref_int(s, "stateful"), "state_public_net",
        string_of(json_deep_copy(json_object_get(s, "state_public_net"))), "extends_disk_size",
        (json_int_t)0, "pub_ip", ref_str(s, "pub_ip"), "stop_service",
        (json_int_t)ref_int(s, "stop_service"));
    conts = json_array();
    json_array_foreach (json_object_get(s, "_containers"), i, ci) {
        json_t *v = json_deep_copy(ci), *vols = json_array();
        const char *k;
        json_t *path;
        json_object_foreach (json_object_get(ci, "volume_info"), k, path)
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
    ref_svc_mount_volumes(c->acct, json_object_get(s, "_containers"), NULL, NULL);
    json_array_remove(c->acct->res[REF_K_SERVICES], at);
    return ref_ok(c, 200, NULL);
}

int ref_h_svc_update_stateful(struct ref_call *c)
{
    json_t *pn = json_object_get(c->body, "state_public_net"), *norm = NULL, *s, *cur;
    long code = 0;

    if (ref_absent(pn))
        return ref_fail(c, 4000112);
    code = ref_svc_check_public_net(pn, 1, &norm);
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
    ref_svc_begin(c, s, "updating", "update_succ");
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
    json_array_foreach (infos, i, ci) {
        if (!json_is_object(ci))
            return ref_fail(c, 4000113);
        if (ref_absent(json_object_get(ci, "container_id")) ||
            ref_absent(json_object_get(ci, "cpu_weight")) ||
            ref_absent(json_object_get(ci, "memory_weight")))
            return ref_fail(c, 4000112);
    }
    json_array_foreach (infos, i, ci) {
        if (!ref_json_long(json_object_get(ci, "container_id"), &id))
            return ref_fail(c, 4000113);
        code = ref_svc_check_envs(c, json_object_get(ci, "envs"));
        if (!code)
            code = ref_svc_check_log_dirs(c, json_object_get(ci, "log_dirs"));
        if (code)
            return ref_fail(c, code);
    }
    code = ref_svc_check_weights(infos, "cpu_weight", 4000130);
    if (!code)
        code = ref_svc_check_weights(infos, "memory_weight", 4000131);
    if (code)
        return ref_fail(c, code);
    s = svc_by_param(c, NULL, &code);
    if (!s)
        return ref_fail(c, code);
    if (ref_int(s, "stateful"))
        return ref_fail(c, 4030142);
    json_array_foreach (infos, i, ci) {
        ref_json_long(json_object_get(ci, "container_id"), &id);
        if (!svc_container(s, id))
            return ref_fail(c, 4000149);
    }
    if (svc_busy(s))
        return ref_fail(c, 4030144);
    json_array_foreach (infos, i, ci) {
        if (ref_svc_has_duplicate_string(json_object_get(ci, "log_dirs")))
            return ref_fail(c, 4090138);
    }
    json_array_foreach (infos, i, ci) {
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
    ref_svc_begin(c, s, "updating", "update_succ");
    return ref_ok(c, 200, NULL);
}

int ref_h_svc_update_port(struct ref_call *c)
{
    json_t *ports = NULL, *s;
    long code = ref_svc_check_port_maps(c, json_object_get(c->body, "port_maps"), &ports);

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
    ref_svc_begin(c, s, "updating", "update_succ");
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
    ref_svc_docker_ids(s);
    ref_svc_begin(c, s, "updating", "update_succ");
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
    json_array_foreach (imgs, i, ci) {
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
    json_array_foreach (imgs, i, ci) {
        ref_json_long(json_object_get(ci, "container_id"), &id);
        if (!svc_container(s, id))
            return ref_fail(c, 4000149);
    }
    json_array_foreach (imgs, i, ci) {
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
    json_array_foreach (imgs, i, ci) {
        char repo[512], tag[256];
        json_t *rec;
        ref_json_long(json_object_get(ci, "container_id"), &id);
        rec = svc_container(s, id);
        ref_svc_image_parts(ref_str(ci, "image_path"), repo, sizeof repo, tag, sizeof tag);
        json_object_set(rec, "image_path", json_object_get(ci, "image_path"));
        json_object_set_new(rec, "image_tag", json_string(tag));
    }
    ref_svc_begin(c, s, "updating", "update_succ");
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
    if (spec > ref_svc_n_specs)
        return ref_fail(c, 4040118);
    if (ref_int(s, "stateful"))
        return ref_fail(c, 4030142);
    if (svc_busy(s))
        return ref_fail(c, 4030153);
    if (spec == ref_int(s, "spec_id"))
        return ref_fail(c, 4030143);
    json_object_set_new(s, "spec_id", json_integer(spec));
    ref_svc_begin(c, s, "updating", "update_succ");
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
    ref_svc_begin(c, s, "restarting", "restart_succ");
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
    json_array_foreach (json_object_get(s, "_containers"), i, ci) {
        json_t *ids = json_object_get(ci, "docker_container_ids");
        for (size_t k = 0; k < json_array_size(ids); k++)
            if (strcmp(json_string_value(json_array_get(ids, k)), c->p[1]) == 0)
                found = 1;
    }
    if (!found)
        return ref_fail(c, 4000149);
    if (svc_busy(s))
        return ref_fail(c, 4030153);
    ref_svc_begin(c, s, "restarting", "restart_succ");
    return ref_ok(c, 200, NULL);
}
