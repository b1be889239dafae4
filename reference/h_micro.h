/* reference/h_micro.h -- what the service 01 handler files share among
 * themselves: h_micro_shared.c defines all of it; h_micro_create.c and
 * h_micro_svc.c use it. Nothing outside h_micro_*.c includes this header,
 * and h_micro_shared.c calls no handler, so the three depend one way. The
 * handlers themselves are declared in internal.h. */
#ifndef REF_H_MICRO_H
#define REF_H_MICRO_H

#include "internal.h"

/* One documented microservice specification; spec_id n is entry n - 1. */
struct ref_svc_spec {
    const char *name; /* "micro" */
    int cpu;          /* cores */
    long memory_mb;   /* MiB */
};
extern const struct ref_svc_spec ref_svc_specs[];
extern const long ref_svc_n_specs; /* entries of ref_svc_specs */

/* The validators return 0 when the member is valid (absent counts as
 * valid unless said otherwise), else the catalog code to answer. */

/* envs: an array (4000113) of at most the envs quota (4000123) of
 * {key, value}, key [A-Za-z0-9_] not starting with a digit (4000124),
 * value a string of at most 4096 bytes without a newline (4000125). */
long ref_svc_check_envs(struct ref_call *c, const json_t *envs);
/* log_dirs: an array of absolute paths (4000113), at most the log-dirs
 * quota (4000127), each at most log-dir-length bytes (4000128). */
long ref_svc_check_log_dirs(struct ref_call *c, const json_t *dirs);
/* 1 when two elements of the array are equal (4090138 for log_dirs). */
int ref_svc_has_duplicate_string(const json_t *arr);
/* port_maps (4000134, over the quota 4000139); *out (new reference, also
 * on failure) gets them normalised as [{protocol, source_port, dest_port}];
 * the example's src_port/dst_port are accepted as well. */
long ref_svc_check_port_maps(struct ref_call *c, const json_t *pm, json_t **out);
/* state_public_net: {used} or, on a stateful service only, {used: true,
 * type: flow|bandwidth, bandwidth 1..100} (4000135). *out (new reference,
 * NULL on failure) gets the normalised object; absent means {used: false}. */
long ref_svc_check_public_net(const json_t *pn, int stateful, json_t **out);
/* The weights (member key) of the containers: each 1..100, all summing to
 * 100; else code. */
long ref_svc_check_weights(const json_t *conts, const char *key, long code);

/* Gives every container of service s one random docker container id per
 * replica (replacing the old ones). */
void ref_svc_docker_ids(json_t *s);
/* Starts an asynchronous operation on s: status `during` now, `after`
 * once the configured async time has passed. */
void ref_svc_begin(struct ref_call *c, json_t *s, const char *during, const char *after);
/* Splits "hub.c.163.com/owner/repo:tag" into repo ("owner/repo") and tag;
 * both "" when the path has no such shape. */
void ref_svc_image_parts(const char *path, char *repo, size_t rsize, char *tag, size_t tsize);
/* Mounts the volumes named by the containers svc_conts on service s of
 * namespace ns_name, or unmounts them when s is NULL. */
void ref_svc_mount_volumes(struct ref_account *a, const json_t *svc_conts, const json_t *s,
                           const char *ns_name);

#endif
