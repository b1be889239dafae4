/* reference/h_micro_ns.c -- service 01: namespaces (create, list, delete)
 * and the microservices of one namespace. ref_ns_by_name also serves the
 * load balancer handlers (h_nlb.c), whose objects live in a namespace. */
#include <stdio.h>

#include "internal.h"

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
    json_array_foreach (a->res[REF_K_LOADBALANCERS], i, o) {
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
    json_array_append_new(arr,
                          json_pack("{s:b, s:I, s:s, s:s}", "deletable", 1, "id", (json_int_t)id,
                                    "display_name", json_string_value(name), "namespace", full));
    /* The example answers "namespace_Id", the field table "namespace_id":
     * both are sent so that either reading works. */
    return ref_ok(
        c, 200,
        json_pack("{s:I, s:I}", "namespace_id", (json_int_t)id, "namespace_Id", (json_int_t)id));
}

int ref_h_ns_list(struct ref_call *c)
{
    json_t *list = json_array();
    size_t i;
    json_t *o;

    json_array_foreach (c->acct->res[REF_K_NAMESPACES], i, o) {
        json_t *v = ref_public(o);
        json_object_set_new(
            v, "deletable",
            json_boolean(!ref_int(o, "_default") && !ns_in_use(c->acct, ref_int(o, "id"))));
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
    return json_pack("{s:I, s:s, s:I, s:s, s:I, s:O, s:I, s:I}", "id", (json_int_t)ref_int(s, "id"),
                     "status", ref_str(s, "status"), "replicas", (json_int_t)ref_int(s, "replicas"),
                     "service_name", ref_str(s, "service_name"), "stateful",
                     (json_int_t)ref_int(s, "stateful"), "port_maps",
                     json_object_get(s, "port_maps"), "spec_id", (json_int_t)ref_int(s, "spec_id"),
                     "stop_service", (json_int_t)ref_int(s, "stop_service"));
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
    json_array_foreach (c->acct->res[REF_K_SERVICES], i, s) {
        if (ref_int(s, "namespace_id") != nsid)
            continue;
        if (total >= offset && (long)json_array_size(list) < limit)
            json_array_append_new(list, svc_summary(s));
        total++;
    }
    return ref_ok(c, 200,
                  json_pack("{s:I, s:o}", "total", (json_int_t)total, "microservice_infos", list));
}
