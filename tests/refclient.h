/* tests/refclient.h -- what the test_reference files share: a small libcurl
 * client for the in-process reference server, the server's lifecycle, the
 * per-scenario context (an account's token, its namespace, the ids a setup
 * learnt) and the fixtures of TRIGGERS.md (SVC0, the certificate, a build).
 *
 * No code of the runner or its checks is used, so that a bug cannot hide in
 * code both sides share. One server runs at a time: rt_start() records its
 * port in rt_port, and every request goes there.
 *
 * The files of the test_reference binary:
 *   test_reference.c            every code (rows from tests/reference-codes/),
 *                               fault injection, configuration, the program
 *   test_reference_mutations.c  every mutation on the wire
 *   test_reference_robust.c     oversized, malformed, deep and stalled
 *                               requests, latency, connection limits
 *   test_reference_state.c      precedence, request ids, /__ref/state
 *   refcodes.c                  the loader of tests/reference-codes/
 *   refsetups.c                 the setups and scripted requests the rows
 *                               name */
#ifndef REFCLIENT_H
#define REFCLIENT_H

#include <curl/curl.h>
#include <jansson.h>

#include "../catalog/catalog.h"
#include "../common/ac.h"
#include "../reference/ref.h"

/* The shipped catalog, loaded by rt_suite_init. */
extern struct catalog *rt_cat;
/* The port of the server the current test started (rt_start). */
extern int rt_port;

/* The async time of rows that must act "at once" after a create, so that a
 * loaded machine cannot let the resource settle first. */
#define RT_AT_ONCE 1500

/* One answer. */
struct resp {
    long status;
    struct ac_buf body;
    char rid_name[64]; /* header name exactly as sent */
    char rid[160];
    char ctype[160];
    json_t *json;
    long code;           /* body "code" when an integer, else 0 */
    const char *message; /* body "message", borrowed from json, or "" */
    double seconds;
    int curl_error;
};

/* The context of one scenario. */
struct ctx {
    char tok[64];   /* token of the scenario's account */
    char other[64]; /* token of account "other", when a scenario needs it */
    char ns[96];    /* name of the default namespace */
    long nsid;
    char id[96], id2[96]; /* ids the setup learnt */
    char nshdr[128];      /* "namespace: <ns>" */
};

/* An empty answer; _release frees it and leaves it empty again. */
void rt_resp_init(struct resp *r);
void rt_resp_release(struct resp *r);
/* libcurl callbacks filling a struct resp (ud): the body, and the
 * Request-Id and Content-Type headers. */
size_t rt_on_body(char *p, size_t sz, size_t n, void *ud);
size_t rt_on_header(char *p, size_t sz, size_t n, void *ud);
/* Parses r->body into json, code and message. */
void rt_parse_body(struct resp *r);

/* Sends one request. path is below http://127.0.0.1:PORT; token NULL sends
 * no Authorization; hdrs: extra header lines separated by '\n' (NULL: none);
 * a body gets Content-Type: application/json unless hdrs set one; mime (or
 * NULL) is sent as multipart instead of the body. */
void rt_http_mime(struct resp *r, const char *method, const char *path, const char *token,
                  const char *body, size_t body_len, const char *hdrs, curl_mime *mime);
/* As rt_http_mime for a C-string body (or NULL) and no multipart. */
void rt_http(struct resp *r, const char *method, const char *path, const char *token,
             const char *body, const char *hdrs);
/* 1 when s is a UUID in 8-4-4-4-12 form. */
int rt_uuid_ok(const char *s);

/* Asserts that r is the catalog's error `code` in every respect (status,
 * code, message, Content-Type, Request-Id); 1 when it is. `what` names the
 * case in failure messages. */
int rt_expect_error(const struct resp *r, long code, const char *what);
/* Asserts the HTTP status, with the body in the failure message. */
void rt_expect_status(const struct resp *r, long status, const char *what);

/* The tests' configuration: faults on, quiet, 100 ms async, 300 ms read
 * timeout. */
void rt_test_config(struct ref_config *cfg);
/* Starts a server on an ephemeral loopback port and sets rt_port. A server
 * that does not start is an assertion failure naming the error (the
 * caller then returns): NULL. */
struct ref_server *rt_start(const struct ref_config *cfg);
/* rt_start with rt_test_config, then the main account's context into x;
 * each of the two is asserted. NULL when the server did not start. */
struct ref_server *rt_start_default(struct ctx *x);
void rt_sleep_ms(long ms);
long long rt_now_ms(void);

/* Logs in as account (NULL: the main account "conformance"; "": no token
 * at all) and learns its default namespace. 0 or -1. */
int rt_ctx_init(struct ctx *x, const char *account);
/* Replaces {NS} {NSID} {ID} {ID2} in a template; caller frees. NULL for a
 * NULL template. */
char *rt_expand(const struct ctx *x, const char *tmpl);
/* SVC0 of TRIGGERS.md (stateful variant when stateful), named `name`, with
 * the JSON patches (or NULL) merged into service_info and the first
 * container (null members delete). Caller frees. */
char *rt_svc_body(const struct ctx *x, const char *name, int stateful, const char *si_patch,
                  const char *c0_patch);
/* Polls GET path (with an optional header) until the body contains needle:
 * 0, or -1 after 200 tries 20 ms apart. */
int rt_wait_for(const struct ctx *x, const char *path, const char *hdr, const char *needle);
/* POSTs body and stores the integer or string member `key` of the answer
 * into out (when not NULL); -1 unless the status is 200 or 201. */
int rt_create(const struct ctx *x, const char *path, const char *hdr, const char *body,
              const char *key, char *out, size_t size);
/* Creates SVC0 named name (rt_svc_body's patches); its id into id_out. */
long rt_create_svc(const struct ctx *x, const char *name, int stateful, const char *si,
                   const char *c0, char *id_out, size_t size);
/* The first container_id of service id, into out. 0 or -1. */
int rt_svc_container_id(const struct ctx *x, const char *id, char *out, size_t size);
/* Waits until service id has finished its operation ("..._succ"). */
int rt_wait_svc(const struct ctx *x, const char *id);
/* A certificate body named name with a valid key pair; caller frees. */
char *rt_cert_body(const char *name);
/* A multipart build of repository/tag with a small Dockerfile. */
void rt_build(struct resp *r, const struct ctx *x, const char *repo, const char *tag);

/* A plain TCP connection to the server, or -1. */
int rt_raw_connect(void);
/* Reads until the peer closes (or timeout_ms); returns the bytes (caller
 * frees) and, if took_ms is not NULL, how long it took. */
char *rt_read_all(int fd, int timeout_ms, long long *took_ms);
/* Parses a raw HTTP response into r (status, Request-Id, Content-Type,
 * body). */
void rt_parse_raw(struct resp *r, const char *raw);

/* CUnit suite init and cleanup of every reference suite: libcurl and the
 * catalog. */
int rt_suite_init(void);
int rt_suite_clean(void);

/* Setups and scripted scenarios shared with other files (refsetups.c). */
int rt_setup_ls0(struct ctx *x);
int rt_run_stalled_body(struct ctx *x, struct resp *r);

/* Each file's suite (0 or -1, as test_register). */
int rt_register_mutations(void);
int rt_register_robust(void);
int rt_register_state(void);

#endif
