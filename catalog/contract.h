/* catalog/contract.h -- the contract as data: how an API says "error".
 *
 * A contract file (format "apiconform-contract/1", schemas/
 * contract.schema.json) says where an error body holds its code and its
 * message (JSON Pointers), the media type of error answers, how a code is
 * built (how many digits of status, service and detail), how a request
 * carries its token (header and scheme), how a token is obtained with the
 * app key and secret, the request that proves the token works (the
 * preflight), and, optionally, how sweep pages through a collection. The
 * shipped NetEase Cloud contract is catalog/nce-contract.json; the
 * catalog (catalog.h) holds the codes and messages of the same contract.
 *
 * This module loads and validates a contract file (every error names the
 * file and the key path, and says what was expected) and answers the
 * questions the rest ask of it. It knows nothing of HTTP clients, scenarios
 * or checks. A loaded contract is read-only.
 *
 * Every function taking a contract accepts NULL for the built-in NetEase
 * contract, which is exactly what nce-contract.json says (test_catalog
 * holds the two together): programs that never load a contract (the
 * reference server, apiconform check) keep the NetEase behaviour, and
 * catalog/code.h stays the NetEase scheme. */
#ifndef CATALOG_CONTRACT_H
#define CATALOG_CONTRACT_H

#include <jansson.h>
#include <stddef.h>

#include "../common/ac.h"

#define CONTRACT_FORMAT "apiconform-contract/1"
#define CONTRACT_MAX_FILE_BYTES (1024u * 1024u)

/* One request the runner makes outside any scenario. */
struct contract_endpoint {
    const char *method; /* "POST": GET, POST, PUT, PATCH or DELETE */
    const char *path;   /* "/api/v1/token": starts with '/', no query */
};

/* How sweep lists one collection (a "lists.collections" member). */
struct contract_collection {
    const char *path;   /* "/api/v1/cloud-volumes", a fixture's DELETE collection */
    long page_size;     /* > 0: sent as the limit parameter; 0: no paging */
    int paged;          /* 1: pages by offset until a short page; 0: one request */
    const char *listed; /* NULL, or "per-namespace": not listed at its own
                           path but under each namespace (sweep's walk) */
};

/* A contract. Strings are owned by it (borrowed from static storage for
 * the built-in one). */
struct contract {
    const char *source;                 /* the file it was loaded from, or "built-in" */
    const char *name;                   /* "NetEase Cloud OpenAPI" */
    const char *code_pointer;           /* "/code": JSON Pointer to the error code */
    const char *message_pointer;        /* "/message": JSON Pointer to the message */
    const char *code_name;              /* "code": code_pointer without its '/', for messages */
    const char *message_name;           /* "message" */
    const char *media_type;             /* "application/json": of every error answer */
    const char *request_id_header;      /* "Request-Id": every error answer carries one
                                           holding a UUID; NULL: none is required */
    int status_digits;                  /* 3: the HTTP status leads every code */
    int service_digits;                 /* 2 (NetEase) or 0: no service part */
    int detail_digits;                  /* 2 */
    const char *auth_header;            /* "Authorization" */
    const char *auth_scheme;            /* "Token" or "Bearer"; "" for the bare token */
    struct contract_endpoint token;     /* POST /api/v1/token */
    const char *token_body;             /* compact JSON template with ${app_key} and
                                           ${app_secret}, or NULL: no body */
    const char *token_pointer;          /* "/token": the token in the 2xx answer */
    struct contract_endpoint preflight; /* GET /api/v1/namespaces */
    const char *limit_param;            /* "limit": sweep's page size parameter */
    const char *offset_param;           /* "offset" */
    const char *total_pointer;          /* "/total": in a list's answer, the count of
                                           all its elements; NULL: the answers have none */
    const struct contract_collection *collections; /* ncollections, file order */
    size_t ncollections;
    /* Derived from the digits when loaded. */
    long long code_min, code_max; /* 1000000 and 9999999 for 7 digits */
    char status_rule[32];         /* "code / 10000": how the status is read */
    int builtin;                  /* 1 for the built-in contract (never freed) */
};

/* Loads and validates the contract at path. Caller frees (contract_free).
 * NULL with err: AC_ERR_IO (cannot be read), AC_ERR_PARSE (not JSON:
 * "FILE:LINE:COLUMN: not valid JSON: ..."), AC_ERR_INVALID (err->where is
 * the path, err->text starts with the key path: "code_scheme.status_digits:
 * expected 3 (an HTTP status has three digits), got 2"), AC_ERR_NOMEM. */
struct contract *contract_load(const char *path, struct ac_error *err);

/* Same from a buffer; name stands for the path in messages. */
struct contract *contract_load_buffer(const char *name, const char *data, size_t len,
                                      struct ac_error *err);

/* NULL and the built-in contract are no-ops. */
void contract_free(struct contract *k);

/* The built-in NetEase contract (what catalog/nce-contract.json says).
 * Static, never freed. */
const struct contract *contract_builtin(void);

/* k, or the built-in contract when k is NULL. */
const struct contract *contract_or_builtin(const struct contract *k);

/* Where the shipped contract is found when no --contract is given:
 * $AC_CONTRACT, else catalog/nce-contract.json of a checkout, else the
 * installed copy (ac_data_path). Borrowed static string. */
const char *contract_default_path(void);

/* The contract this process judges and talks by: the one set with
 * contract_set_active (apiconform run sets what --contract names), NULL
 * (the built-in one) until then. The checks' reading of a body and the
 * engine's token, preflight and Authorization header follow it. The
 * pointer is borrowed: the caller keeps the contract alive while it is
 * active. */
void contract_set_active(const struct contract *k);
const struct contract *contract_active(void);

/* 1 when the two contracts say the same (every field but the source). */
int contract_same(const struct contract *a, const struct contract *b);

/* ---- the code scheme (catalog/code.h is the NetEase one) ---- */

/* Digits of a code: status + service + detail (7 for NetEase). */
int contract_code_digits(const struct contract *k);

/* 1 when code has exactly contract_code_digits digits. */
int contract_code_valid(const struct contract *k, long long code);

/* The parts of a code, read from its digit positions as catalog/code.h
 * does: defined for 0 to code_max (shorter numbers read with leading
 * zeros), -1 for any other value. With no service digits the service is 0. */
int contract_code_status(const struct contract *k, long long code);
int contract_code_service(const struct contract *k, long long code);
int contract_code_detail(const struct contract *k, long long code);

/* The code with these parts (the caller keeps them within their digits). */
long long contract_code_make(const struct contract *k, int status, int service, int detail);

/* ---- error bodies ---- */

/* The code and the message of an error body (root borrowed), where the
 * contract's pointers say; borrowed, NULL when a pointer does not resolve. */
json_t *contract_error_code(const struct contract *k, json_t *root);
json_t *contract_error_message(const struct contract *k, json_t *root);

/* 1 when a Content-Type value names the contract's media type (parameters
 * after ';' and the case of the type do not count). */
int contract_media_type_is(const struct contract *k, const char *content_type);

/* Evaluates a JSON Pointer (RFC 6901: ~0 and ~1) against root. Borrowed,
 * or NULL when it does not resolve; "" is root itself. */
json_t *contract_json_pointer(json_t *root, const char *pointer);

/* ---- sessions ---- */

/* The token request's body: the template with ${app_key} and ${app_secret}
 * filled in, compact JSON. Heap string (caller frees), or NULL when the
 * contract sends no body (*nomem 0) or memory ran out (*nomem 1). */
char *contract_token_body(const struct contract *k, const char *app_key, const char *app_secret,
                          int *nomem);

/* "Authorization: Token TOKEN" into out (size bytes, cut to fit). */
void contract_auth_line(const struct contract *k, const char *token, char *out, size_t size);

/* How sweep lists the collection at path, or NULL when the contract says
 * nothing of it (one GET of the path, no query). Borrowed. */
const struct contract_collection *contract_collection(const struct contract *k, const char *path);

#endif
